import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { outputOf } from "../../test/support/process.js";

const USAGE_PRELOAD = fileURLToPath(new URL("./usage.mjs", import.meta.url));

export interface ChildRun {
  seconds: number;
  maxRssMb: number;
  cpuSeconds: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node <args>` in its own process, so its peak RSS is its own, and measures wall time from
 * spawn to exit (start-up included, the same for every command compared). Standard output is
 * kept only when `keepOutput` (a large report would otherwise fill memory here).
 */
export async function runNode(args: string[], options: { keepOutput?: boolean } = {}): Promise<ChildRun> {
  const dir = mkdtempSync(join(tmpdir(), "portal-check-bench-"));
  const usageFile = join(dir, "usage.json");
  try {
    const started = process.hrtime.bigint();
    // Output not kept goes to /dev/null, as when a user redirects it to a file: reading it here
    // would make this process compete for the CPU with the one measured.
    const child = spawn(process.execPath, ["--import", USAGE_PRELOAD, ...args], {
      env: { ...process.env, BENCH_USAGE_FILE: usageFile },
      stdio: ["ignore", options.keepOutput ? "pipe" : "ignore", "pipe"],
    });
    const { code, stdout, stderr } = await outputOf(child);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    let usage: { maxRssMb: number; cpuSeconds: number };
    try {
      usage = JSON.parse(readFileSync(usageFile, "utf8"));
    } catch {
      throw new Error(`node ${args.join(" ")} exited ${code} without reporting its usage:\n${stderr}`);
    }
    return { seconds, ...usage, code, stdout, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
