import type { CheckId, OpVersion } from "../ids.js";
import type { KnowledgeAnswer } from "./answer-schema.js";
import { extractiveAnswer } from "./extractive.js";
import type { ChatModelChoice } from "./llm-provider.js";
import { questionText } from "./question.js";
import { retrieve } from "./question-triage.js";
import { checkIdsOf, type KnowledgeBase } from "./schema.js";

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
  const checks = entries.flatMap((entry) =>
    knowledge.get(entry.id)?.kind === "check"
      ? [{ check: entry.id as CheckId, score: entry.score, keywords: entry.keywords }]
      : [],
  );
  const order = checkIdsOf(knowledge);
  const best = checks[0];
  if (!best) return undefined;
  // The guided check walks forward: of the checks nearly as likely as the best one, or that the
  // same symptom's words name (the article's two explanations of a "server error"), start at the
  // earliest, so the walk passes the others too ("server error": Authority, then the dates).
  const start =
    checks
      .filter(
        (c) =>
          c.score >= best.score * NEARLY_AS_LIKELY ||
          c.keywords.some((keyword) => best.keywords.includes(keyword)),
      )
      .sort((a, b) => order.indexOf(a.check) - order.indexOf(b.check))[0] ?? best;
  return { check: start.check, score: total > 0 ? start.score / total : 0 };
}

/** Share of the best check's score at which another check counts as nearly as likely. */
const NEARLY_AS_LIKELY = 0.6;
