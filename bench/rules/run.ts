import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChildRun, runNode } from "../lib/child.js";
import { writeResults } from "../lib/results.js";
import { CLI, CLI_BUILD, ROOT } from "../paths.js";
import { figure, median, round } from "../report.js";
import { generateExport } from "./generate.js";

/**
 * `npm run bench:rules`: generates a practice export of 1,000,000 contact rows, then times
 * `portal-check validate` on it against csv-parse parsing the same file alone, each in its own
 * process (peak RSS per process), alternating, several runs, medians. Targets: validate within
 * 1.5x of parse-only time, peak RSS under 300 MB. Figures go to bench/results/rules.json.
 * validate runs as users run it, with its defaults: on a machine with two or more cores it reads a
 * file this size in two parts at once. `--threads 1` is timed too, without a target.
 */

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TODAY = "2025-06-01";
const TIME_RATIO_TARGET = 1.5;
const RSS_TARGET_MB = 300;

// The built CLI, as users run it; the baseline imports the parser options from the compiled module.
const cli = [CLI];
const parseOnly = [join(ROOT, "bench/rules/parse-only.mjs")];
// A private folder per run: runs side by side (this one and `npm run bench`) do not share files.
const tmp = mkdtempSync(join(tmpdir(), "portal-check-rules-"));
const data = join(tmp, "contacts-export.csv");
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
if (!existsSync(CLI_BUILD)) {
  process.stderr.write(
    "bench:rules: dist/ is missing; run `npm run build` first (npm run bench:rules does).\n",
  );
  process.exit(2);
}

const started = performance.now();
const rows = await generateExport(data, ROWS, new Date(2025, 5, 1));
const megabytes = statSync(data).size / 1024 / 1024;
log(`Generated ${fmt(rows)} rows (${megabytes.toFixed(1)} MB CSV) in ${secondsSince(started)} s: ${data}`);

const baseline: ChildRun[] = [];
const validate: ChildRun[] = [];
const oneThread: ChildRun[] = [];
for (let run = 1; run <= RUNS; run++) {
  const parsed = await runNode([...parseOnly, data], { keepOutput: true });
  if (parsed.code !== 0 || Number(parsed.stdout) !== rows + 1) {
    throw new Error(
      `parse-only run failed (exit ${parsed.code}, ${parsed.stdout.trim()} rows): ${parsed.stderr}`,
    );
  }
  baseline.push(parsed);
  const checked = await runNode([...cli, "validate", data, "--today", TODAY]);
  // Exit 1: the export has blockers by design. Anything else is a failed run, not a figure.
  if (checked.code !== 1) throw new Error(`validate exited ${checked.code}: ${checked.stderr}`);
  validate.push(checked);
  const single = await runNode([...cli, "validate", data, "--today", TODAY, "--threads", "1"]);
  if (single.code !== 1) throw new Error(`validate --threads 1 exited ${single.code}: ${single.stderr}`);
  oneThread.push(single);
  log(
    `  run ${run}/${RUNS}: parse-only ${parsed.seconds.toFixed(2)} s, validate ${checked.seconds.toFixed(2)} s, --threads 1 ${single.seconds.toFixed(2)} s`,
  );
}

const medians = (key: "seconds" | "maxRssMb" | "cpuSeconds") => ({
  value: median(validate.map((r) => r[key])),
  baseline: median(baseline.map((r) => r[key])),
});
const time = medians("seconds");
const rss = medians("maxRssMb");
const cpu = medians("cpuSeconds");
const group = `Validation (${rows.toLocaleString("en-US")} rows)`;
const figures = {
  "rules.seconds": figure({
    group,
    name: "portal-check validate: time",
    unit: "s",
    ...time,
    baselineName: "csv-parse alone",
    target: { ratioAtMost: TIME_RATIO_TARGET },
  }),
  "rules.peak_rss": figure({
    group,
    name: "portal-check validate: peak RSS",
    unit: "MB",
    ...rss,
    baselineName: "csv-parse alone",
    target: { valueBelow: RSS_TARGET_MB },
  }),
};
const cpuRatio = cpu.value / cpu.baseline;

const row = (name: string, seconds: number, mb: number) =>
  `${name.padEnd(22)}${`${seconds.toFixed(2)} s`.padStart(9)}${fmt(rows / seconds).padStart(12)}${`${mb.toFixed(0)} MB`.padStart(11)}`;
log("");
log(`${"".padEnd(22)}${"time".padStart(9)}${"rows/s".padStart(12)}${"peak RSS".padStart(11)}`);
log(row("csv-parse only", time.baseline, rss.baseline));
log(row("portal-check validate", time.value, rss.value));
const single = {
  seconds: median(oneThread.map((r) => r.seconds)),
  maxRssMb: median(oneThread.map((r) => r.maxRssMb)),
};
log(row("  with --threads 1", single.seconds, single.maxRssMb));
log("");
const seconds = figures["rules.seconds"];
log(`time ratio ${seconds.ratio.toFixed(2)}x (target <= ${TIME_RATIO_TARGET}x): ${met(seconds.met)}`);
log(
  `peak RSS   ${rss.value.toFixed(0)} MB (target < ${RSS_TARGET_MB} MB): ${met(figures["rules.peak_rss"].met)}`,
);
log(
  `CPU time   ${cpu.value.toFixed(2)} s against ${cpu.baseline.toFixed(2)} s: ${cpuRatio.toFixed(2)}x (not a target)`,
);

// `npm run bench` points this at its own results folder.
const results = join(process.env.BENCH_RESULTS_DIR ?? join(ROOT, "bench/results"), "rules.json");
writeResults(results, {
  benchmark: "rules",
  rows,
  fileMegabytes: Math.round(megabytes * 10) / 10,
  runs: RUNS,
  figures,
  // Without a target: rows per second, and CPU time (all threads), which moves less than wall time
  // with other work on a shared machine.
  informational: {
    rowsPerSecond: { value: round(rows / time.value), baseline: round(rows / time.baseline) },
    cpuSeconds: { value: round(cpu.value), baseline: round(cpu.baseline), ratio: round(cpuRatio) },
    oneThread: {
      seconds: round(single.seconds),
      ratio: round(single.seconds / time.baseline),
      peakRssMb: round(single.maxRssMb),
    },
  },
});
log(`Figures written to ${results}`);

function log(line: string) {
  process.stdout.write(`${line}\n`);
}
function fmt(n: number) {
  return Math.round(n).toLocaleString("en-US");
}
function secondsSince(since: number) {
  return ((performance.now() - since) / 1000).toFixed(1);
}
function met(ok: boolean) {
  return ok ? "met" : "NOT met";
}
