import type { CheckId, OpVersion } from "../core/ids.js";
import type { KnowledgeAnswer } from "../core/knowledge/answer-schema.js";
import type { ChatModelChoice } from "../core/knowledge/llm-provider.js";
import { answerQuestion, suggestCheck } from "../core/knowledge/qa.js";
import type { KnowledgeBase } from "../core/knowledge/schema.js";

/**
 * What the Slack app asks of the knowledge Q&A: the check a description points at (where
 * `/portal-check <text>` starts) and answers to mentions and DMs.
 */
export interface KnowledgeHelp {
  suggest(text: string): Promise<CheckId | undefined>;
  answer(question: string, version: OpVersion | undefined): Promise<KnowledgeAnswer>;
}

/** The knowledge base's retriever and answerer; with `llm`, a chat model writes the answers. */
export function knowledgeHelp(
  knowledge: KnowledgeBase,
  llm?: Pick<ChatModelChoice, "model" | "timeoutMs">,
): KnowledgeHelp {
  return {
    suggest: async (text) => suggestCheck(knowledge, text)?.check,
    answer: (question, version) =>
      answerQuestion(knowledge, question, { ...(version ? { version } : {}), ...(llm ? { llm } : {}) }),
  };
}
