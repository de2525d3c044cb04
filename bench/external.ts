import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { outputOf } from "../test/support/process.js";
import type { BenchContext, BenchOutput } from "./context.js";
import { CLI_BUILD, ROOT, TSX_LOADER } from "./paths.js";
import { Figure } from "./report.js";

/** What bench:rules and bench:retrieval write: figures in the shape of every figure, and more. */
const StandaloneResults = z.looseObject({ figures: z.record(z.string(), Figure) });

/** `npm run bench:rules`: portal-check validate against csv-parse alone, on a generated export. */
export async function rulesBench(ctx: BenchContext): Promise<BenchOutput> {
  if (!existsSync(CLI_BUILD))
    throw new Error("dist/ is missing: run `npm run build` first (`npm run bench` does)");
  const raw = await runChild(ctx, "bench/rules/run.ts", "rules.json", {
    BENCH_ROWS: String(ctx.settings.rules.rows),
    BENCH_RUNS: String(ctx.settings.rules.runs),
  });
  const { figures, ...details } = StandaloneResults.parse(raw);
  return { figures, details };
}

/** `npm run bench:retrieval`: retrieve() per question over the evaluation set, against a linear scan. */
export async function retrievalBench(ctx: BenchContext): Promise<BenchOutput> {
  const raw = await runChild(ctx, "bench/retrieval/run.ts", "retrieval.json", {
    BENCH_RUNS: String(ctx.settings.retrievalRunsPerQuestion),
  });
  const { figures, perQuestion: _perQuestion, ...details } = StandaloneResults.parse(raw);
  return { figures, details };
}

/**
 * Runs one of the standalone benchmarks in its own process (it has the machine to itself) and reads
 * the JSON it writes to ctx.resultsDir. Its last lines of output are passed on to the log.
 */
async function runChild(
  ctx: BenchContext,
  script: string,
  output: string,
  env: Record<string, string>,
): Promise<unknown> {
  const file = join(ctx.resultsDir, output);
  rmSync(file, { force: true });
  const { code, stdout, stderr } = await outputOf(
    spawn(process.execPath, ["--import", TSX_LOADER, join(ROOT, script)], {
      cwd: ROOT,
      env: { ...process.env, ...env, BENCH_RESULTS_DIR: ctx.resultsDir },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  for (const line of stdout.trimEnd().split("\n").slice(-6)) ctx.log(`    ${line}`);
  // bench:retrieval exits 1 when its target is missed; the figure says so, the run goes on.
  if (!existsSync(file)) {
    throw new Error(`${script} exited ${code} without writing ${output}:\n${stderr.slice(-2000)}`);
  }
  return JSON.parse(readFileSync(file, "utf8"));
}
