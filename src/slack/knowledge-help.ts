import type { CheckId, OpVersion } from "../core/ids.js";
import type { KnowledgeAnswer } from "../core/knowledge/answer-schema.js";
import type { ChatModelChoice } from "../core/knowledge/llm-provider.js";
import type { KnowledgeBase } from "../core/knowledge/schema.js";

/**
 * What the Slack app asks of the knowledge Q&A: the check a description points at (where
 * `/portal-check <text>` starts) and answers to mentions and DMs.
 */
export interface KnowledgeHelp {
  suggest(text: string): Promise<CheckId | undefined>;
  answer(question: string, version: OpVersion | undefined): Promise<KnowledgeAnswer>;
  /** Gets ready for the first question; the app calls it once it is listening. */
  warm?(): Promise<void>;
}

/**
 * The Q&A modules load on first use rather than at start-up: the search libraries and the index
 * (about 40 ms; LangChain too, when a chat model is configured) are needed by neither
 * `/portal-check` without text nor the buttons, so the app listens sooner.
 */
let qaModule: Promise<typeof import("../core/knowledge/qa.js")> | undefined;
const qa = () => {
  qaModule ??= import("../core/knowledge/qa.js");
  return qaModule;
};

/** The knowledge base's retriever and answerer; with `llm`, a chat model writes the answers. */
export function knowledgeHelp(
  knowledge: KnowledgeBase,
  llm?: Pick<ChatModelChoice, "model" | "timeoutMs">,
): KnowledgeHelp {
  return {
    suggest: async (text) => (await qa()).suggestCheck(knowledge, text)?.check,
    answer: async (question, version) =>
      (await qa()).answerQuestion(knowledge, question, {
        ...(version ? { version } : {}),
        ...(llm ? { llm } : {}),
      }),
    // Loads the modules and builds the search index, so the first question does not wait for them.
    warm: async () => {
      (await qa()).suggestCheck(knowledge, "portal");
    },
  };
}
