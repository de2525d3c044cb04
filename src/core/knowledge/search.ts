import MiniSearch, { type SearchResult } from "minisearch";
import type { OpVersion } from "../ids.js";
import { type KnowledgeDocument, knowledgeDocuments } from "./documents.js";
import { type ClassifierModel, featuresOf, IntentClassifier, OUT_OF_SCOPE } from "./intent.js";
import { checkIdsOf, type KnowledgeBase, opVersionsOf } from "./schema.js";
import { SpellingCorrector } from "./spelling.js";
import {
  analyzeWords,
  classifierStem,
  DOMAIN_STOP_WORDS,
  knownWords,
  processTerm,
  tokenize,
  wordGroup,
} from "./terms.js";
import { type Understood, understand, type Word } from "./understand.js";

/**
 * Offline lexical search over the knowledge Documents (MiniSearch: BM25 scoring with prefix and
 * fuzzy matching, so typos and word endings still hit). No network, no model, and the same
 * question always gives the same ranking.
 */

export interface RankedEntry {
  /** Entry id: a check id or a reference id. */
  id: string;
  kind: "check" | "reference";
  /** The entry's section scores (BM25) summed, doubled when a keyword matched; compare within one question only. */
  score: number;
  /** Question terms that matched this entry, as the analyzer spelled them. */
  matched: string[];
  /**
   * The entry's keywords the question contains (every word of the keyword, typos allowed). A match
   * in the running text alone ("record", "number") is too weak to claim the entry covers a question.
   */
  keywords: string[];
}

export interface RankOptions {
  /** Rank with this version's steps; without it, each section counts once with its best version. */
  version?: OpVersion;
  /** How much each search term counts (1 when absent), from understand(). */
  weights?: ReadonlyMap<string, number>;
}

/** Field weights: staff vocabulary says most about what a question is about, the title next. */
const BOOST = { keywords: 3, title: 2, text: 1 };

interface IndexedSection {
  id: string;
  title: string;
  keywords: string;
  text: string;
}

export class KnowledgeIndex {
  readonly documents: readonly KnowledgeDocument[];
  private readonly byId: ReadonlyMap<string, KnowledgeDocument>;
  /** Checks in article order, then reference entries: breaks score ties the same way every time. */
  private readonly order: ReadonlyMap<string, number>;
  private readonly search: MiniSearch<IndexedSection>;
  /** Each entry's keywords with their search terms, to tell which keywords a question contains. */
  private readonly keywordTerms: ReadonlyMap<string, Array<{ keyword: string; words: string[][] }>>;
  /** Corrects question words against every word of the knowledge and its examples. */
  readonly spelling: SpellingCorrector;
  /** Trained on the entries' examples when the index is built. */
  readonly classifier: IntentClassifier;
  /** The default OP version: its steps stand for every version where none is asked for. */
  private readonly firstVersion: OpVersion | undefined;

