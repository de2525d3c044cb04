// `npm run bench`: every benchmark, each figure side by side with its baseline from the same run.
// Prints a table and writes bench/results.json. `npm run bench:quick` (`--quick`, or
// BENCH_MODE=quick) is the two-minute smoke run. BENCH_ONLY=slash,click-sqlite,... runs some of them; BENCH_OUT and
// BENCH_RESULTS_DIR move the outputs (the test does, to a temp folder).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadContent } from "../src/content/load.js";
import { coldStartBench } from "./cold-start.js";
import { type BenchContext, type BenchOutput, BenchSkipped } from "./context.js";
import { retrievalBench, rulesBench } from "./external.js";
import { CLI_BUILD, ROOT } from "./paths.js";
import { type Figure, machine, type Results, table } from "./report.js";
import { settingsFor } from "./settings.js";
import { buttonClickBench } from "./slack/button-click.js";
import { slashCommandBench } from "./slack/slash-command.js";

const BENCHMARKS: Record<
  string,
  { title: string; run: (ctx: BenchContext) => Promise<BenchOutput>; onlyWhenNamed?: boolean }
> = {
  slash: { title: "Slash command", run: (ctx) => slashCommandBench(ctx) },
  "click-sqlite": { title: "Button click, SQLite store", run: (ctx) => buttonClickBench(ctx, "sqlite") },
  "click-redis": { title: "Button click, Redis store", run: (ctx) => buttonClickBench(ctx, "redis") },
  rules: { title: "Validation (rules)", run: rulesBench },
  retrieval: { title: "Retrieval", run: retrievalBench },
  "cold-start": { title: "Cold start", run: coldStartBench },
  // Not part of `npm run bench`: `npm run bench:calibrate` (BENCH_ONLY=calibrate).
  calibrate: {
    title: "Calibration (Bolt against Bolt)",
    run: (ctx) => slashCommandBench(ctx, { calibrate: true }),
    onlyWhenNamed: true,
  },
};

const settings = settingsFor(process.argv.includes("--quick") ? "quick" : process.env.BENCH_MODE);
const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
for (const name of only ?? []) {
  if (!BENCHMARKS[name]) {
    process.stderr.write(
      `BENCH_ONLY: no benchmark "${name}"; there are ${Object.keys(BENCHMARKS).join(", ")}\n`,
    );
    process.exit(2);
  }
}
if (!existsSync(CLI_BUILD)) {
  process.stderr.write("bench: dist/ is missing; run `npm run build` first (`npm run bench` does).\n");
  process.exit(2);
}
// Only a full run of every benchmark replaces the committed results; smaller or partial runs
// write under bench/tmp/ (ignored).
const full = settings.mode === "full" && !only;
const out =
  process.env.BENCH_OUT ??
  join(ROOT, full ? "bench/results.json" : `bench/tmp/results-${settings.mode}.json`);
const resultsDir =
  process.env.BENCH_RESULTS_DIR ?? join(ROOT, full ? "bench/results" : `bench/tmp/results-${settings.mode}`);
const tmp = mkdtempSync(join(tmpdir(), "portal-check-bench-"));
const log = (line: string) => process.stdout.write(`${line}\n`);
const ctx: BenchContext = { settings, content: loadContent(), tmp, resultsDir, log };

const started = performance.now();
const figures: Record<string, Figure> = {};
const details: Record<string, unknown> = { settings };
const skipped: Results["skipped"] = [];
const failed: Results["failed"] = [];
try {
  for (const [name, bench] of Object.entries(BENCHMARKS)) {
    if (only ? !only.includes(name) : bench.onlyWhenNamed) continue;
    log(`${bench.title}...`);
    try {
      const output = await bench.run(ctx);
      Object.assign(figures, output.figures);
      details[name] = output.details;
    } catch (err) {
      if (err instanceof BenchSkipped) {
        skipped.push({ benchmark: name, reason: err.message });
        log(`  skipped: ${err.message}`);
      } else {
        failed.push({ benchmark: name, error: (err as Error).message });
        log(`  FAILED: ${(err as Error).stack ?? err}`);
      }
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const results: Results = {
  mode: settings.mode,
  measuredAt: new Date().toISOString(),
  seconds: Math.round((performance.now() - started) / 1000),
  machine: machine(),
  figures,
  skipped,
  failed,
  details,
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
log("");
log(table(results));
log(`\nWritten to ${out}`);
// A missed target is a finding in the table, not a failed run; a benchmark that broke is.
process.exitCode = failed.length > 0 ? 1 : 0;
