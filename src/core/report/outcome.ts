import { z } from "zod";
import type { FlowState, Phase } from "../flow/state.js";
import { CheckId, OpVersion } from "../ids.js";

/**
 * De-identified outcome records: what a finished (or still open) conversation leaves for the
 * figures on App Home and in `portal-check report`. They hold check ids, the outcome, the OP
 * version, times and the channel id — never names, emails, pasted text or the opening text — and
 * they outlive the conversation (their own retention, STATS_RETENTION_DAYS).
 */

/**
 * What the stored summary says. "abandoned" is not stored: a record still "open" whose conversation
 * has expired or was purged counts as abandoned (see outcomeAt()).
 */
export const StoredOutcome = z.enum(["open", "resolved", "escalated"]);
export type StoredOutcome = z.infer<typeof StoredOutcome>;

/** How a conversation ended, for the report (an answer at one check is an AnswerOutcome: core/flow/state.ts). */
export const ConversationOutcome = z.enum(["open", "resolved", "escalated", "abandoned"]);
export type ConversationOutcome = z.infer<typeof ConversationOutcome>;

/** The part of an outcome record derived from the conversation's flow state alone. */
export const OutcomeSummary = z.object({
  outcome: StoredOutcome,
  /** null: not chosen yet, or the practice said it is on the newer portal. */
  version: OpVersion.nullable(),
  /** The check whose answer was "fixed" (resolved conversations). */
  fixedAt: CheckId.nullable(),
  /** The check on screen, or where the walk stopped. */
  stoppedAt: CheckId.nullable(),
  /** The check the opening question pointed at (the question itself is not kept). */
  openingCheck: CheckId.nullable(),
  /** Answers in order, check ids and outcomes only. */
  checks: z.array(
    z.object({ check: CheckId, outcome: z.enum(["fixed", "not_fixed", "skipped", "escalated"]) }),
  ),
  escalated: z.boolean(),
  autoEscalated: z.boolean(),
  /** Whether the parent confirmed the fix; null while no confirmation step applies. */
  parentConfirmed: z.boolean().nullable(),
  startedAt: z.iso.datetime(),
  /** When it was resolved or escalated; null while open. */
  finishedAt: z.iso.datetime().nullable(),
});
export type OutcomeSummary = z.infer<typeof OutcomeSummary>;

/** One outcome record as the stores hand it back. */
export const OutcomeRecord = OutcomeSummary.extend({
  conversationId: z.string().min(1).max(100),
  /** The Slack channel id the conversation ran in; null for the terminal chat. */
  channel: z.string().max(100).nullable(),
  /** The conversation's last update. */
  lastActivityAt: z.iso.datetime(),
  /** When the conversation itself goes (expiry, or the time it was purged). */
  conversationEndsAt: z.iso.datetime(),
  /** When this record goes (STATS_RETENTION_DAYS after the last update). */
  expiresAt: z.iso.datetime(),
});
export type OutcomeRecord = z.infer<typeof OutcomeRecord>;

/**
 * How each flow phase reads on App Home: the one place that knows it. Every phase must be listed
 * (a Record over Phase), so a new phase fails the typecheck until it is placed here. The confirmation
 * step after "fixed" (`confirm_fix`, `awaiting_parent`) reads as waiting for the parent.
 */
export type PhaseStatus =
  | "choosing_version"
  | "at_check"
  | "in_escalation_form"
  | "awaiting_confirmation"
  | "finished";
const PHASE_STATUS: Record<Phase, PhaseStatus> = {
  choose_version: "choosing_version",
  newer_portal: "at_check",
  check: "at_check",
  escalation: "in_escalation_form",
  confirm_fix: "awaiting_confirmation",
  awaiting_parent: "awaiting_confirmation",
  resolved: "finished",
  escalated: "finished",
};
const FINISHED: Partial<Record<Phase, StoredOutcome>> = { resolved: "resolved", escalated: "escalated" };

export const phaseStatus = (phase: Phase): PhaseStatus => PHASE_STATUS[phase];

/**
 * Whether the parent confirmed the fix, from the last "fixed" answer's `parent` field (the
 * confirmation step: "confirmed", "waiting" or "not_seen"); null when no answer carries one.
 */
export function parentConfirmedOf(state: FlowState): boolean | null {
  const fixed = state.answers.findLast((a) => a.outcome === "fixed");
  return fixed?.parent === undefined ? null : fixed.parent === "confirmed";
}

/** The de-identified summary of a flow state: check ids, outcome, version and times only. */
export function summarize(state: FlowState): OutcomeSummary {
  const outcome = FINISHED[state.phase] ?? "open";
  const fixed = outcome === "resolved" ? state.answers.findLast((a) => a.outcome === "fixed") : undefined;
  return {
    outcome,
    version: state.version,
    fixedAt: fixed?.check ?? null,
    stoppedAt: state.current,
    openingCheck: state.opening?.check ?? null,
    checks: state.answers.map(({ check, outcome: answered }) => ({ check, outcome: answered })),
    escalated: outcome === "escalated",
    autoEscalated: state.autoEscalatedAt !== undefined,
    parentConfirmed: parentConfirmedOf(state),
    startedAt: state.startedAt,
    // The event that finished it: the "fixed" click now; the parent's confirmation once the flow
    // asks for it (resolved then means confirmed).
    finishedAt: outcome === "open" ? null : state.updatedAt,
  };
}

/** The outcome at `now`: an open conversation that has gone (expired or purged) was abandoned. */
export function outcomeAt(record: OutcomeRecord, now: Date): ConversationOutcome {
  if (record.outcome !== "open") return record.outcome;
  return Date.parse(record.conversationEndsAt) <= now.getTime() ? "abandoned" : "open";
}

/** The channel id a shell keeps in its surface, if any (the only surface field outcomes read). */
export function channelOf(surface: Record<string, unknown>): string | null {
  return typeof surface.channel === "string" ? surface.channel.slice(0, 100) : null;
}