  /** `model`: the classifier already trained on this knowledge (the content snapshot's), else trained here. */
  constructor(knowledge: KnowledgeBase, model?: ClassifierModel) {
    this.firstVersion = opVersionsOf(knowledge)[0];
    this.documents = knowledgeDocuments(knowledge);
    this.byId = new Map(this.documents.map((doc) => [doc.metadata.id, doc]));
    const ids = [...knowledge.keys()];
    this.order = new Map(
      [...checkIdsOf(knowledge), ...ids.filter((id) => knowledge.get(id)?.kind !== "check").sort()].map(
        (id, i) => [id, i],
      ),
    );
    this.keywordTerms = new Map(
      [...knowledge.values()].map((entry) => [
        entry.id,
        entry.keywords
          .map((keyword) => ({ keyword, words: analyzeWords(keyword) }))
          .filter(({ words }) => words.length > 0),
      ]),
    );
    const entries = [...knowledge.values()];
    const frequency = new Map<string, number>();
    const corpus = [
      ...this.documents.map((doc) => doc.pageContent),
      // Not the examples: they are written as staff type, typos included ("emial").
      ...entries.flatMap((entry) => [entry.title, ...entry.keywords]),
    ];
    for (const text of corpus)
      for (const word of text.toLowerCase().match(/[a-z]+/g) ?? [])
        frequency.set(word, (frequency.get(word) ?? 0) + 1);
    // Corrections go only to the knowledge's own words; common English words are left as typed.
    // The domain's everyday words ("parents", "daughter") are targets too, though the search ignores them,
    // and so are the examples' words that are common English words: the words staff use around the
    // knowledge's own ("tried everythign, what now" reads as "everything"), without the examples' typos.
    const known = knownWords();
    const common = new Set(known);
    const exampleWords = entries.flatMap((entry) =>
      entry.examples.flatMap((text) => text.toLowerCase().match(/[a-z]+/g) ?? []),
    );
    this.spelling = new SpellingCorrector(
      [...frequency.keys(), ...DOMAIN_STOP_WORDS, ...exampleWords.filter((word) => common.has(word))],
      frequency,
      known,
    );
    this.classifier = model
      ? IntentClassifier.fromModel(model)
      : IntentClassifier.train(
          entries.flatMap((entry) => [
            ...[entry.title, ...entry.keywords, ...entry.examples].map((text) => ({
              label: entry.id,
              features: this.features(this.understand(text)),
            })),
            ...entry.unrelated.map((text) => ({
              label: OUT_OF_SCOPE,
              features: this.features(this.understand(text)),
            })),
          ]),
        );
    this.search = new MiniSearch<IndexedSection>({
      fields: ["title", "keywords", "text"],
      tokenize,
      processTerm,
      searchOptions: {
        boost: BOOST,
        // Prefix: "custod" finds "custody". Fuzzy: one typo from eight letters on. Shorter words are
        // corrected before the search (spelling.ts counts a swap of two letters as one edit); fuzzy
        // matching them here too made "done" find "none" and "eight" find "eighteen".
        prefix: (term) => term.length >= 6,
        fuzzy: (term) => (term.length >= 8 ? 1 : false),
        maxFuzzy: 1,
        combineWith: "OR",
      },
    });
    this.search.addAll(
      this.documents.map((doc) => ({
        id: doc.metadata.id,
        title: doc.metadata.part === "overview" ? doc.metadata.title : "",
        keywords: doc.metadata.keywords.join("\n"),
        text:
          doc.metadata.part === "overview"
            ? doc.pageContent.split("\n").slice(1).join("\n")
            : doc.pageContent,
      })),
    );
  }

  /** A question read for search and classification (spelling, ages, negation; see understand.ts). */
  understand(question: string, year = new Date().getFullYear()): Understood {
    return understand(question, this.spelling, year);
  }

  features(understood: Understood) {
    // Office work named in a question about a parent and the portal is background ("set inactive
    // after a billing dispute"); in any other question it says what the question is about.
    return featuresOf(understood.words, classifierStem, understood.cues.domain ? undefined : wordGroup);
  }

  /** Every label's probability (entry ids and OUT_OF_SCOPE). */
  classify(understood: Understood): Map<string, number> {
    const probabilities = this.classifier.predict(this.features(understood));
    return new Map(this.classifier.labels.map((label, i) => [label, probabilities[i] ?? 0]));
  }

  /** The understood words as a search: the text to search and how much each of its terms counts. */
  static query(words: readonly Word[]): { text: string; weights: Map<string, number> } {
    const weights = new Map<string, number>();
    const kept: string[] = [];
    for (const word of words) {
      if (word.weight <= 0) continue;
      kept.push(word.text);
      for (const term of processTerm(word.text))
        weights.set(term, Math.max(weights.get(term) ?? 0, word.weight));
    }
    return { text: kept.join(" "), weights };
  }

