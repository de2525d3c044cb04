import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { TSX_LOADER } from "../support/cli.js";
import { outputOf } from "../support/process.js";

const GUARD = fileURLToPath(new URL("../../src/cli/process-guard.ts", import.meta.url));
const LOG = fileURLToPath(new URL("../../src/log.ts", import.meta.url));

/** A real Node process with serve's handlers installed, running `script` after them. */
async function run(script: string) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      TSX_LOADER,
      "--input-type=module",
      "-e",
      `
      const { keepServing } = await import(${JSON.stringify(GUARD)});
      const { createLogger } = await import(${JSON.stringify(LOG)});
      keepServing(createLogger({ level: "info", destination: process.stdout }));
      ${script}
      `,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return outputOf(child);
}

describe("serve's process-level handlers", () => {
  it("log a rejection nobody handled and an exception thrown in a callback, and keep the process running", async () => {
    const out = await run(`
      Promise.reject(new TypeError("Cannot read properties of null (reading 'ssl_check')"));
      setTimeout(() => { throw new Error("thrown in a timer"); }, 10);
      setTimeout(() => { process.stdout.write("still running\\n"); }, 300);
    `);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("still running");
    expect(out.stdout).toContain("unhandled promise rejection; still serving");
    expect(out.stdout).toContain("uncaught exception; still serving");
    expect(out.stdout).toContain("reading 'ssl_check'");
  }, 30_000);

  it("leave out what a JSON parse error quotes (it may be a request body naming a parent)", async () => {
    const out = await run(`
      Promise.resolve().then(() => JSON.parse("Maria Lopez, maria.lopez@example.org"));
      setTimeout(() => {}, 200);
    `);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("unhandled promise rejection; still serving");
    expect(out.stdout).not.toContain("Maria");
    expect(out.stdout).not.toContain("maria.lopez");
  }, 30_000);

  it("stop the process (exit 1, for its supervisor to restart it) when exceptions keep coming", async () => {
    const out = await run(`
      for (let i = 0; i < 20; i++) setTimeout(() => { throw new Error("broken state " + i); }, 5);
      setTimeout(() => { process.stdout.write("still running\\n"); }, 2000);
    `);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain("uncaught exceptions keep coming");
    expect(out.stdout).not.toContain("still running");
  }, 30_000);
});
