import { ContentError, type ContentProblem } from "../content-error.js";
import type { KnowledgeBase } from "../knowledge/schema.js";
import { parseYamlWithSchema } from "../yaml-content.js";
import { ESCALATE, ESCALATION_FIELD_IDS, Flow } from "./schema.js";

/**
 * Parses and validates a flow file against its schema and the knowledge base.
 * Pure: the caller reads the file. Throws ContentError naming file, line and field.
 */
export function parseFlowFile(file: string, text: string, knowledge: KnowledgeBase): Flow {
  const problems: ContentProblem[] = [];
  const { value: flow, lineAt } = parseYamlWithSchema(file, text, Flow, 1, problems);
  if (!flow) throw new ContentError(problems);
  const at = (path: Array<string | number>, field: string, message: string) =>
    problems.push({ file, line: lineAt(path), field, message });

  const index = new Map<string, number>();
  flow.steps.forEach((step, i) => {
    if (index.has(step.id)) at(["steps", i, "id"], `steps.${i}.id`, `"${step.id}" is already a step`);
    else index.set(step.id, i);
    const ref = step.knowledge ?? step.id;
    const entry = knowledge.get(ref);
    if (!entry)
      at(["steps", i, "knowledge"], `steps.${i}.knowledge`, `no knowledge entry "${ref}" in knowledge/`);
    else if (entry.kind !== "check") {
      at(["steps", i, "knowledge"], `steps.${i}.knowledge`, `"${ref}" is a reference entry, not a check`);
    }
  });
  flow.steps.forEach((step, i) => {
    if (step.next !== ESCALATE && !index.has(step.next)) {
      at(["steps", i, "next"], `steps.${i}.next`, `no step "${step.next}" in this flow`);
    }
  });

  // The walk from the first step must visit every step once and end at the escalation.
  const seen = new Set<string>();
  let cursor: string | undefined = flow.steps[0]?.id;
  while (cursor && cursor !== ESCALATE && !seen.has(cursor) && index.has(cursor)) {
    seen.add(cursor);
    cursor = flow.steps[index.get(cursor) ?? 0]?.next;
  }
  if (cursor && cursor !== ESCALATE && seen.has(cursor)) {
    at(
      ["steps", index.get(cursor) ?? 0],
      `steps.${index.get(cursor)}.next`,
      `the steps loop back to "${cursor}"`,
    );
  }
  flow.steps.forEach((step, i) => {
    if (!seen.has(step.id) && index.get(step.id) === i && problems.length === 0) {
      at(
        ["steps", i, "id"],
        `steps.${i}.id`,
        `no step's "next" leads to "${step.id}": it can never be reached`,
      );
    }
  });

  const references: [Array<string>, string][] = [
    [["after_fix"], flow.after_fix],
    [["newer_portal"], flow.newer_portal],
    [["escalation", "knowledge"], flow.escalation.knowledge],
  ];
  for (const [path, ref] of references) {
    if (!knowledge.has(ref)) at(path, path.join("."), `no knowledge entry "${ref}" in knowledge/`);
  }
  const fieldIds = flow.escalation.fields.map((f) => f.id);
  for (const id of ESCALATION_FIELD_IDS) {
    const count = fieldIds.filter((f) => f === id).length;
    if (count !== 1) {
      at(
        ["escalation", "fields"],
        "escalation.fields",
        count === 0
          ? `the field "${id}" is missing (Support needs it)`
          : `the field "${id}" appears ${count} times`,
      );
    }
  }
  if (problems.length > 0) throw new ContentError(problems);
  return flow;
}
