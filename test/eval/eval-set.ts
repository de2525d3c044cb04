import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { EvalEntry } from "../../src/core/feedback/schema.js";
import type { KnowledgeAnswer } from "../../src/core/knowledge/answer-schema.js";
import { answerOffline } from "../../src/core/knowledge/qa.js";
import type { KnowledgeBase } from "../../src/core/knowledge/schema.js";
import { ARTICLE_PHONE as SUPPORT_PHONE } from "../support/contract.js";

/**
 * The evaluation set and how `ask` is scored on it. Two parts (issue 14):
 * - tuning.yaml: questions the vocabulary, examples and thresholds were tuned on (new questions go here);
 * - held-out.yaml: questions written before any tuning and never edited to pass, scored separately.
 */

export const EVAL_PARTS = {
  tuning: new URL("./tuning.yaml", import.meta.url),
  "held-out": new URL("./held-out.yaml", import.meta.url),
} as const;
export type EvalPart = keyof typeof EVAL_PARTS;

/** `guide`: a vague in-domain complaint, answered by starting the guided check from the first check. */
export const GUIDE = "guide";

/** One question and its acceptable answers: the same schema `portal-check questions --to-eval` writes. */
export const EvalCase = EvalEntry;
export type EvalCase = EvalEntry;

export function loadEvalSet(part: EvalPart = "tuning"): EvalCase[] {
  return z.array(EvalCase).parse(parse(readFileSync(EVAL_PARTS[part], "utf8")) ?? []);
}

export interface EvalMiss {
  q: string;
  accept: string[];
  /** What was answered, best first ("(refused)" or "(guided check)" when no entry). */
  got: string[];
  /** "top-1" when right only in 2nd or 3rd place, "top-3" when not in the first three, "number" when the number was missing. */
  missed: "top-1" | "top-3" | "number";
}

export interface EvalReport {
  total: number;
  top1: number;
  top3: number;
  /** Support-number questions, and how many answers gave the number. */
  numberQuestions: number;
  numberRate: number;
  misses: EvalMiss[];
}

/** What an answerer said, as the scoring needs it. */
function outcomeOf(answer: KnowledgeAnswer): string[] {
  if (answer.outcome === "refuse") return [];
  if (answer.outcome === "guide") return [GUIDE];
  return answer.entries;
}

/**
 * Scores answers the way staff see them. A case counts for top-1 when the first entry answered is
 * acceptable and for top-3 when one of the first three is; [guide] when the answer starts the
 * guided check; [] when the answer refuses. A number case also needs the support number in the text.
 */
export function score(cases: EvalCase[], answers: KnowledgeAnswer[]): EvalReport {
  let top1 = 0;
  let top3 = 0;
  let numbers = 0;
  let numberHits = 0;
  const misses: EvalMiss[] = [];
  cases.forEach(({ q, accept, number }, i) => {
    const answer = answers[i];
    if (!answer) throw new Error(`no answer for "${q}"`);
    const got = outcomeOf(answer);
    const ok = (id: string | undefined) => id !== undefined && (accept as string[]).includes(id);
    const hit1 = accept.length === 0 ? got.length === 0 : ok(got[0]);
    const hit3 = accept.length === 0 ? got.length === 0 : got.slice(0, 3).some(ok);
    top1 += hit1 ? 1 : 0;
    top3 += hit3 ? 1 : 0;
    const shown = got.length === 0 ? ["(refused)"] : got[0] === GUIDE ? ["(guided check)"] : got;
    if (!hit1) misses.push({ q, accept, got: shown, missed: hit3 ? "top-1" : "top-3" });
    if (number) {
      numbers += 1;
      if (answer.answer.includes(SUPPORT_PHONE)) numberHits += 1;
      else if (hit1) misses.push({ q, accept, got: shown, missed: "number" });
    }
  });
  const n = cases.length || 1;
  return {
    total: cases.length,
    top1: top1 / n,
    top3: top3 / n,
    numberQuestions: numbers,
    numberRate: numbers ? numberHits / numbers : 1,
    misses,
  };
}

/** The offline (extractive) answerer over a whole part. */
export function evaluate(knowledge: KnowledgeBase, cases: EvalCase[]): EvalReport {
  return score(
    cases,
    cases.map((c) => answerOffline(knowledge, c.q)),
  );
}

type Bar = { top1: number; top3: number; numberRate: number };

/** Issue 14's targets, the same for both parts. */
export const TARGETS: Record<EvalPart, Bar> = {
  tuning: { top1: 0.9, top3: 0.97, numberRate: 1 },
  "held-out": { top1: 0.9, top3: 0.97, numberRate: 1 },
};

/**
 * What the tests and `npm run eval` hold each part to: the targets where they are met; on the
 * held-out part's top-3, the figure reached at the end of issue 14 (0.947, target 0.97 NOT met),
 * so a regression still fails while the gap stays visible in every report.
 */
export const THRESHOLDS: Record<EvalPart, Bar> = {
  tuning: TARGETS.tuning,
  "held-out": { ...TARGETS["held-out"], top3: 0.94 },
};

export function meets(report: EvalReport, part: EvalPart): boolean {
  const bar = THRESHOLDS[part];
  return report.top1 >= bar.top1 && report.top3 >= bar.top3 && report.numberRate >= bar.numberRate;
}

export function formatReport(report: EvalReport, part: EvalPart, by = "offline"): string {
  const target = TARGETS[part];
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const versus = (value: number, key: keyof Bar) =>
    `(target ${pct(target[key])}: ${value >= target[key] ? "met" : "NOT MET"}${
      THRESHOLDS[part][key] < target[key] ? `; must not fall below ${pct(THRESHOLDS[part][key])}` : ""
    })`;
  const lines = [
    `Evaluation, ${part} part (${by}): ${report.total} questions`,
    `  top-1 accuracy: ${pct(report.top1)} ${versus(report.top1, "top1")}`,
    `  top-3 accuracy: ${pct(report.top3)} ${versus(report.top3, "top3")}`,
    `  number rate:    ${pct(report.numberRate)} of ${report.numberQuestions} support-number questions ${versus(report.numberRate, "numberRate")}`,
  ];
  if (report.misses.length === 0) lines.push("  misses: none");
  for (const miss of report.misses) {
    const expected =
      miss.accept.length === 0
        ? "(refused)"
        : miss.accept.map((a) => (a === GUIDE ? "(guided check)" : a)).join(" or ");
    lines.push(
      `  MISS (${miss.missed}) "${miss.q}"`,
      `       expected ${expected}${miss.missed === "number" ? " with the number" : ""}, got ${miss.got.join(", ")}`,
    );
  }
  return lines.join("\n");
}
