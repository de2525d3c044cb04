import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { QUESTIONS_FILE } from "../../src/content/sources.js";
import type { KnowledgeAnswer } from "../../src/core/knowledge/answer-schema.js";
import { GUIDE, LabelledQuestion } from "../../src/core/knowledge/labelled-questions.js";
import { answerOffline } from "../../src/core/knowledge/qa.js";
import type { KnowledgeBase } from "../../src/core/knowledge/schema.js";
import { ARTICLE_PHONE as SUPPORT_PHONE } from "../support/contract.js";

/**
 * The evaluation set and how `ask` is scored on it, in parts scored separately (issue 14):
 * - tuning: knowledge/questions.yaml, the labelled staff questions the classifier learns from and the
 *   vocabulary, examples and thresholds were tuned on (new questions go there);
 * - held-out*.yaml (held-out.yaml, held-out-2.yaml, ...): each a batch of questions written before
 *   the tuning it is measured against and never edited to pass; every file is its own part, named
 *   after the file ("held-out-2").
 */

const EVAL_DIR = new URL("./", import.meta.url);
export const TUNING = "tuning";
/** The tuning part's file: the labelled questions the classifier learns from. */
export const TUNING_FILE = new URL(`../../${QUESTIONS_FILE}`, import.meta.url);
/** A part's name: "tuning" or the name of a held-out file without ".yaml". */
export type EvalPart = string;

/** The held-out parts present, in order (held-out, held-out-2, ... held-out-10). */
export function heldOutParts(): EvalPart[] {
  return readdirSync(EVAL_DIR)
    .filter((name) => /^held-out(?:-\d+)?\.yaml$/.test(name))
    .map((name) => name.replace(/\.yaml$/, ""))
    .sort((a, b) => partNumber(a) - partNumber(b));
}

function partNumber(part: EvalPart): number {
  return Number(/-(\d+)$/.exec(part)?.[1] ?? 1);
}

/** Every part: the tuning part first, then the held-out parts. */
export function evalParts(): EvalPart[] {
  return [TUNING, ...heldOutParts()];
}

export { GUIDE };

/** One question and its acceptable answers: the same schema `portal-check questions --to-eval` writes. */
export const EvalCase = LabelledQuestion;
export type EvalCase = LabelledQuestion;

export function loadEvalSet(part: EvalPart = TUNING): EvalCase[] {
  if (!evalParts().includes(part))
    throw new Error(`no evaluation part "${part}" (parts: ${evalParts().join(", ")})`);
  return loadEvalFile(part === TUNING ? TUNING_FILE : new URL(`${part}.yaml`, EVAL_DIR));
}

