// `npm run eval:cv`: k-fold cross-validation over the knowledge's own front matter (issue 14): every
// entry's `examples:` and `unrelated:` are dealt into K folds in file order; for each fold the index
// (classifier, spelling vocabulary) is built without that fold's questions, which are then answered.
// An example should be answered by its entry first (guided-check's: the guided check), an unrelated
// question refused. A figure for how well the examples generalize to wording the model has not seen,
// without a held-out set to tune on. Offline and deterministic.
//
//   npm run eval:cv                  5 folds, figures only
//   npm run eval:cv -- --folds 10 --misses
import { parseArgs } from "node:util";
import { loadContent } from "../../src/content/load.js";
import { answerOffline } from "../../src/core/knowledge/qa.js";
import type { KnowledgeBase } from "../../src/core/knowledge/schema.js";
import { type EvalCase, GUIDE, score } from "./eval-set.js";

const { values } = parseArgs({
  options: {
    folds: { type: "string", default: "5" },
    misses: { type: "boolean", default: false },
  },
});
const K = Number(values.folds);
const { knowledge } = loadContent();

interface Held {
  fold: number;
  entry: string;
  field: "examples" | "unrelated";
  q: string;
}
const all: Held[] = [];
for (const entry of knowledge.values())
  for (const field of ["examples", "unrelated"] as const)
    for (const q of entry[field]) all.push({ fold: all.length % K, entry: entry.id, field, q });

const cases: EvalCase[] = [];
const answers = [];
for (let fold = 0; fold < K; fold++) {
  const held = all.filter((h) => h.fold === fold);
  const out = new Set(held.map((h) => `${h.entry}\n${h.field}\n${h.q}`));
  const kept = (id: string, field: "examples" | "unrelated", list: string[]) =>
    list.filter((q) => !out.has(`${id}\n${field}\n${q}`));
  const trained: KnowledgeBase = new Map(
    [...knowledge.values()].map((e) => [
      e.id,
      { ...e, examples: kept(e.id, "examples", e.examples), unrelated: kept(e.id, "unrelated", e.unrelated) },
    ]),
  );
  for (const h of held) {
    cases.push({
      q: h.q,
      accept: h.field === "unrelated" ? [] : [h.entry === "guided-check" ? GUIDE : h.entry],
    } as EvalCase);
    answers.push(answerOffline(trained, h.q));
  }
}
const report = score(cases, answers);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const examples = all.filter((h) => h.field === "examples").length;
process.stdout.write(
  `Cross-validation, ${K} folds over ${all.length} front-matter questions (${examples} examples, ${all.length - examples} unrelated)\n` +
    `  top-1: ${pct(report.top1)}  top-3: ${pct(report.top3)}  misses: ${report.misses.length}\n`,
);
if (values.misses)
  for (const m of report.misses)
    process.stdout.write(
      `  MISS (${m.missed}) "${m.q}"\n       expected ${m.accept.join(" or ") || "(refused)"}, got ${m.got.join(", ")}\n`,
    );
