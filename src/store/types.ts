import { millisecondsInDay } from "date-fns/constants";
import { z } from "zod";
import type { NewQuestionRecord, QuestionRecord, Verdict } from "../core/feedback/schema.js";
import { FlowState } from "../core/flow/state.js";
import type { OutcomeRecord } from "../core/report/outcome.js";

/** The default `limit` of listIdle(), listRecent() and listPendingEscalations(). */
export const DEFAULT_LIST_LIMIT = 100;

/** How long outcome records are kept after a conversation's last update (STATS_RETENTION_DAYS). */
export const DEFAULT_STATS_RETENTION_DAYS = 400;

/** A retention of `days` in whole milliseconds: what each store adds to `now` for `expiresAt`. */
export const retentionMsFor = (days: number) => Math.round(days * millisecondsInDay);

/**
 * A stored conversation: the engine's state plus what a shell needs to find and redraw it.
 * `revision` grows by one on every accepted update; updates are compare-and-set on it, so a stale
 * or duplicated answer (a double click, a retried request, a second instance) can never move a
 * conversation twice.
 */
export const StoredConversation = z.object({
  id: z.string().min(1).max(100),
  revision: z.number().int().min(1),
  /** Lookup key chosen by the shell: "terminal:<profile>", "slack:<team>:<channel>:<thread ts>". */
  key: z.string().max(255).nullable(),
  state: FlowState,
  /** Shell-owned data (Slack channel/thread/message ts, pasted findings...). Shells validate it with their own schema. */
  surface: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** After this the conversation and everything it holds is gone (retention). */
  expiresAt: z.iso.datetime(),
});
export type StoredConversation = z.infer<typeof StoredConversation>;

export type NewConversation = Pick<StoredConversation, "id" | "key" | "state" | "surface">;

/** What the store wrote on create(): the caller's typed values, not read back and parsed again. */
export function createdConversation(
  conversation: NewConversation,
  now: number,
  expires: number,
): StoredConversation {
  const at = new Date(now).toISOString();
  return {
    ...conversation,
    revision: 1,
    createdAt: at,
    updatedAt: at,
    expiresAt: new Date(expires).toISOString(),
  };
}

/** A stored row as the store hands it back: JSON text for state and surface, times in ms. */
export interface StoredRow {
  id: string;
  key: string | null;
  revision: number;
  state: string;
  surface: string;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
}

/**
 * A row as a stored conversation. After an update the parts the caller just gave (`given`) are taken as they
 * are: parsing them again would only repeat the work on every click.
 */
export function conversationFromRow(
  row: StoredRow,
  given: Partial<Pick<StoredConversation, "state" | "surface">> = {},
): StoredConversation {
  const iso = (ms: number) => new Date(ms).toISOString();
  const { shape } = StoredConversation;
  return {
    id: shape.id.parse(row.id),
    key: row.key,
    revision: shape.revision.parse(row.revision),
    state: given.state ?? shape.state.parse(JSON.parse(row.state)),
    surface: given.surface ?? shape.surface.parse(JSON.parse(row.surface)),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    expiresAt: iso(row.expiresAt),
  };
}

/**
 * An escalation waiting to be posted (the outbox). It is saved before the post, so a restart or a
 * Slack outage loses nothing; `postedTs` is set exactly once, so it is never posted twice.
 */
export const OutboxEntry = z.object({
  id: z.string().min(1).max(200),
  conversationId: z.string().min(1).max(100),
  /** What the shell will post (channel, blocks...). Holds PHI: it expires and is purged with its conversation. */
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
  /** Attempts recorded so far, failed or not. */
  attempts: z.number().int().min(0),
  /** The last failure, as an error code or short message; never PHI. */
  lastError: z.string().max(500).nullable(),
  lastAttemptAt: z.iso.datetime().nullable(),
  /** The Slack message ts once posted; null while pending. */
  postedTs: z.string().min(1).max(100).nullable(),
  postedAt: z.iso.datetime().nullable(),
  /** Retention counts from when the escalation was saved. */
  expiresAt: z.iso.datetime(),
});
export type OutboxEntry = z.infer<typeof OutboxEntry>;

