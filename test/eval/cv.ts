// `npm run eval:cv`: k-fold cross-validation (issue 14), offline and deterministic.
//
// --over examples (the default): the knowledge's own front matter. Every entry's `examples:` and
// `unrelated:` are dealt into K folds in file order; for each fold the index (classifier, spelling
// vocabulary) is built without that fold's questions, which are then answered. An example should be
// answered by its entry first (guided-check's: the guided check), an unrelated question refused.
//
// --over tuning: the WHOLE pipeline over the tuning part (knowledge/questions.yaml). Its questions
// are dealt into K folds (--by item: in file order; --by batch: whole runs of questions under one
// comment in the file, a batch or a section of one, so a fold's questions come from runs the other
// folds did not see); each fold is answered and scored like `npm run eval` (top-1, top-3, number
// rate), by a classifier that learned from the examples and the OTHER folds' questions. The readings
// (understand.ts) and thresholds were tuned on all of the tuning part, so this measures what the
// classifier's training data adds, not how the readings generalize.
//
// The classifier learns as `ask`'s does: from the front matter and the labelled questions (each an
// example of its first acceptable answer, or an unrelated one where it should be declined); over the
// examples, from all of them in every fold. --examples-only: from the front matter alone (`ask`
// before 2026-12-06), to compare. Held-out files are never read here.
//
//   npm run eval:cv                                   5 folds over the examples, figures only
//   npm run eval:cv -- --folds 10 --misses
//   npm run eval:cv -- --over tuning --by batch       the whole pipeline
//   npm run eval:cv -- --over tuning --by batch --examples-only
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadContentParts } from "../../src/content/load.js";
import type { KnowledgeAnswer } from "../../src/core/knowledge/answer-schema.js";
import { withLabelledQuestions } from "../../src/core/knowledge/labelled-questions.js";
import { answerOffline } from "../../src/core/knowledge/qa.js";
import type { KnowledgeBase } from "../../src/core/knowledge/schema.js";
import { type EvalCase, GUIDE, score, TUNING, TUNING_FILE } from "./eval-set.js";

const { values } = parseArgs({
  options: {
    folds: { type: "string", default: "5" },
    misses: { type: "boolean", default: false },
    over: { type: "string", default: "examples" },
    by: { type: "string", default: "item" },
    "examples-only": { type: "boolean", default: false },
  },
});
const K = Number(values.folds);
if (!Number.isInteger(K) || K < 2) usage("--folds must be a whole number of at least 2");
if (values.over !== "examples" && values.over !== TUNING) usage("--over is examples or tuning");
if (values.by !== "item" && values.by !== "batch") usage("--by is item or batch");
const trainOnTuning = !values["examples-only"];
const { written, questions } = loadContentParts();
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function usage(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** The run of each tuning question: a new run starts at a comment that follows questions. */
function tuningBatches(text: string): number[] {
  const batches: number[] = [];
  let batch = 0;
  let afterItems = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) {
      if (afterItems) batch += 1;
      afterItems = false;
    } else if (line.startsWith("- ")) {
      batches.push(batch);
      afterItems = true;
    }
  }
  return batches;
}

if (values.over === TUNING) {
  const cases = questions;
  const batches = tuningBatches(readFileSync(TUNING_FILE, "utf8"));
  if (batches.length !== cases.length) throw new Error("questions.yaml: could not tell its batches apart");
  const foldOf = (i: number) => (values.by === "batch" ? (batches[i] ?? 0) : i) % K;
  const answers: KnowledgeAnswer[] = new Array(cases.length);
  for (let fold = 0; fold < K; fold++) {
    const trained: KnowledgeBase = trainOnTuning
      ? withLabelledQuestions(
          written,
          cases.filter((_, i) => foldOf(i) !== fold),
        )
      : written;
    cases.forEach((c, i) => {
      if (foldOf(i) === fold) answers[i] = answerOffline(trained, c.q);
    });
  }
  const report = score(cases, answers);
  process.stdout.write(
    `Cross-validation of the whole pipeline, ${K} folds by ${values.by} over the tuning part (${cases.length} questions${
      values.by === "batch" ? `, ${new Set(batches).size} batches` : ""
    }); classifier trained on the examples${trainOnTuning ? " and the other folds' questions" : " only"}\n` +
      `  top-1: ${pct(report.top1)}  top-3: ${pct(report.top3)}  number: ${Math.round(report.numberRate * report.numberQuestions)} of ${report.numberQuestions}  misses: ${report.misses.length}\n`,
  );
  if (values.misses)
    for (const m of report.misses)
      process.stdout.write(
        `  MISS (${m.missed}) "${m.q}"\n       expected ${m.accept.join(" or ") || "(refused)"}, got ${m.got.join(", ")}\n`,
      );
} else {
  // Over the front matter; unless --examples-only, every labelled question is training in every fold
  // (one that is also an example is left out of the training: withLabelledQuestions).
  const base = trainOnTuning ? withLabelledQuestions(written, questions) : written;
  interface Held {
    fold: number;
    entry: string;
    field: "examples" | "unrelated";
    q: string;
  }
  const all: Held[] = [];
  for (const entry of written.values())
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
      [...base.values()].map((e) => [
        e.id,
        {
          ...e,
          examples: kept(e.id, "examples", e.examples),
          unrelated: kept(e.id, "unrelated", e.unrelated),
        },
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
  const examples = all.filter((h) => h.field === "examples").length;
  process.stdout.write(
    `Cross-validation, ${K} folds over ${all.length} front-matter questions (${examples} examples, ${all.length - examples} unrelated)${
      trainOnTuning ? "; classifier also trained on the labelled questions" : ""
    }\n` + `  top-1: ${pct(report.top1)}  top-3: ${pct(report.top3)}  misses: ${report.misses.length}\n`,
  );
  if (values.misses)
    for (const m of report.misses)
      process.stdout.write(
        `  MISS (${m.missed}) "${m.q}"\n       expected ${m.accept.join(" or ") || "(refused)"}, got ${m.got.join(", ")}\n`,
      );
}
