import { z } from "zod";
import { EscalationDetails } from "../core/escalation/details.js";
import { EscalationReport, ReportFinding } from "../core/escalation/report.js";
import type { ConversationRecord } from "../store/types.js";

/**
 * What the Slack shell keeps with a conversation (the store's `surface`): where its messages are,
 * who asked, and what was pasted or typed into forms. PHI lives here too (pasted emails and
 * patients, form drafts), so it expires with the conversation.
 */

export const EscalationPost = z.discriminatedUnion("status", [
  /** A form submission is posting it right now; `since` lets a crashed attempt be retried. */
  z.object({ status: z.literal("posting"), since: z.iso.datetime() }),
  z.object({
    status: z.enum(["open", "case_opened", "resolved"]),
    /** Names this escalation in its buttons. */
    id: z.string(),
    channel: z.string(),
    ts: z.string(),
    /** Set when the escalation is a reply in the conversation's own thread. */
    thread: z.string().nullable(),
    /** Permalink to the post, for the root message and the requester. */
    link: z.string().nullable(),
    case: z.string().nullable(),
    updatedBy: z.string().nullable(),
    /** What was posted, so the post can be redrawn whatever the conversation does next (a restart). */
    report: EscalationReport,
  }),
]);
export type EscalationPost = z.infer<typeof EscalationPost>;

export const SlackSurface = z.object({
  team: z.string(),
  channel: z.string(),
  /** The thread the conversation lives in. */
  thread: z.string(),
  /** The bot's message that introduces the conversation; updated with its status. */
  root: z.string(),
  /** The check message, updated in place on every answer (null until posted). */
  check: z.string().nullable(),
  /** The compact transcript message (posted with the first answer). */
  transcript: z.string().nullable(),
  /** Slack user id of the staff member who started it. */
  requester: z.string(),
  /**
   * Grows by one on every engine transition. Buttons carry the turn they were drawn at, so a click
   * on an older drawing is recognised as stale even after surface-only updates bumped the revision.
   */
  turn: z.number().int().min(0),
  /** Findings of the latest pasted records, as they go into an escalation. */
  findings: z.array(ReportFinding),
  /** Emails and patients from pasted records: prefill for the escalation form. */
  pasted: z.object({ emails: z.array(z.string()), patients: z.array(z.string()) }).nullable(),
  /** A submitted form that is not posted yet (refused channel, Slack failure): the retry's prefill. */
  draft: EscalationDetails.nullable(),
  escalation: EscalationPost.nullable(),
});
export type SlackSurface = z.infer<typeof SlackSurface>;

export class NotASlackConversation extends Error {
  override name = "NotASlackConversation";
}

/** The surface of a stored conversation; throws when the record was made by another shell. */
export function surfaceOf(record: ConversationRecord): SlackSurface {
  const parsed = SlackSurface.safeParse(record.surface);
  if (!parsed.success) throw new NotASlackConversation(`conversation ${record.id} has no Slack surface`);
  return parsed.data;
}

export function conversationKey(team: string, channel: string, thread: string): string {
  return `slack:${team}:${channel}:${thread}`;
}
