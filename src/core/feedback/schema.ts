import { z } from "zod";
import { AnswerOutcome } from "../knowledge/answer-schema.js";

/**
 * Questions asked in Slack and what staff said of the answers, kept (after redactQuestionText) so a content
 * maintainer can see what `ask` misses: `portal-check questions`.
 */

/** 👍, 👎, or "this did not help" at the end of a guided check that did not fix it. */
export const Verdict = z.enum(["up", "down", "not-helped"]);
export type Verdict = z.infer<typeof Verdict>;

export const QuestionRecord = z.object({
  id: z.string().min(1).max(100),
  askedAt: z.iso.datetime(),
  /** The question after redactQuestionText(): never the text as typed. */
  text: z.string().max(4000),
  outcome: AnswerOutcome,
  /** The entry the answer led with (null when it guided or refused). */
  top: z.string().nullable(),
  /** How sure retrieval was, 0..1 (see Retrieval.confidence). */
  confidence: z.number().min(0).max(1),
  verdict: Verdict.nullable(),
  expiresAt: z.iso.datetime(),
});
export type QuestionRecord = z.infer<typeof QuestionRecord>;
export type NewQuestionRecord = Omit<QuestionRecord, "askedAt" | "expiresAt" | "verdict"> & {
  verdict?: Verdict | null;
};

/** Feedback is kept this many days unless FEEDBACK_RETENTION_DAYS says otherwise. */
export const DEFAULT_FEEDBACK_RETENTION_DAYS = 90;
