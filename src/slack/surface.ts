import { z } from "zod";
import { AutomaticReport } from "../core/escalation/automatic.js";
import { EscalationDetails } from "../core/escalation/details.js";
import { EscalationReport, ReportFinding } from "../core/escalation/report.js";
import type { StoredConversation } from "../store/types.js";

/**
 * What the Slack shell keeps with a conversation (the store's `surface`): where its messages are,
 * who asked, and what was pasted or typed into forms. PHI lives here too (pasted emails and
 * patients, form drafts), so it expires with the conversation.
 */

/** What an escalation post shows: the form's report, or what the app knew when it escalated by itself. */
export const PostedReport = z.union([AutomaticReport, EscalationReport]);
export type PostedReport = z.infer<typeof PostedReport>;

const escalationWhere = {
  /** Names this escalation in its buttons and in the outbox. */
  id: z.string().min(1).max(40),
  channel: z.string(),
  /** Set when the escalation is a reply in the conversation's own thread. */
  thread: z.string().nullable(),
  /** What is (or will be) posted, so the post can be redrawn whatever the conversation does next. */
  report: PostedReport,
};

export const EscalationPost = z.discriminatedUnion("status", [
  /** Saved in the outbox; Slack has not accepted the post yet (the outbox keeps trying). */
  z.object({ status: z.literal("pending"), ...escalationWhere, since: z.iso.datetime() }),
  z.object({
    status: z.enum(["open", "case_opened", "resolved"]),
    ...escalationWhere,
    ts: z.string(),
    /** Permalink to the post, for the root message and the requester. */
    link: z.string().nullable(),
    case: z.string().nullable(),
    updatedBy: z.string().nullable(),
  }),
]);
export type EscalationPost = z.infer<typeof EscalationPost>;
export type PostedEscalation = Exclude<EscalationPost, { status: "pending" }>;

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
  /** A submitted form that was not saved for posting (refused channel, the walk went back): the prefill. */
  draft: EscalationDetails.nullable(),
  /** The escalation post (not the form's answers: those are the flow state's `escalation`). Stored key. */
  escalation: EscalationPost.nullable(),
});
export type SlackSurface = z.infer<typeof SlackSurface>;

export class NotASlackConversation extends Error {
  override name = "NotASlackConversation";
}

/**
 * Surfaces already read, by the stored object. A click reads its record's surface several times
 * (the turn, the message ts of each part, the thread); records are never changed in place (every
 * write makes new objects), so one parse per object is enough.
 */
const parsedSurfaces = new WeakMap<object, SlackSurface>();

/** The surface of a stored conversation; throws when the record was made by another shell. */
export function surfaceOf(record: StoredConversation): SlackSurface {
  const known = parsedSurfaces.get(record.surface);
  if (known) return known;
  const parsed = SlackSurface.safeParse(record.surface);
  if (!parsed.success) throw new NotASlackConversation(`conversation ${record.id} has no Slack surface`);
  parsedSurfaces.set(record.surface, parsed.data);
  return parsed.data;
}

export function conversationKey(team: string, channel: string, thread: string): string {
  return `slack:${team}:${channel}:${thread}`;
}