export type NewOutboxEntry = Pick<OutboxEntry, "id" | "conversationId" | "payload">;

/** What the store wrote for a new outbox entry (as createdConversation() does for a conversation). */
export function createdOutboxEntry(entry: NewOutboxEntry, now: number, expires: number): OutboxEntry {
  return {
    ...entry,
    createdAt: new Date(now).toISOString(),
    attempts: 0,
    lastError: null,
    lastAttemptAt: null,
    postedTs: null,
    postedAt: null,
    expiresAt: new Date(expires).toISOString(),
  };
}

/** The outbox half of updateWithOutbox(). */
export type OutboxChange =
  /** Saves this escalation of the conversation being updated. */
  | { save: Omit<NewOutboxEntry, "conversationId"> }
  /** Removes this escalation, which must not be posted yet. */
  | { withdraw: string };

export type OutboxUpdateResult =
  | { ok: true; record: StoredConversation; entry: OutboxEntry | undefined }
  | { ok: false; current: StoredConversation | undefined };

/** What claimThenGet() found: the claim refused (a replay), or taken with the conversation (if any). */
export type ClaimThenGet = { claimed: false } | { claimed: true; record: StoredConversation | undefined };

export type UpdateResult =
  | { ok: true; record: StoredConversation }
  /** `current` is the record as it is now (undefined when it no longer exists). */
  | { ok: false; current: StoredConversation | undefined };

export interface ConversationStore {
  /** Creates at revision 1. A second create with the same id or key fails with StoreConflictError. */
  create(conversation: NewConversation, now?: Date): Promise<StoredConversation>;
  get(id: string, now?: Date): Promise<StoredConversation | undefined>;
  getByKey(key: string, now?: Date): Promise<StoredConversation | undefined>;
  /** Compare-and-set: applies only when the stored revision equals `expectedRevision`. */
  update(
    id: string,
    expectedRevision: number,
    change: Partial<Pick<StoredConversation, "state" | "surface" | "key">>,
    now?: Date,
  ): Promise<UpdateResult>;
  /**
   * Remembers `token` for `ttlMs`; true only for the first caller. De-duplicates Slack retries and
   * double clicks across instances.
   */
  claim(token: string, ttlMs: number, now?: Date): Promise<boolean>;
  /**
   * claim(), then (only when the claim was taken) get(conversationId), as one step: on Redis one round
   * trip instead of two. For the request guard, whose replay claim on a button click is followed at
   * once by the click's read of the conversation its value names (request-guard.ts).
   */
  claimThenGet(token: string, ttlMs: number, conversationId: string, now?: Date): Promise<ClaimThenGet>;
  /**
   * claim() for a token that belongs to a conversation: purged with it. The way to let exactly one
   * instance do a job for a conversation, e.g. the stale-conversation reminder:
   *
   *   for (const c of await store.listIdle(subHours(now, STALE_REMIND_HOURS)))
   *     if (await store.claimFor(c.id, `stale-remind:${c.id}:${c.revision}`, retentionMs)) remind(c);
   *
   * The revision in the token makes it one reminder per idle period: any answer bumps the revision,
   * and a later idle period gets a fresh token. Posting the reminder must not update the conversation
   * (that would reset its idle clock); the claim is the record that it was sent. For the automatic
   * escalation, save it to the outbox with an id derived the same way (`stale:<id>:<revision>`):
   * the second instance's saveEscalation() fails with StoreConflictError, and the outbox retries the post.
   */
  claimFor(conversationId: string, token: string, ttlMs: number, now?: Date): Promise<boolean>;
  /**
   * Unfinished conversations (phase not in FINISHED_PHASES) last updated before `before`, oldest
   * first, at most `limit`. For the stale-conversation timer; pair it with claimFor().
   */
  listIdle(before: Date, now?: Date, limit?: number): Promise<StoredConversation[]>;
  /**
   * Conversations (finished or not) updated at or after `since`, newest first, at most `limit`.
   * For App Home's lists.
   */
  listRecent(since: Date, now?: Date, limit?: number): Promise<StoredConversation[]>;

