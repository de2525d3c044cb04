import { GUIDED_CHECK } from "../../src/core/knowledge/question-triage.js";
import type { KnowledgeBase } from "../../src/core/knowledge/schema.js";

/**
 * Labelled questions as more training for the intent classifier: each question becomes an example of
 * the entry it should be answered with first (its first acceptable answer; "guide": the guided-check
 * entry), or an `unrelated` example where it should be declined (no acceptable answer). The knowledge
 * base returned is a copy; the one given is not changed. A question already among the examples is
 * not added twice. Offline and deterministic: the same questions in the same order give the same
 * knowledge base, so the same classifier.
 */
export interface LabelledQuestion {
  q: string;
  /** Acceptable answers, best first: entry ids, "guide", or none (declined). */
  accept: readonly string[];
}

/** The label `accept` uses for the guided check. */
const GUIDE = "guide";

export function withTrainingQuestions(
  knowledge: KnowledgeBase,
  questions: readonly LabelledQuestion[],
): KnowledgeBase {
  const examples = new Map([...knowledge.values()].map((entry) => [entry.id, [...entry.examples]]));
  const unrelated = new Map([...knowledge.values()].map((entry) => [entry.id, [...entry.unrelated]]));
  const known = new Set(
    [...knowledge.values()].flatMap((entry) => [...entry.examples, ...entry.unrelated]).map(key),
  );
  // Declined questions go with the first entry's `unrelated`: every entry's feed the one out-of-scope class.
  const outside = [...knowledge.keys()][0];
  for (const { q, accept } of questions) {
    if (known.has(key(q))) continue;
    const first = accept[0];
    const id = first === GUIDE ? GUIDED_CHECK : first;
    const list = id === undefined ? (outside ? unrelated.get(outside) : undefined) : examples.get(id);
    if (!list) continue;
    list.push(q.trim().slice(0, 300));
    known.add(key(q));
  }
  return new Map(
    [...knowledge].map(([id, entry]) => [
      id,
      {
        ...entry,
        examples: examples.get(id) ?? entry.examples,
        unrelated: unrelated.get(id) ?? entry.unrelated,
      },
    ]),
  );
}

function key(q: string): string {
  return q.trim().toLowerCase().replace(/\s+/g, " ");
}
