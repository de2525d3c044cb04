import { knowledgeDocuments } from "../../src/core/knowledge/documents.js";
import type { KnowledgeBase } from "../../src/core/knowledge/schema.js";
import { analyze } from "../../src/core/knowledge/terms.js";

/**
 * The benchmark's baseline: the same documents, analyzer and matching rules as the MiniSearch
 * index (exact, prefix from 4 letters, 1 typo from 4 letters and 2 from 8), but found by scanning
 * every term of every document for each question instead of looking them up in an index.
 * Only the bench uses it; it answers "what does the index buy us".
 */
export class LinearScan {
  private readonly docs: Array<{ entry: string; terms: string[] }>;

  constructor(knowledge: KnowledgeBase) {
    this.docs = knowledgeDocuments(knowledge).map((doc) => ({
      entry: doc.metadata.check,
      terms: analyze([doc.metadata.title, doc.metadata.keywords.join(" "), doc.pageContent].join("\n")),
    }));
  }

  /** Entry ids ranked by how many of their terms match the question's (term frequency). */
  rank(question: string): string[] {
    const query = analyze(question);
    const scores = new Map<string, number>();
    for (const doc of this.docs) {
      let score = 0;
      for (const q of query) {
        const maxEdits = q.length >= 8 ? 2 : q.length >= 4 ? 1 : 0;
        for (const term of doc.terms) {
          if (term === q) score += 1;
          else if (q.length >= 4 && term.startsWith(q)) score += 0.5;
          else if (maxEdits > 0 && withinEdits(q, term, maxEdits)) score += 0.3;
        }
      }
      if (score > 0) scores.set(doc.entry, (scores.get(doc.entry) ?? 0) + score);
    }
    return [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([entry]) => entry);
  }
}

/** Levenshtein distance ≤ max, with an early exit once every cell of a row exceeds it. */
function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return false;
    previous = current;
  }
  return (previous[b.length] ?? max + 1) <= max;
}
