import { z } from "zod";
import { ContentError, type ContentProblem } from "../content-error.js";
import { CheckId } from "../ids.js";
import { parseYamlWithSchema } from "../yaml-content.js";
import { GUIDED_CHECK } from "./question-triage.js";
import { ExampleQuestion, type KnowledgeBase, REFERENCE_IDS } from "./schema.js";

/**
 * knowledge/questions.yaml: staff questions, each labelled with the answers that are right. The
 * intent classifier learns from them beside the entries' own examples, and `npm run eval` scores
 * them as its tuning part; `portal-check questions --to-eval` appends reviewed ones. On the blind
 * batches written since held-out-10, training on them raised top-1 on every batch (see the README,
 * "How it understands"): the examples in the front matter are a few per entry, these are thousands,
 * in the words staff really use.
 */

/** `accept` for a vague in-domain complaint: the answer starts the guided check from the first check. */
export const GUIDE = "guide";

/** One question and the answers that are right (also the format of test/eval/held-out*.yaml). */
export const LabelledQuestion = z.strictObject({
  q: z.string().trim().min(3),
  /** Entries that are a right answer; [guide]: start the guided check; empty: outside the domain, refuse. */
  accept: z.array(z.union([CheckId, z.enum(REFERENCE_IDS), z.literal(GUIDE)])),
  /** The answer must give the support number. */
  number: z.boolean().optional(),
});
export type LabelledQuestion = z.infer<typeof LabelledQuestion>;

/**
 * Parses a file of labelled questions, each accepted id an entry of `knowledge` (or "guide"); throws
 * ContentError naming file, line and field.
 */
export function parseLabelledQuestions(
  file: string,
  text: string,
  knowledge: KnowledgeBase,
): LabelledQuestion[] {
  const problems: ContentProblem[] = [];
  const { value, lineAt } = parseYamlWithSchema(
    file,
    text,
    z.array(LabelledQuestion).nullable(),
    1,
    problems,
  );
  // The schema checks an id's form; which entries there are is the content's.
  for (const [i, { accept }] of (value ?? []).entries())
    for (const [j, id] of accept.entries())
      if (id !== GUIDE && !knowledge.has(id))
        problems.push({
          file,
          line: lineAt([i, "accept", j]),
          field: `${i}.accept.${j}`,
          message: `no knowledge entry "${id}" in knowledge/ (or "guide" for the guided check)`,
        });
  if (problems.length > 0) throw new ContentError(problems);
  return value ?? [];
}

/**
 * The knowledge base with each labelled question as one more training example: of the entry it
 * should be answered with first ("guide": the guided-check entry), or an unrelated one where it
 * should be declined. A copy; the one given is not changed. A question already among the examples
 * is not added twice. Deterministic: the same questions in the same order give the same classifier.
 */
export function withLabelledQuestions(
  knowledge: KnowledgeBase,
  questions: readonly Pick<LabelledQuestion, "q" | "accept">[],
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
    // As the entries' own examples are read (a long story kept to its first 300 characters).
    list.push(ExampleQuestion.parse(q.trim().slice(0, ExampleQuestion.maxLength ?? q.length)));
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