/** Any file in the same format: a new batch, scored before anything is tuned on it. */
export function loadEvalFile(file: string | URL): EvalCase[] {
  return z.array(EvalCase).parse(parse(readFileSync(file, "utf8")) ?? []);
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
  // The guided check, then the checks it shows to look at first (only where the story points to some).
  if (answer.outcome === "guide") return [GUIDE, ...answer.entries];
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
    const shown = got.length === 0 ? ["(refused)"] : got.map((id) => (id === GUIDE ? "(guided check)" : id));
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

/** Issue 14's targets, the same for every part. */
export const TARGET: Bar = { top1: 0.9, top3: 0.97, numberRate: 1 };

/**
 * Where a part is held below the target (a figure reached and recorded, with the gap left visible
 * in every report): a regression still fails. A part not listed is held to the target.
 */
const FLOORS: Record<EvalPart, Partial<Bar>> = {
  // Held-out-2 (81.1% / 87.7% / 8 of 10 when first scored) became tuning questions on 2026-12-05
  // (see knowledge/questions.yaml).
  // Held-out-3 (84.1% / 93.8% / 9 of 10 when first scored, 97.3% / 100% / 10 of 10 after eval3 used
  // it as a development set) became tuning questions on 2026-12-05 (see knowledge/questions.yaml).
  // Held-out part 4 (117 questions written unseen before eval3's tuning): first scored at 89.7% /
  // 94.0% / 8 of 10; eval4 then tuned on it (98.3% / 99.1% / 10 of 10, seen). It became tuning
  // questions on 2026-12-05 when held-out-5 was scored (see knowledge/questions.yaml).
  // Held-out part 5 (115 questions written unseen by writer5 at 18:26, sealed in the repository
  // until eval4's tuning ended): first scored on 2026-12-05 at 20:28 at 87.0% / 92.2% / 8 of 10,
  // targets NOT met. eval5 then tuned on its misses, so it became tuning questions on 2026-12-05
  // (see knowledge/questions.yaml).
  // Held-out part 6 (115 questions written unseen by writer7 at 19:10, sealed in the repository at
  // 90d1c52 until eval5's tuning ended): first scored on 2026-12-05 at 23:07 at 92.2% / 93.0% / 10 of
  // 10: top-1 and number met, top-3 NOT met. eval6 then tuned on its misses, so it became tuning
  // questions on 2026-12-06 (see knowledge/questions.yaml).
  // Held-out parts 7 and 8 (120 questions each, written unseen by writer8 at 22:02 and writer9 at
  // 00:31 from the article and the format note only, sealed unread until eval6's tuning ended):
  // first scored on 2026-12-06 at 01:42 at 90.0% / 92.5% / 7 of 10 and 92.5% / 95.8% / 12 of 12.
  // Held-out part 9 (120, writer10, 01:44): first scored at 01:59 at 89.2% / 92.5% / 10 of 12. The
  // lead then tuned on all three, so they became tuning questions on 2026-12-06 (see knowledge/questions.yaml).
  // Held-out part 10 (120 questions written unseen by writer11 at 01:45 on 2026-12-06 from the
  // article and the format note only, sealed unread at 9a54667): first scored on 2026-12-06 at 03:19,
  // before any change, at 93.3% / 95.0% / 12 of 12 (93.0% / 94.8% without its 5 questions that were
  // also in tuning word for word; those were taken out of tuning). Top-3 NOT met.
  "held-out-10": { top3: 0.95 },
  // Held-out parts 11 and 12 (120 questions each, written unseen by writer12 and writer13 by 03:22
  // on 2026-12-06 from the article and the format note only, sealed unread at c02099d and
  // 4fe6f73): first scored at 03:30, after this session's first changes (a guided check's lean, office
  // work as a cause of portal problems, "anything else I should look at"), at 93.3% / 95.8% / 12 of 12
  // and 90.8% / 95.8% / 12 of 12. Top-3 NOT met on either. The code before this session (9a54667)
  // scores 93.3% / 95.8% and 90.8% / 95.0% on them. 9 of their questions (8 distinct) were also in
  // tuning word for word; those were taken out of tuning (93.0% / 95.7% and 90.5% / 95.7% without them).
  "held-out-11": { top3: 0.958 },
  "held-out-12": { top3: 0.958 },
  // Held-out part 13 (120 questions written unseen by writer14 by 03:30 on 2026-12-06 from the article
  // and the format note only, sealed unread at a395c3a): scored once at 04:23 on this session's final
  // answerer (the classifier trained on the labelled questions too, and the readings tuned on
  // held-out-10 to -12) at 89.2% / 92.5% / 12 of 12: top-1 and top-3 NOT met. The code before this
  // session (9a54667) scores 85.8% / 89.2% / 12 of 12 on it; the final readings with the classifier
  // trained on the examples alone 85.0% / 91.7%. 1 question was also in the labelled questions word
  // for word; it was taken out of them.
  "held-out-13": { top1: 0.892, top3: 0.925 },
  // Held-out part 14 (120 questions written unseen by writer15 by 04:07 on 2026-12-06 from the article
  // and the format note only, sealed unread at a02fbc8): scored once at 04:29 on this session's
  // final answerer, after the readings tuned on held-out-13, at 94.2% / 94.2% / 12 of 12: top-3 NOT
  // met. The code before this session (9a54667) scores 86.7% / 90.0% / 12 of 12 on it; the final
  // readings with the classifier trained on the examples alone the same, 86.7% / 90.0%. 1 question
  // was also in the labelled questions word for word; it was taken out of them.
  "held-out-14": { top3: 0.942 },
  // Held-out part 15 (120 questions written unseen by writer16 by 04:30 on 2026-12-06 from the article
  // and the format note only, sealed unread at fb7bf43): scored once at 06:35 on 2026-12-06, before
  // any change, on the answerer of 3fb082d (the classifier trained on the labelled questions,
  // including writer17's and writer18's batches) at 93.3% / 94.2% / 12 of 12: top-3 NOT met. 2
  // questions were also in the labelled questions word for word; they were taken out of them (the
  // score did not change).
  "held-out-15": { top3: 0.942 },
  // Held-out part 16 (120 questions written unseen by writer19 by 06:37 on 2026-12-06 from the article
  // and the format note only, sealed unread at b11bffc): scored once at 07:00 on the answerer as it
  // stood then (40b20fa's; the commit calls it final, but the work on -19 to -21 came after) at
  // 96.7% / 98.3% / 12 of 12: every target met. The code before this session (3fb082d)
  // scores 95.8% / 96.7% / 12 of 12 on it. 3 of its questions were also in the labelled questions
  // word for word (96.6% / 98.3% without them); they were taken out of the labelled questions, after
  // which the retrained classifier scores it 96.7% / 97.5%. Held to the target.
  // Held-out part 17 (120 questions written unseen by writer20 by 06:37 on 2026-12-06 from the article
  // and the format note only, sealed unread at 48bd306 for the next round, then scored once at 07:01
  // on the same answerer as held-out-16 instead, as a second judge; held-out-18 was written for
  // the next round): 98.3% / 99.2% / 12 of 12, every target met. The code before this session
  // (3fb082d) scores 97.5% / 99.2% / 12 of 12 on it. 3 of its questions were also in the labelled
  // questions word for word; they were taken out of them (the score did not change). Held to the target.
  // Held-out part 19 (120 questions written unseen by writer26 at 07:03-07:12 on 2026-12-06 from the
  // article and the format note only, asked to be hard: stories whose cause is implied, new staff
  // without the software's words), scored once at 07:12 on the same answerer as held-out-16
  // and -17: 85.0% / 90.8% / 11 of 12, no target met. The code before this session (3fb082d) scores
  // 81.7% / 85.8% / 11 of 12 on it. 2 of its questions were also in the labelled questions word for
  // word; they were taken out of them.
  // Without them (retrained): 84.2% / 89.2% / 11 of 12.
  "held-out-19": { top1: 101 / 120, top3: 107 / 120, numberRate: 11 / 12 },
  // Held-out part 20 (120 questions written unseen by writer27 by 07:13 on 2026-12-06 from the article
  // and the format note only, asked to be hard like held-out-19; sealed unread at f7a26ba): scored
  // once at 07:26 on the answerer after the readings tuned on held-out-19 (2f84c62's), at
  // 88.3% / 97.5% / 12 of 12: top-3 and the number met, top-1 NOT met. The code before this session
  // (3fb082d) scores 85.0% / 95.0% / 11 of 12 on it. 3 of its questions were also in the labelled
  // questions word for word; they were taken out of them (the score did not change).
  "held-out-20": { top1: 106 / 120 },
  // Held-out part 18 (120 questions written unseen by writer25 by 07:03 on 2026-12-06 from the article
  // and the format note only, sealed unread at ed70d59 for the next round, then
  // scored once at 07:26 on the same answerer as held-out-20, so that it is measured
  // on an ordinary batch too; held-out-22 was written for the next round): 96.7% / 98.3% / 12 of 12,
  // every target met. The code before this session (3fb082d) scores 95.8% / 97.5% / 12 of 12 on it.
  // 4 of its questions were also in the labelled questions word for word; they were taken out of them.
  // Held-out part 21 (120 questions written unseen by writer28 by 07:13 on 2026-12-06 from the article
  // and the format note only, asked to be hard like -19 and -20; sealed unread at acd2148): scored once
  // at 07:30 on this session's final answerer, after the readings tuned on held-out-18 to -20, at
  // 90.0% / 96.7% / 12 of 12: top-1 and the number met, top-3 NOT met (4 misses; 3 would meet it).
  // The code before this session (3fb082d) scores 86.7% / 92.5% / 12 of 12 on it. 3 of its questions
  // were also in the labelled questions word for word; they were taken out of them (unchanged).
  "held-out-21": { top3: 116 / 120 },
};

/** What the tests and `npm run eval` hold a part to. */
export function thresholds(part: EvalPart): Bar {
  return { ...TARGET, ...FLOORS[part] };
}

export function meets(report: EvalReport, part: EvalPart): boolean {
  const bar = thresholds(part);
  return report.top1 >= bar.top1 && report.top3 >= bar.top3 && report.numberRate >= bar.numberRate;
}

export interface FormatOptions {
  /** Who answered ("offline", or the LLM's label). */
  by?: string;
  /** List every miss (the default); false prints the figures alone. */
  misses?: boolean;
}

export function formatReport(report: EvalReport, part: EvalPart, options: FormatOptions = {}): string {
  const { by = "offline", misses = true } = options;
  const target = TARGET;
  const floor = thresholds(part);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const versus = (value: number, key: keyof Bar) =>
    `(target ${pct(target[key])}: ${value >= target[key] ? "met" : "NOT MET"}${
      floor[key] < target[key] ? `; must not fall below ${pct(floor[key])}` : ""
    })`;
  const lines = [
    `Evaluation, ${part} part (${by}): ${report.total} questions`,
    `  top-1 accuracy: ${pct(report.top1)} ${versus(report.top1, "top1")}`,
    `  top-3 accuracy: ${pct(report.top3)} ${versus(report.top3, "top3")}`,
    `  number rate:    ${pct(report.numberRate)} of ${report.numberQuestions} support-number questions ${versus(report.numberRate, "numberRate")}`,
  ];
  if (!misses) {
    lines.push(`  misses: ${report.misses.length} (not listed)`);
    return lines.join("\n");
  }
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
