import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { main } from "../../src/cli/main.js";

export function tempDir(prefix = "portal-check-") {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs the CLI in-process with the given stdin text; returns exit code and both outputs. */
export async function runCli(
  args: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => {
    out += d;
  });
  stderr.on("data", (d) => {
    err += d;
  });
  const code = await main(args, {
    stdin: Readable.from([options.stdin ?? ""]),
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? tempDir(),
  });
  return { code, stdout: out, stderr: err };
}

/** `node --import <this>` runs TypeScript entry points in child processes, from any working directory. */
export const TSX_LOADER = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
