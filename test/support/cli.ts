import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll } from "vitest";
import { main } from "../../src/cli/main.js";

const made: string[] = [];
// Registered when a test file imports this module, so it is the file's first after-hook: with
// vitest's stacked hooks it runs last, once the file's own clean-up has stopped what used the folders.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A private temporary folder, removed after the test file that made it. */
export function tempDir(prefix = "portal-check-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
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