  /** Entries that share words with the question, best first. Empty when nothing matched. */
  rank(question: string, options: RankOptions = {}): RankedEntry[] {
    const { version, weights } = options;
    const hits = this.search.search(question, {
      ...(version ? { filter: (hit: { id: string }) => hit.id.includes(`/${version}/`) } : {}),
      ...(weights ? { boostTerm: (term: string) => weights.get(term) ?? 1 } : {}),
    });
    // Per entry: each part (overview, steps, notes) counts once, with its best-scoring version.
    const parts = new Map<string, { doc: KnowledgeDocument; hit: SearchResult }>();
    for (const hit of hits) {
      const doc = this.byId.get(String(hit.id));
      if (!doc) continue;
      const key = `${doc.metadata.check}/${doc.metadata.part}`;
      const best = parts.get(key);
      if (!best || hit.score > best.hit.score) parts.set(key, { doc, hit });
    }
    const entries = new Map<string, RankedEntry>();
    const matchedTerms = new Set<string>();
    for (const { doc, hit } of parts.values()) {
      const entry = entries.get(doc.metadata.check) ?? {
        id: doc.metadata.check,
        kind: doc.metadata.kind,
        score: 0,
        matched: [],
        keywords: [],
      };
      entry.score += hit.score;
      for (const term of hit.queryTerms) if (!entry.matched.includes(term)) entry.matched.push(term);
      for (const term of hit.terms) matchedTerms.add(`${entry.id}/${term}`);
      entries.set(entry.id, entry);
    }
    for (const entry of entries.values()) {
      entry.keywords = (this.keywordTerms.get(entry.id) ?? [])
        .filter(({ words }) =>
          words.every((terms) => terms.some((term) => matchedTerms.has(`${entry.id}/${term}`))),
        )
        .map(({ keyword }) => keyword);
      // A whole keyword in the question is the strongest sign of what it is about: an entry with
      // one counts double, so "custody changed" beats an entry that merely shares "changed" more
      // often. Once, not per keyword, so an entry with many synonyms does not drown a second symptom.
      if (entry.keywords.length > 0) entry.score *= 2;
    }
    return [...entries.values()].sort(
      (a, b) => b.score - a.score || (this.order.get(a.id) ?? 0) - (this.order.get(b.id) ?? 0),
    );
  }

  /** Article order of an entry (checks first): the tie-breaker. */
  orderOf(id: string): number {
    return this.order.get(id) ?? Number.MAX_SAFE_INTEGER;
  }

  /**
   * The Documents of one entry in file order (overview, steps, notes) for one version; without a
   * version, the steps of every version and the version-independent parts once.
   */
  sections(entryId: string, version?: OpVersion): KnowledgeDocument[] {
    return this.documents.filter(
      ({ metadata }) =>
        metadata.check === entryId &&
        (version
          ? metadata.version === version
          : metadata.part === "steps" || metadata.version === this.firstVersion),
    );
  }
}

const built = new WeakMap<KnowledgeBase, KnowledgeIndex>();
const trained = new WeakMap<KnowledgeBase, ClassifierModel>();

/**
 * Gives the index of this knowledge base a classifier trained on it before (the content snapshot's,
 * made by the same build from the same sources), so its first use does not train again. The model
 * must name the knowledge's entries; one that does not is ignored and the index trains as usual.
 */
export function useTrainedClassifier(knowledge: KnowledgeBase, model: ClassifierModel): void {
  const labels = new Set(model.labels);
  if (labels.size === knowledge.size + 1 && [...knowledge.keys(), OUT_OF_SCOPE].every((id) => labels.has(id)))
    trained.set(knowledge, model);
}

/** The index of a knowledge base, built on first use and then shared for the life of the process. */
export function knowledgeIndex(knowledge: KnowledgeBase): KnowledgeIndex {
  let index = built.get(knowledge);
  if (!index) {
    index = new KnowledgeIndex(knowledge, trained.get(knowledge));
    built.set(knowledge, index);
  }
  return index;
}
