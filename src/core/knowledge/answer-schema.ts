import { z } from "zod";
import { Citation } from "../flow/prompt.js";
import { CheckId } from "../ids.js";

/** An answer to a free-text question. `answer`, `checks` and `citations` are the CLI's JSON (docs/architecture.md). */
export const KnowledgeAnswer = z.object({
  /** Plain text, lines separated by \n. */
  answer: z.string(),
  /** Check ids the answer points to, best first (empty for a reference-only or uncovered answer). */
  checks: z.array(CheckId),
  /** The knowledge sections the answer is built from. */
  citations: z.array(Citation),
  /** False when the knowledge base does not cover the question; the answer then offers the guided check. */
  covered: z.boolean(),
  /** Who wrote the answer. */
  by: z.enum(["extractive", "llm"]),
  /** Why an LLM answer was not used, when one was asked for (for the operator, never for Slack). */
  fallback: z.string().optional(),
});
export type KnowledgeAnswer = z.infer<typeof KnowledgeAnswer>;