  // --- outcome records: de-identified, kept for STATS_RETENTION_DAYS ------------------------
  /**
   * Outcome records of conversations started in [since, until), oldest first. Every create() and
   * update() keeps the conversation's record current in the same atomic step; purge() marks the
   * record of a purged conversation as ended (an open one then counts as abandoned) and keeps it,
   * and removes records past their own retention.
   */
  listOutcomes(since: Date, until: Date, now?: Date): Promise<OutcomeRecord[]>;

  // --- the escalation outbox: save, post, mark posted ----------------------------------------
  /**
   * Saves an escalation before it is posted. Fails with StoreConflictError when the id is taken
   * (a second instance, a retried request) and StoreNotFoundError when the conversation is gone.
   */
  saveEscalation(entry: NewOutboxEntry, now?: Date): Promise<OutboxEntry>;
  getEscalation(id: string, now?: Date): Promise<OutboxEntry | undefined>;
  /** Escalations not posted yet, oldest first: for the retry timer and start-up. */
  listPendingEscalations(now?: Date, limit?: number): Promise<OutboxEntry[]>;
  /**
   * Records the Slack ts of the post. True only for the first call per entry: a second call (another
   * instance posted too) returns false and the first ts stays.
   *
   * Two instances retrying the same entry at once would both post; take
   * claimFor(conversationId, `outbox-post:<id>`, leaseMs) before posting so only one tries at a time.
   */
  markEscalationPosted(id: string, ts: string, now?: Date): Promise<boolean>;
  /**
   * update() and an outbox change in one atomic write: both happen or neither does. A submitted
   * escalation form is saved this way before Slack is told it arrived, so no crash can leave the
   * conversation moved without its escalation (or the reverse). A lost compare-and-set changes
   * nothing ({ ok: false }); StoreConflictError when the entry to save exists already, or the one to
   * withdraw is posted or gone. `entry` is the saved entry (save) or undefined (withdraw).
   */
  updateWithOutbox(
    id: string,
    expectedRevision: number,
    change: Partial<Pick<StoredConversation, "state" | "surface">>,
    outbox: OutboxChange,
    now?: Date,
  ): Promise<OutboxUpdateResult>;
  /** Counts a failed post and keeps its error. Undefined when the entry is gone; no change once posted. */
  recordEscalationFailure(id: string, error: string, now?: Date): Promise<OutboxEntry | undefined>;

  // --- questions asked in Slack and their verdicts, for `portal-check questions` ------------------
  /**
   * Stores a question whose text is already redacted (redactQuestionText), kept for the feedback retention
   * (FEEDBACK_RETENTION_DAYS), not the conversations'. A second call with the same id changes nothing.
   */
  recordQuestion(record: NewQuestionRecord, now?: Date): Promise<void>;
  /** Sets the verdict of a stored question (the last click counts); false when it has expired. */
  recordVerdict(id: string, verdict: Verdict, now?: Date): Promise<boolean>;
  /** Stored questions that have not expired, newest first, at most `limit`. */
  listQuestions(now?: Date, limit?: number): Promise<QuestionRecord[]>;

  /**
   * Deletes conversations last updated before `before` (and expired ones), with everything they hold:
   * their outbox entries and claims. Their outcome records stay (marked ended at `now`); outcome
   * records past STATS_RETENTION_DAYS go. Returns how many conversations.
   */
  purge(before: Date, now?: Date): Promise<number>;
  close(): Promise<void>;
}

/** How many stored questions `portal-check questions` reads at most. */
export const QUESTION_LIST_LIMIT = 10_000;

export class StoreConflictError extends Error {
  override name = "StoreConflictError";
}

export class StoreNotFoundError extends Error {
  override name = "StoreNotFoundError";
}

/**
 * A purge whose rows are deleted but whose data is still on disk: another connection holds a read
 * transaction on an older snapshot, so the old pages cannot be overwritten yet (SQLite's WAL).
 */
export class StorePurgeIncompleteError extends Error {
  override name = "StorePurgeIncompleteError";
  constructor(
    readonly count: number,
    readonly where: string,
  ) {
    super(`purge deleted ${count} conversation(s), but another connection is reading ${where}`);
  }
}
