import type { CallbackManagerForRetrieverRun } from "@langchain/core/callbacks/manager";
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import type { OpVersion } from "../ids.js";
import type { KnowledgeDocument, SectionMetadata } from "./documents.js";
import { retrieve } from "./question-triage.js";
import type { KnowledgeBase } from "./schema.js";
import { knowledgeIndex } from "./search.js";

export interface KnowledgeRetrieverInput extends BaseRetrieverInput {
  knowledge: KnowledgeBase;
  /** Return this version's sections; without it, a version named in the question, else both. */
  version?: OpVersion;
}

/**
 * The offline search as a LangChain retriever: a question in, the sections of the relevant
 * entries out (best entry first, each in file order), with their citation metadata. Nothing for a
 * question the knowledge base does not cover.
 */
export class KnowledgeRetriever extends BaseRetriever<SectionMetadata> {
  lc_namespace = ["portal-check", "knowledge"];
  private readonly knowledge: KnowledgeBase;
  private readonly version: OpVersion | undefined;

  static override lc_name() {
    return "KnowledgeRetriever";
  }

  constructor(fields: KnowledgeRetrieverInput) {
    super(fields);
    this.knowledge = fields.knowledge;
    this.version = fields.version;
  }

  override async _getRelevantDocuments(
    query: string,
    _runManager?: CallbackManagerForRetrieverRun,
  ): Promise<KnowledgeDocument[]> {
    const { entries, version, covered } = retrieve(this.knowledge, query, this.version);
    // A guided check's checks to look at first are not an answer's sections.
    if (!covered) return [];
    const index = knowledgeIndex(this.knowledge);
    return entries.flatMap((entry) => index.sections(entry.id, version));
  }
}
