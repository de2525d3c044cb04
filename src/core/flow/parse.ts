import { ContentError, type ContentProblem } from "../content-error.js";
import { type KnowledgeBase, supportPhoneOf } from "../knowledge/schema.js";
import { parseYamlWithSchema } from "../yaml-content.js";
import { ESCALATE, ESCALATION_FIELD_IDS, type Flow, FlowFile } from "./schema.js";

/**
 * Parses and validates a flow file against its schema and the knowledge base.
 * Pure: the caller reads the file. Throws ContentError naming file, line and field.
 */
export function parseFlowFile(file: string, text: string, knowledge: KnowledgeBase): Flow {
  const problems: ContentProblem[] = [];
  const { value: flow, lineAt } = parseYamlWithSchema(file, text, FlowFile, 1, problems);
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
  // Steps are walked in list order. A `next` left in a file written before must say the same.
  flow.steps.forEach((step, i) => {
    if (step.next === undefined) return;
    const expected = flow.steps[i + 1]?.id ?? ESCALATE;
    if (step.next === expected) return;
    const target = index.get(step.next);
    const field = `steps.${i}.next`;
    const path = ["steps", i, "next"];
    if (step.next !== ESCALATE && target === undefined)
      at(path, field, `no step "${step.next}" in this flow`);
    else if (target !== undefined && target <= i)
      at(path, field, `the steps loop back to "${step.next}": steps are walked in list order; remove "next"`);
    else
      at(
        path,
        field,
        `steps are walked in list order, so the step after "${step.id}" is ${expected === ESCALATE ? "the escalation" : `"${expected}"`}, not "${step.next}": remove "next" and list the steps in the order to walk`,
      );
  });

  // Every check is walked: a check entry that no step lists would never be shown.
  for (const entry of knowledge.values()) {
    if (entry.kind === "check" && !flow.steps.some((step) => (step.knowledge ?? step.id) === entry.id))
      at(
        ["steps"],
        "steps",
        `no step shows the check "${entry.id}" (${entry.file}): add it where it is to be walked`,
      );
  }

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
  // The support number is the escalation entry's; an older file's `phone` must be the same one.
  const phone = knowledge.has("escalation") ? supportPhoneOf(knowledge) : "";
  if (flow.escalation.phone !== undefined && flow.escalation.phone !== phone)
    at(
      ["escalation", "phone"],
      "escalation.phone",
      `the number Support is called on is knowledge/escalation.md's (${phone}): remove "phone" here`,
    );
  if (problems.length > 0) throw new ContentError(problems);
  // `next` only restated the list order; nothing reads it after the check above.
  return {
    ...flow,
    steps: flow.steps.map(({ next: _order, ...step }) => step),
    escalation: { ...flow.escalation, phone },
  };
}
