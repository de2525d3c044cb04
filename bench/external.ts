import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { BenchContext, BenchOutput } from "./context.js";
import { CLI_BUILD, ROOT, TSX_LOADER } from "./paths.js";
import { type Figure, figure } from "./report.js";

/** A figure as bench:rules writes it (bench/lib/results.ts). */
const RulesFigure = z.object({
  value: z.number(),
  baseline: z.number(),
  ratio: z.number(),
  unit: z.string(),
  target: z.string(),
  met: z.boolean(),
});
const RulesResults = z.object({
  rows: z.number(),
  figures: z.object({ seconds: RulesFigure, peakRssMb: RulesFigure }),
});

/** A figure as bench:retrieval writes it: the target is a number of ms the value must stay under. */
const RetrievalFigure = z.object({ value: z.number(), baseline: z.number(), target: z.number() });
const RetrievalResults = z.object({
  questions: z.number(),
  runsPerQuestion: z.number(),
  figures: z.object({ retrieval_p50_ms: RetrievalFigure, retrieval_p99_ms: RetrievalFigure }),
});

/** `npm run bench:rules`: portal-check validate against csv-parse alone, on a generated export. */
export async function rulesBench(ctx: BenchContext): Promise<BenchOutput> {
  if (!existsSync(CLI_BUILD))
    throw new Error("dist/ is missing: run `npm run build` first (`npm run bench` does)");
  const raw = await runChild(ctx, "bench/rules/run.ts", "rules.json", {
    BENCH_ROWS: String(ctx.settings.rules.rows),
    BENCH_RUNS: String(ctx.settings.rules.runs),
  });
  const results = RulesResults.parse(raw);
  const group = `Validation (${results.rows.toLocaleString("en-US")} rows)`;
  const convert = (name: string, f: z.infer<typeof RulesFigure>): Figure => ({
    group,
    name,
    unit: f.unit,
    value: f.value,
    baseline: f.baseline,
    baselineName: "csv-parse alone",
    ratio: f.ratio,
    target: f.target,
    met: f.met,
  });
  return {
    figures: {
      "rules.seconds": convert("portal-check validate: time", results.figures.seconds),
      "rules.peak_rss": convert("portal-check validate: peak RSS", results.figures.peakRssMb),
    },
    details: raw,
  };
}

/** `npm run bench:retrieval`: retrieve() per question over the evaluation set, against a linear scan. */
export async function retrievalBench(ctx: BenchContext): Promise<BenchOutput> {
  const raw = await runChild(ctx, "bench/retrieval/run.ts", "retrieval.json", {
    BENCH_RUNS: String(ctx.settings.retrievalRunsPerQuestion),
  });
  const results = RetrievalResults.parse(raw);
  const group = `Retrieval (${results.questions} questions x ${results.runsPerQuestion})`;
  const convert = (name: string, f: z.infer<typeof RetrievalFigure>) =>
    figure({
      group,
      name,
      unit: "ms",
      value: f.value,
      baseline: f.baseline,
      baselineName: "linear scan",
      target: { valueBelow: f.target },
    });
  return {
    figures: {
      "retrieval.p50": convert("p50 per question", results.figures.retrieval_p50_ms),
      "retrieval.p99": convert("p99 per question", results.figures.retrieval_p99_ms),
    },
    details: { questions: results.questions, runsPerQuestion: results.runsPerQuestion },
  };
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
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, ["--import", TSX_LOADER, join(ROOT, script)], {
        cwd: ROOT,
        env: { ...process.env, ...env, BENCH_RESULTS_DIR: ctx.resultsDir },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (d) => {
        out = (out + d).slice(-20_000);
      });
      child.stderr.on("data", (d) => {
        err = (err + d).slice(-20_000);
      });
      child.on("error", reject);
      child.on("close", (c) => resolve({ code: c, stdout: out, stderr: err }));
    },
  );
  for (const line of stdout.trimEnd().split("\n").slice(-6)) ctx.log(`    ${line}`);
  // bench:retrieval exits 1 when its target is missed; the figure says so, the run goes on.
  if (!existsSync(file)) {
    throw new Error(`${script} exited ${code} without writing ${output}:\n${stderr.slice(-2000)}`);
  }
  return JSON.parse(readFileSync(file, "utf8"));
}
