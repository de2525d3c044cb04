import type { OpVersion } from "../ids.js";
import type { FlowContext } from "./engine.js";
import type { Answer, AnswerOutcome, FlowState, ParentConfirmation } from "./state.js";

/**
 * What each answer says happened, in words for the transcript and for Support. Only what happened:
 * "still not visible after this check" means the parent still could not see the child after it,
 * not that the check was ruled out.
 */
export const OUTCOME_TEXT: Record<Exclude<AnswerOutcome, "fixed"> | "not_reached", string> = {
  not_fixed: "still not visible after this check",
  skipped: "skipped",
  escalated: "escalated from here",
  not_reached: "not reached",
};

/** After a change: whether the parent confirmed it ("asked" = nobody has answered yet). */
export const PARENT_TEXT: Record<ParentConfirmation | "asked", string> = {
  asked: "the parent has not confirmed yet",
  waiting: "waiting for the parent to confirm",
  confirmed: "the parent confirmed they see the child",
  not_seen: "the parent still cannot see the child",
};

/** The change staff made at a check (the flow step's `change`). */
export function changeAt(ctx: FlowContext, check: string): string {
  return ctx.flow.steps.find((s) => s.id === check)?.change ?? "changed a setting at this check";
}

/** One answer in words: for "fixed", the change made and whether the parent confirmed it. */
export function answerText(ctx: FlowContext, answer: Answer): string {
  if (answer.outcome !== "fixed") return OUTCOME_TEXT[answer.outcome];
  return `${changeAt(ctx, answer.check)}; ${PARENT_TEXT[answer.parent ?? "asked"]}`;
}

/** Each check of the flow with its latest answer (and that answer in words), in walking order. */
export function checkOutcomes(ctx: FlowContext, state: FlowState) {
  const latest = new Map(state.answers.map((a) => [a.check, a]));
  return ctx.flow.steps.map((step) => {
    const answer = latest.get(step.id);
    return {
      check: step.id,
      title: ctx.knowledge.get(step.knowledge ?? step.id)?.title ?? step.id,
      outcome: answer?.outcome ?? ("not_reached" as const),
      text: answer ? answerText(ctx, answer) : OUTCOME_TEXT.not_reached,
    };
  });
}

/**
 * The OP version as reports give it. Without a version, what staff said: that the practice is on
 * OP 20 or the newer portal, or nothing (escalated before the question was answered).
 */
export function versionText(version: OpVersion | null, newerPortal: boolean | undefined): string {
  if (version) return `OP ${version}`;
  return newerPortal ? "OP 20 or the newer portal (as staff answered)" : "not chosen";
}

/** One line of the steps-taken text; the escalation report recognizes these to avoid printing them twice. */
export const transcriptLine = (title: string, outcomeText: string) => `- ${title}: ${outcomeText}`;
export const TRANSCRIPT_HEADER = /^Checks run (in .+ )?with portal-check( \(.+\))?:$/;

/** The "steps taken" text that prefills the escalation form, built from the transcript. */
export function stepsTakenText(ctx: FlowContext, state: FlowState): string {
  const version = versionText(state.version, state.newerPortal);
  const lines = checkOutcomes(ctx, state)
    .filter((c) => c.outcome !== "not_reached")
    .map((c) => transcriptLine(c.title, c.text));
  if (lines.length === 0) return `OP version: ${version}; no checks were run before escalating.`;
  const header = state.version
    ? `Checks run in ${version} with portal-check:`
    : `Checks run with portal-check (OP version: ${version}):`;
  return [header, ...lines].join("\n");
}
