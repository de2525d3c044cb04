import { z } from "zod";
import { EscalationDetails } from "../escalation/details.js";
import { CheckId, OpVersion } from "../ids.js";

/**
 * Where a conversation is. `check` shows `current`; the others are the screens around the checks.
 * After "fixed", `confirm_fix` asks whether the parent has confirmed (the article: after any change,
 * call the parent and have them log in and check they see their children); `awaiting_parent` is a
 * conversation left open until they have. Only a confirmation makes it `resolved`. `escalation`
 * means the escalation form is open (its screen is the prompt kind `escalation_form`); `escalated`,
 * that it was sent. Phase names are stored: see "Words that mean one thing" in docs/architecture.md.
 */
export const Phase = z.enum([
  "choose_version",
  "newer_portal",
  "check",
  "confirm_fix",
  "awaiting_parent",
  "escalation",
  "resolved",
  "escalated",
]);
export type Phase = z.infer<typeof Phase>;

/** Phases in which a conversation needs nothing more: no reminder, no automatic escalation. */
export const FINISHED_PHASES: readonly Phase[] = ["resolved", "escalated"];
export const isFinished = (state: FlowState) => FINISHED_PHASES.includes(state.phase);

/**
 * What staff answered at one check (`answers[].outcome`, stored). A conversation's outcome is
 * ConversationOutcome (core/report/outcome.ts); a validation's, ValidationOutcome (core/rules/coverage.ts).
 */
export const AnswerOutcome = z.enum(["fixed", "not_fixed", "skipped", "escalated"]);
export type AnswerOutcome = z.infer<typeof AnswerOutcome>;

/**
 * What the parent said after a change ("fixed"): still waiting for them to log in, confirmed they
 * see the child, or still cannot see the child. Absent while nobody has answered the question.
 */
export const ParentConfirmation = z.enum(["waiting", "confirmed", "not_seen"]);
export type ParentConfirmation = z.infer<typeof ParentConfirmation>;

/** One answer, as it goes into the transcript. `back` removes the last one. */
export const Answer = z.object({
  check: CheckId,
  outcome: AnswerOutcome,
  at: z.iso.datetime(),
  /** A "fixed" answer only: whether the parent confirmed the change. */
  parent: ParentConfirmation.optional(),
});
export type Answer = z.infer<typeof Answer>;

export const FlowState = z.object({
  phase: Phase,
  /** null until chosen (or when staff said the practice is on OP 20 or the newer portal). */
  version: OpVersion.nullable(),
  /** Staff answered "OP 20 / the newer portal" to the version question (absent otherwise). */
  newerPortal: z.literal(true).optional(),
  /** The check on screen in phase `check`, or where the walk stopped. */
  current: CheckId.nullable(),
  /** Answers in order; the transcript. Stored with the conversation, so it expires with it. */
  answers: z.array(Answer),
  /** Free text the conversation was started with, and the check it suggested (may hold PHI). */
  opening: z.object({ text: z.string().max(3000), check: CheckId.nullable() }).nullable(),
  /**
   * The escalation form's answers, filled in when it is submitted. Not the Slack post (that is the
   * Slack surface's `escalation`); the key is stored, so it keeps its name.
   */
  escalation: EscalationDetails.nullable(),
  /**
   * When the app escalated the conversation by itself because nobody answered for a long time (the
   * shell's stale timer). The form stays available to add what was missing. Absent otherwise.
   */
  autoEscalatedAt: z.iso.datetime().optional(),
  startedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type FlowState = z.infer<typeof FlowState>;

const at = z.iso.datetime();
/** Everything a user (or a shell on their behalf) can do. `check` pins an answer to the check it was given on. */
export const FlowEvent = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("start"),
    at,
    version: OpVersion.optional(),
    text: z.string().max(3000).optional(),
    /** The check the free text points at (the shell asks the retriever; the engine stays pure). */
    startAt: CheckId.optional(),
  }),
  z.object({ type: z.literal("choose_version"), at, version: z.union([OpVersion, z.literal("newer")]) }),
  z.object({ type: z.literal("fixed"), at, check: CheckId.optional() }),
  z.object({ type: z.literal("not_fixed"), at, check: CheckId.optional() }),
  z.object({ type: z.literal("skip"), at, check: CheckId.optional() }),
  z.object({ type: z.literal("back"), at }),
  /** After a change: the parent logged in and sees the child. Resolves the conversation. */
  z.object({ type: z.literal("parent_confirmed"), at }),
  /** After a change: the parent has not logged in yet; the conversation stays open. */
  z.object({ type: z.literal("await_parent"), at }),
  /** After a change: the parent still cannot see the child; the checks go on. */
  z.object({ type: z.literal("parent_not_seen"), at }),
  z.object({ type: z.literal("escalate"), at }),
  z.object({ type: z.literal("restart"), at }),
  z.object({ type: z.literal("submit_escalation"), at, details: EscalationDetails }),
  /** Sent by a shell, not a person: the conversation went quiet and is escalated with what is known. */
  z.object({ type: z.literal("auto_escalate"), at }),
]);
export type FlowEvent = z.infer<typeof FlowEvent>;
