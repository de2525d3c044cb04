import { ESCALATE, type Flow } from "./schema.js";

/** Steps in walking order (the order of `next`, which is what the user sees). */
export function orderedSteps(flow: Flow) {
  const byId = new Map(flow.steps.map((s) => [s.id, s]));
  const out = [];
  let step = flow.steps[0];
  while (step) {
    out.push(step);
    step = step.next === ESCALATE ? undefined : byId.get(step.next);
  }
  return out;
}
