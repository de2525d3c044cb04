import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { CheckId, OpVersion } from "../ids.js";
import type { KnowledgeAnswer } from "./answer-schema.js";
import type { KnowledgeDocument } from "./documents.js";
import { citationsOf, extractiveAnswer } from "./extractive.js";
import { KnowledgeRetriever } from "./langchain-retriever.js";
import { retrieve } from "./question-triage.js";
import { type KnowledgeBase, opVersionsOf } from "./schema.js";

/**
 * The optional LLM answerer: a chat model writes the answer from the retrieved sections only and
 * cites them as [entry-id]. Its answer is used only when every citation names an entry it was
 * given; otherwise, or when the call fails, the extractive answer is returned with the reason.
 */

const SYSTEM = [
  "You help front-desk staff at a pediatric practice whose patients' parents cannot see their",
  "child(ren) on the former OP patient portal.",
  "Answer ONLY from the knowledge sections provided. Each section starts with <<entry-id>>.",
  "After every statement, cite the entry it comes from as [entry-id], for example [portal-authority].",
  "Use square brackets for these citations only.",
  "Use the menu names exactly as the sections give them, for the OP version they are given for.",
  "If the sections do not answer the question, say so and suggest the guided check; do not guess.",
  "Write plain text (no markdown, no bold, no links), at most about 150 words.",
].join(" ");

const CITATION = /\[([^\]\n]{1,80})\]/g;

export interface LlmAnswerOptions {
  version?: OpVersion;
  /** The model call is abandoned after this long and the extractive answer is used. */
  timeoutMs: number;
}

export async function llmAnswer(
  knowledge: KnowledgeBase,
  question: string,
  model: BaseChatModel,
  { version, timeoutMs }: LlmAnswerOptions,
): Promise<KnowledgeAnswer> {
  const retrieval = retrieve(knowledge, question, version);
  const fallback = (reason: string): KnowledgeAnswer => ({
    ...extractiveAnswer(knowledge, retrieval),
    fallback: reason,
  });
  // A question the knowledge does not cover gets the honest "not covered" answer, not a model's guess.
  if (!retrieval.covered) return extractiveAnswer(knowledge, retrieval);

  const docs = await new KnowledgeRetriever({ knowledge, version: retrieval.version }).invoke(question);
  let text: string;
  try {
    const reply = await model.invoke(
      [
        new SystemMessage(SYSTEM),
        new HumanMessage(`${renderSections(docs)}\n\nQuestion: ${redactForModel(question)}`),
      ],
      { signal: AbortSignal.timeout(timeoutMs) },
    );
    text = reply.text.trim();
  } catch (err) {
    return fallback(`the model call failed: ${err instanceof Error ? err.message : String(err)}`);
  }

  const given = new Set(docs.map((doc) => doc.metadata.check));
  const cited: string[] = [];
  for (const match of text.matchAll(CITATION)) {
    for (const id of (match[1] ?? "").split(/[,;]\s*/).map((s) => s.trim())) {
      if (!knowledge.has(id))
        return fallback(`the model cited "${id}", which is not an entry of the knowledge base`);
      if (!given.has(id))
        return fallback(`the model cited "${id}", which was not among the sections it was given`);
      if (!cited.includes(id)) cited.push(id);
    }
  }
  if (cited.length === 0) return fallback("the model's answer cites no section");

  const versions = retrieval.version ? [retrieval.version] : opVersionsOf(knowledge);
  return {
    answer: text,
    checks: cited.filter((id): id is CheckId => knowledge.get(id)?.kind === "check"),
    citations: cited.flatMap((id) => {
      const entry = knowledge.get(id);
      return entry ? citationsOf(entry, versions) : [];
    }),
    covered: true,
    outcome: "answer",
    entries: cited,
    confidence: retrieval.confidence,
    by: "llm",
  };
}

/** The sections as the model sees them, grouped by entry under their <<entry-id>>. */
function renderSections(docs: KnowledgeDocument[]): string {
  const blocks: string[] = [];
  let current = "";
  for (const doc of docs) {
    const { check, section, version, part } = doc.metadata;
    if (check !== current) {
      current = check;
      blocks.push(`<<${check}>>`);
    }
    const heading = part === "steps" && section.startsWith("OP ") ? `Steps in OP ${version}` : section;
    const body = part === "overview" ? doc.pageContent.split("\n").slice(1).join("\n") : doc.pageContent;
    blocks.push(part === "overview" ? `${doc.metadata.title}\n${heading}:\n${body}` : `${heading}:\n${body}`);
  }
  return `Knowledge sections:\n\n${blocks.join("\n\n")}`;
}

/**
 * What staff type may hold PHI. The question goes to a third-party model, so emails, phone numbers
 * and dates are replaced; names cannot be found reliably, which is why the LLM path is opt-in.
 */
export function redactForModel(question: string): string {
  return question
    .replace(/[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[a-z]{2,}/gi, "<email>")
    .replace(/\b(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/g, "<phone>")
    .replace(/\b\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b/g, "<date>");
}
