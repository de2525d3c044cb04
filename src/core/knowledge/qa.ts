import { CheckId, type OpVersion } from "../ids.js";
import type { KnowledgeAnswer } from "./answer-schema.js";
import { extractiveAnswer } from "./extractive.js";
import type { ChatModelChoice } from "./llm-provider.js";
import { questionText } from "./question.js";
import { retrieve } from "./retrieve.js";
import type { KnowledgeBase } from "./schema.js";

/**
 * Free-text questions about the knowledge base: the API the CLI, the Slack app and the flow engine
 * use. The search index is built on the first call for a knowledge base and reused afterwards.
 */

export interface AskOptions {
  /** The practice's OP version; without it, one named in the question, else both versions' steps. */
  version?: OpVersion;
  /** A chat model to write the answer (see chatModelFromEnv); without it, the offline answer. */
  llm?: Pick<ChatModelChoice, "model" | "timeoutMs">;
}

export async function answerQuestion(
  knowledge: KnowledgeBase,
  asked: string,
  options: AskOptions = {},
): Promise<KnowledgeAnswer> {
  const question = questionText(asked);
  if (options.llm) {
    // LangChain (a few hundred ms of imports) loads only when a chat model is configured.
    const { llmAnswer } = await import("./llm-answer.js");
    return llmAnswer(knowledge, question, options.llm.model, {
      version: options.version,
      timeoutMs: options.llm.timeoutMs,
    });
  }
  return answerOffline(knowledge, question, options.version);
}

/** The extractive answer: synchronous, offline, deterministic. */
export function answerOffline(
  knowledge: KnowledgeBase,
  question: string,
  version?: OpVersion,
): KnowledgeAnswer {
  return extractiveAnswer(knowledge, retrieve(knowledge, question, version));
}

export interface CheckSuggestion {
  check: CheckId;
  /** This check's share of the evidence among the relevant entries, 0..1 (1: nothing else matched). */
  score: number;
}

/**
 * The check a guided conversation should start at for what the user typed ("dad gets a server
 * error" → portal-authority), or undefined when the text names no known symptom (start at the top).
 */
export function suggestCheck(knowledge: KnowledgeBase, text: string): CheckSuggestion | undefined {
  const { entries } = retrieve(knowledge, questionText(text));
  const total = entries.reduce((sum, entry) => sum + entry.score, 0);
  for (const entry of entries) {
    const check = CheckId.safeParse(entry.id);
    if (check.success) return { check: check.data, score: total > 0 ? entry.score / total : 0 };
  }
  return undefined;
}
