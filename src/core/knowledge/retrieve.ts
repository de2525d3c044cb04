import { OP_VERSIONS, type OpVersion } from "../ids.js";
import type { KnowledgeBase } from "./schema.js";
import { knowledgeIndex, type RankedEntry } from "./search.js";

/**
 * What a question is about: the knowledge entries worth showing, best first, and whether the
 * knowledge base covers the question at all. The extractive answerer, the LLM answerer, the
 * LangChain retriever, suggestCheck and the evaluation all decide through this one function.
 */
export interface Retrieval {
  /** The version to answer for: the one asked for, else one named in the question, else none. */
  version: OpVersion | undefined;
  /** Relevant entries, best first (at most MAX_ENTRIES); empty when the question is not covered. */
  entries: RankedEntry[];
  covered: boolean;
}

const MAX_ENTRIES = 3;
/** An entry scoring below this share of the best one is noise, not a second symptom. */
const MIN_SHARE_OF_BEST = 0.1;

/** "14.10", "OP 14.19", "v14.10": a version named in the question. */
const VERSION_MENTION = /\b(?:op\s*|v(?:ersion)?\s*)?(14\.(?:19|10))\b/gi;

export function retrieve(knowledge: KnowledgeBase, question: string, version?: OpVersion): Retrieval {
  const mentioned = [...question.matchAll(VERSION_MENTION)]
    .map((m) => m[1])
    .find((v): v is OpVersion => (OP_VERSIONS as readonly string[]).includes(v ?? ""));
  const answerVersion = version ?? mentioned;
  // The version says which menus to show, not what the problem is: keep it out of the search.
  const ranked = knowledgeIndex(knowledge).rank(question.replace(VERSION_MENTION, " "), {
    version: answerVersion,
  });
  // Only entries whose own keywords the question contains count: sharing a word such as "record"
  // or "number" with the text is not enough to claim an answer.
  const anchored = ranked.filter((entry) => entry.keywords.length > 0);
  const best = anchored[0]?.score ?? 0;
  const entries = anchored.slice(0, MAX_ENTRIES).filter((entry) => entry.score >= best * MIN_SHARE_OF_BEST);
  return { version: answerVersion, entries, covered: entries.length > 0 };
}
