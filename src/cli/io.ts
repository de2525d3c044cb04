import type { Readable, Writable } from "node:stream";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { OP_VERSIONS, OpVersion } from "../core/ids.js";

/** What a command may touch. Passed in so tests can drive commands without a real terminal. */
export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A command's answer to bad usage: printed as one clear line, exit code 2, never a stack trace. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** How the CLI's messages name it: the one spelling that works in the project folder without installing it globally (`npx portal-check` works too). */
export const CLI = "bin/portal-check";

export type Command = (args: string[], io: CliIO) => Promise<number>;

export const write = (stream: Writable, text: string) =>
  new Promise<void>((resolve) => {
    if (stream.write(text)) resolve();
    else stream.once("drain", () => resolve());
  });

/**
 * The OP version from --op-version, else from OP_VERSION in the environment (left empty: not set);
 * undefined when neither gives one. A value that is not a version is a usage error.
 */
export function opVersionOption(flag: string | undefined, env: NodeJS.ProcessEnv): OpVersion | undefined {
  const text = flag ?? (env.OP_VERSION || undefined);
  if (text === undefined) return undefined;
  const version = OpVersion.safeParse(text);
  if (!version.success) {
    throw new UsageError(`--op-version (or OP_VERSION) must be ${OP_VERSIONS.join(" or ")}, not "${text}".`);
  }
  return version.data;
}

/**
 * A command's arguments read by node:util's parseArgs. What parseArgs refuses (an unknown option,
 * a missing value, a stray positional) is a usage error: its message, then `explain` (a pointer
 * to --help, or the help itself).
 */
export function parseCommandArgs<T extends ParseArgsConfig>(
  config: T,
  explain: string,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}${explain}`);
  }
}
