import type { Readable, Writable } from "node:stream";
import { type ParseArgsConfig, parseArgs } from "node:util";
import type { OpVersion } from "../core/ids.js";
import { type KnowledgeBase, opVersionsOf } from "../core/knowledge/schema.js";

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
 * undefined when neither gives one. A version the content does not cover is a usage error that
 * lists the ones it does.
 */
export function opVersionOption(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  knowledge: KnowledgeBase,
): OpVersion | undefined {
  const text = flag ?? (env.OP_VERSION || undefined);
  return text === undefined ? undefined : coveredVersion(text, knowledge, "--op-version (or OP_VERSION)");
}

/** `text` when it is an OP version the content covers; a usage error naming `what` and listing them otherwise. */
export function coveredVersion(text: string, knowledge: KnowledgeBase, what = "--op-version"): OpVersion {
  const versions = opVersionsOf(knowledge);
  if (versions.includes(text)) return text;
  throw new UsageError(`${what} must be ${orList(versions)}, not "${text}".`);
}

/** "a", "a or b", "a, b or c". */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
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
