import { z } from "zod";
import { EscalationDetails } from "../../core/escalation/details.js";
import { FlowState } from "../../core/flow/state.js";
import { EscalationPost, PostedReport } from "../surface.js";

/**
 * What the Slack app saves in the store's escalation outbox before posting: enough to post the
 * escalation and to tell the requester, even from another instance after a restart. PHI (the
 * report); it is purged with its conversation.
 */
export const OutboxPayload = z.object({
  /** The escalation's id within its conversation; its buttons carry it. */
  escalation: z.string().min(1).max(40),
  /** Where the post goes: ESCALATION_CHANNEL, or the conversation's own channel. */
  channel: z.string().min(1),
  /** The conversation's thread when the post is a reply there; null: a new thread in `channel`. */
  thread: z.string().nullable(),
  /** The staff member who started the conversation, and where to tell them how it went. */
  requester: z.string().min(1),
  requesterThread: z.object({ channel: z.string().min(1), thread: z.string().min(1) }),
  report: PostedReport,
  /**
   * A submitted form only: the conversation as it was before the submission. The form is saved
   * before the escalation channel is known to be private; if Slack then says it is public, the
   * submission is withdrawn and the conversation goes back to the form (see deliver).
   */
  reopen: z
    .object({
      state: FlowState,
      turn: z.number().int().min(0),
      escalation: EscalationPost.nullable(),
      /** What was typed: the next form's prefill. */
      details: EscalationDetails,
    })
    .optional(),
});
export type OutboxPayload = z.infer<typeof OutboxPayload>;

/**
 * Every escalation post carries its outbox id as Slack message metadata (ids only, no PHI), so a
 * post Slack accepted but whose answer was lost is found in the channel instead of posted again.
 */
export const ESCALATION_EVENT = "portal_check_escalation";

export const EscalationMetadata = z.object({
  event_type: z.literal(ESCALATION_EVENT),
  event_payload: z.object({ outbox: z.string() }),
});

/** One outbox entry per escalation of a conversation: a second save of the same one is refused. */
export const outboxId = (conversation: string, escalation: string) => `${conversation}:${escalation}`;
