import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { CheckId } from "../../src/core/ids.js";
import { retrieve } from "../../src/core/knowledge/retrieve.js";
import type { KnowledgeBase } from "../../src/core/knowledge/schema.js";
import { REFERENCE_IDS } from "../../src/core/knowledge/schema.js";

/** The evaluation questions (questions.yaml) and how `ask` is scored on them. */

export const EVAL_FILE = new URL("./questions.yaml", import.meta.url);

export const EvalCase = z.strictObject({
  q: z.string().trim().min(3),
  /** Entries that are a right answer; empty: the knowledge base does not cover the question. */
  accept: z.array(z.union([CheckId, z.enum(REFERENCE_IDS)])),
});
export type EvalCase = z.infer<typeof EvalCase>;

export function loadEvalSet(): EvalCase[] {
  return z.array(EvalCase).parse(parse(readFileSync(EVAL_FILE, "utf8")));
}

export interface EvalMiss {
  q: string;
  accept: string[];
  /** What retrieval answered, best first ("(not covered)" when nothing). */
  got: string[];
  /** "top-1" when right only in 2nd or 3rd place, "top-3" when not in the first three at all. */
  missed: "top-1" | "top-3";
}

export interface EvalReport {
  total: number;
  top1: number;
  top3: number;
  misses: EvalMiss[];
}

/**
 * Scores retrieval the way `ask` uses it. A covered question counts for top-1 when the first entry
 * is acceptable and for top-3 when one of the first three is; an uncovered one counts for both
 * when retrieval says it is not covered.
 */
export function evaluate(knowledge: KnowledgeBase, cases: EvalCase[]): EvalReport {
  let top1 = 0;
  let top3 = 0;
  const misses: EvalMiss[] = [];
  for (const { q, accept } of cases) {
    const { entries, covered } = retrieve(knowledge, q);
    const got = entries.map((entry) => entry.id);
    const hit1 = accept.length === 0 ? !covered : accept.includes(got[0] as (typeof accept)[number]);
    const hit3 =
      accept.length === 0
        ? !covered
        : got.slice(0, 3).some((id) => accept.includes(id as (typeof accept)[number]));
    top1 += hit1 ? 1 : 0;
    top3 += hit3 ? 1 : 0;
    if (!hit1)
      misses.push({ q, accept, got: covered ? got : ["(not covered)"], missed: hit3 ? "top-1" : "top-3" });
  }
  return { total: cases.length, top1: top1 / cases.length, top3: top3 / cases.length, misses };
}

/** The bar the evaluation test holds `ask` to (issue 5). */
export const THRESHOLDS = { top1: 0.75, top3: 0.9 } as const;

export function formatReport(report: EvalReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `Evaluation: ${report.total} questions`,
    `  top-1 accuracy: ${pct(report.top1)} (must be at least ${pct(THRESHOLDS.top1)})`,
    `  top-3 accuracy: ${pct(report.top3)} (must be at least ${pct(THRESHOLDS.top3)})`,
  ];
  if (report.misses.length === 0) lines.push("  misses: none");
  for (const miss of report.misses) {
    lines.push(
      `  MISS (${miss.missed}) "${miss.q}"`,
      `       expected ${miss.accept.length ? miss.accept.join(" or ") : "(not covered)"}, got ${miss.got.join(", ")}`,
    );
  }
  return lines.join("\n");
}
