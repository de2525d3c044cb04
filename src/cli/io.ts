import type { Readable, Writable } from "node:stream";

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

export type Command = (args: string[], io: CliIO) => Promise<number>;

export const write = (stream: Writable, text: string) =>
  new Promise<void>((resolve) => {
    if (stream.write(text)) resolve();
    else stream.once("drain", () => resolve());
  });
