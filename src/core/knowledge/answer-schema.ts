import { z } from "zod";
import { Citation } from "../flow/prompt.js";
import { CheckId } from "../ids.js";

/**
 * What an answer does: names entries ("answer"), starts the guided check from the first check for a
 * vague in-domain complaint ("guide"), or declines a question outside the domain ("refuse").
 */
export const AnswerOutcome = z.enum(["answer", "guide", "refuse"]);
export type AnswerOutcome = z.infer<typeof AnswerOutcome>;

/** An answer to a free-text question. `answer`, `checks` and `citations` are the CLI's JSON (docs/architecture.md). */
export const KnowledgeAnswer = z.object({
  /** Plain text, lines separated by \n. */
  answer: z.string(),
  /** Check ids the answer points to, best first (empty for a reference-only or uncovered answer). */
  checks: z.array(CheckId),
  /** The knowledge sections the answer is built from. */
  citations: z.array(Citation),
  /** False when no entry answers the question; the answer then offers the guided check. */
  covered: z.boolean(),
  outcome: AnswerOutcome,
  /**
   * Entry ids (checks and references) the answer is about, best first; for the guided check, the
   * checks it shows to look at first (often none); for a refusal, none.
   */
  entries: z.array(z.string()),
  /** How sure retrieval was of what the question is about, 0..1 (low: worth a maintainer's look). */
  confidence: z.number().min(0).max(1),
  /** Who wrote the answer. */
  by: z.enum(["extractive", "llm"]),
  /** Why an LLM answer was not used, when one was asked for (for the operator, never for Slack). */
  fallback: z.string().optional(),
});
export type KnowledgeAnswer = z.infer<typeof KnowledgeAnswer>;
