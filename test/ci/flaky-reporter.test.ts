import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outputOf } from "../support/process.js";

/**
 * The project's vitest.config.ts on a throwaway suite: in CI a failed test runs once more and one that
 * passes only then is named as flaky at the end; a test that fails twice still fails the run; outside
 * CI nothing is retried.
 */
const ROOT = join(import.meta.dirname, "../..");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "portal-check-flaky-"));
  mkdirSync(join(dir, "test"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  writeFileSync(
    join(dir, "test/once.test.ts"),
    `import { existsSync, writeFileSync } from "node:fs";
import { expect, it } from "vitest";
it("fails the first time it runs", () => {
  const mark = ${JSON.stringify(join(dir, "ran"))};
  const first = !existsSync(mark);
  writeFileSync(mark, "");
  expect(first).toBe(false);
});
it("fails every time", () => { expect(process.env.ALWAYS_FAIL).toBeUndefined(); });
`,
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function suite(env: Record<string, string | undefined>) {
  rmSync(join(dir, "ran"), { force: true });
  const { CI: _ci, ALWAYS_FAIL: _always, ...rest } = process.env;
  return outputOf(
    spawn(
      process.execPath,
      [
        join(ROOT, "node_modules/vitest/vitest.mjs"),
        "run",
        "--config",
        join(ROOT, "vitest.config.ts"),
        "--root",
        dir,
      ],
      { cwd: dir, env: { ...rest, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] },
    ),
  );
}

describe("vitest.config.ts retries", () => {
  it("in CI: a test that passes on its retry passes the run and is named FLAKY", async () => {
    const run = await suite({ CI: "true" });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("FLAKY: test/once.test.ts > fails the first time it runs (retries: 1)");
    expect(run.stdout).not.toContain("fails every time (retries");
  }, 120_000);

  it("in CI: a test that fails on its retry too fails the run", async () => {
    const run = await suite({ CI: "true", ALWAYS_FAIL: "1" });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/FAIL .*fails every time/);
  }, 120_000);

  it("outside CI nothing is retried: the first failure fails the run", async () => {
    const run = await suite({});
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/FAIL .*fails the first time it runs/);
    expect(run.stdout).not.toContain("FLAKY");
  }, 120_000);
});
