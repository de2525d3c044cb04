// `npm run bench:retrieval`: latency of `ask` retrieval per question over the evaluation set,
// with a naive linear scan of the same documents run side by side as the baseline.
// Writes bench/results/retrieval.json (or $BENCH_RESULTS_DIR/retrieval.json: `npm run bench` tests
// use a temp folder). Target: p50 under 1 ms per question.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadContent } from "../../src/content/load.js";
import { retrieve } from "../../src/core/knowledge/question-triage.js";
import { knowledgeIndex } from "../../src/core/knowledge/search.js";
import { evalParts, loadEvalSet } from "../../test/eval/eval-set.js";
import { writeResults } from "../lib/results.js";
import { figure, round } from "../report.js";
import { LinearScan } from "./linear-scan.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
/** Unmeasured calls before each question's samples: as many as the runs, at most 20. */
const WARMUP = Math.min(20, RUNS);
/**
 * At most this many questions, spread evenly over the evaluation set (every held-out part's and the
 * tuning part's): the set grows with every labelled batch, and latency per question does not need
 * all of them (4,700 questions took over ten minutes, most of it in the linear scan).
 */
const MAX_QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 600);
const TARGET_P50_MS = 1;
const TARGET_P99_MS = 5;

const { knowledge } = loadContent();
// Every part of the evaluation set: the held-out questions are the kind staff really type.
const everyQuestion = evalParts().flatMap((part) => loadEvalSet(part).map((c) => c.q));
const step = Math.max(1, everyQuestion.length / MAX_QUESTIONS);
const questions = Array.from(
  { length: Math.min(MAX_QUESTIONS, everyQuestion.length) },
  (_, i) => everyQuestion[Math.floor(i * step)] ?? "",
);

const buildStarted = process.hrtime.bigint();
knowledgeIndex(knowledge);
const buildMs = elapsedMs(buildStarted);
const scanStarted = process.hrtime.bigint();
const scan = new LinearScan(knowledge);
const scanBuildMs = elapsedMs(scanStarted);

/** Milliseconds per call of `fn(question)`, RUNS samples after WARMUP unmeasured calls. */
function samples(fn: (q: string) => unknown, question: string): number[] {
  for (let i = 0; i < WARMUP; i++) fn(question);
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    fn(question);
    out.push(elapsedMs(started));
  }
  return out;
}

const rows: Array<{ question: string; p50: number; p99: number; baselineP50: number; baselineP99: number }> =
  [];
const all: number[] = [];
const allBaseline: number[] = [];
for (const question of questions) {
  // Alternating per question keeps both runs under the same machine conditions.
  const ours = samples((q) => retrieve(knowledge, q), question);
  const theirs = samples((q) => scan.rank(q), question);
  all.push(...ours);
  allBaseline.push(...theirs);
  rows.push({
    question,
    p50: percentile(ours, 50),
    p99: percentile(ours, 99),
    baselineP50: percentile(theirs, 50),
    baselineP99: percentile(theirs, 99),
  });
}

const group = `Retrieval (${questions.length} questions x ${RUNS})`;
const perQuestion = (name: string, p: number, target: number) =>
  figure({
    group,
    name,
    unit: "ms",
    value: percentile(all, p),
    baseline: percentile(allBaseline, p),
    baselineName: "linear scan",
    target: { valueBelow: target },
  });
const figures = {
  "retrieval.p50": perQuestion("p50 per question", 50, TARGET_P50_MS),
  "retrieval.p99": perQuestion("p99 per question", 99, TARGET_P99_MS),
};
const indexBuild = {
  value: round(buildMs),
  baseline: round(scanBuildMs),
  ratio: round(buildMs / scanBuildMs),
};

const width = 60;
const ms = (x: number) => x.toFixed(3).padStart(8);
const lines = [
  `Retrieval latency over ${questions.length} evaluation questions, ${RUNS} runs each (Node ${process.version})`,
  `${"question".padEnd(width)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"scan p50".padStart(8)} ${"scan p99".padStart(8)}`,
  ...rows.map(
    (r) =>
      `${r.question.slice(0, width).padEnd(width)} ${ms(r.p50)} ${ms(r.p99)} ${ms(r.baselineP50)} ${ms(r.baselineP99)}`,
  ),
  "",
  ...Object.values(figures).map(
    (f) =>
      `${f.name.padEnd(18)} value ${f.value} ms   baseline (${f.baselineName}) ${f.baseline} ms   ratio ${f.ratio}   target ${f.target}: ${f.met ? "met" : "NOT MET"}`,
  ),
  `index build        value ${indexBuild.value} ms   baseline ${indexBuild.baseline} ms (not a target)`,
];
process.stdout.write(`${lines.join("\n")}\n`);

const resultsDir = process.env.BENCH_RESULTS_DIR ?? fileURLToPath(new URL("../results/", import.meta.url));
writeResults(join(resultsDir, "retrieval.json"), {
  benchmark: "retrieval",
  description:
    "retrieve() latency per question over up to 600 questions spread evenly over the tuning part (knowledge/questions.yaml) and every held-out*.yaml; baseline: linear scan of the same documents; ratio = value / baseline",
  questions: questions.length,
  runsPerQuestion: RUNS,
  figures,
  informational: { indexBuildMs: indexBuild },
  perQuestion: rows.map((r) => ({
    question: r.question,
    p50: round(r.p50),
    p99: round(r.p99),
    baselineP50: round(r.baselineP50),
    baselineP99: round(r.baselineP99),
  })),
});
process.exitCode = figures["retrieval.p50"].met ? 0 : 1;

function elapsedMs(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
