import type { FlowContext } from "./engine.js";
import type { FlowState, Outcome } from "./state.js";
import { orderedSteps } from "./steps.js";

export const OUTCOME_TEXT: Record<Outcome | "not_reached", string> = {
  fixed: "fixed it",
  not_fixed: "checked, not the cause",
  skipped: "skipped",
  escalated: "escalated from here",
  not_reached: "not reached",
};

/** Each check of the flow with its latest outcome, in walking order. */
export function checkOutcomes(ctx: FlowContext, state: FlowState) {
  const latest = new Map(state.answers.map((a) => [a.check, a.outcome]));
  return orderedSteps(ctx.flow).map((step) => ({
    check: step.id,
    title: ctx.knowledge.get(step.knowledge ?? step.id)?.title ?? step.id,
    outcome: latest.get(step.id) ?? ("not_reached" as const),
  }));
}

/** One line of the steps-taken text; the escalation report recognizes these to avoid printing them twice. */
export const transcriptLine = (title: string, outcomeText: string) => `- ${title}: ${outcomeText}`;
export const TRANSCRIPT_HEADER = /^Checks run in .+ with portal-check:$/;

/** The "steps taken" text that prefills the escalation form, built from the transcript. */
export function stepsTakenText(ctx: FlowContext, state: FlowState): string {
  const version = state.version ? `OP ${state.version}` : "the newer portal (OP 20)";
  const lines = checkOutcomes(ctx, state)
    .filter((c) => c.outcome !== "not_reached")
    .map((c) => transcriptLine(c.title, OUTCOME_TEXT[c.outcome]));
  if (lines.length === 0) return `Practice on ${version}; no checks were run before escalating.`;
  return [`Checks run in ${version} with portal-check:`, ...lines].join("\n");
}
