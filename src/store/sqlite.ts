import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import {
  DEFAULT_FEEDBACK_RETENTION_DAYS,
  type NewQuestionRecord,
  type Verdict,
} from "../core/feedback/schema.js";
import { FINISHED_PHASES } from "../core/flow/state.js";
import type { OutcomeRecord } from "../core/report/outcome.js";
import { BackgroundCheckpoints } from "./checkpoints.js";
import { GroupCommit } from "./group-commit.js";
import { type OutcomeWrite, outcomeFromRow, outcomeWrite } from "./outcomes.js";
import { SqliteQuestions } from "./questions-sqlite.js";
import {
  type ClaimThenGet,
  type ConversationStore,
  conversationFromRow,
  createdConversation,
  createdOutboxEntry,
  DEFAULT_LIST_LIMIT,
  DEFAULT_STATS_RETENTION_DAYS,
  type NewConversation,
  type NewOutboxEntry,
  type OutboxChange,
  OutboxEntry,
  type OutboxUpdateResult,
  retentionMsFor,
  StoreConflictError,
  type StoredConversation,
  StoreNotFoundError,
  StorePurgeIncompleteError,
  type UpdateResult,
} from "./types.js";

/** The SQL twin of isFinished(); the partial index below is written with the same expression. */
const UNFINISHED = `json_extract(state, '$.phase') NOT IN (${FINISHED_PHASES.map((p) => `'${p}'`).join(", ")})`;

export interface SqliteStoreOptions {
  /** File path, or ":memory:". The folder is created on first use. */
  path: string;
  /** Conversations expire this long after their last update. */
  retentionDays: number;
  /** False: a missing file is an error (StoreMissingError) instead of a new, empty store. */
  create?: boolean;
  /** Stored questions and their verdicts expire this long after they were asked (default 90). */
  feedbackRetentionDays?: number;
  /** Outcome records are kept this long after the conversation's last update (default 400). */
  statsRetentionDays?: number;
  /**
   * WAL checkpoints on a worker thread instead of inside commits (checkpoints.ts): what `serve`
   * uses, where a checkpoint inside a commit holds up every request in flight. A file store only.
   */
  backgroundCheckpoints?: { intervalMs?: number; onFailure?: (err: Error) => void };
}

/** Atomics.wait's cell for truncateWal()'s pauses (nothing ever wakes it). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** Between two background checkpoints: the WAL stays a few MB at most under the benchmark's load. */
const CHECKPOINT_INTERVAL_MS = 250;

/** The SQLite file a command was to work on does not exist (and it was not to be created). */
export class StoreMissingError extends Error {
  override name = "StoreMissingError";
  constructor(readonly path: string) {
    super(`there is no conversation store at ${path}`);
  }
}

/**
 * The file and its folder, private to this user (they hold PHI): a new folder 0700, the database
 * file 0600, created before SQLite opens it, as SQLite gives its -wal and -shm files the database
 * file's permissions. A database file left readable by others by an earlier version is made private.
 */
function preparePrivateFile(path: string, create: boolean) {
  if (!create && !existsSync(path)) throw new StoreMissingError(path);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, "a", 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    } catch {
      // Not ours to change (another user's file): SQLite reports it if it cannot be used.
    }
  }
}

interface OutcomeRow {
  conversation_id: string;
  channel: string | null;
  summary: string;
  started_at: number;
  updated_at: number;
  conversation_ends_at: number;
  expires_at: number;
}

interface Row {
  id: string;
  key: string | null;
  revision: number;
  state: string;
  surface: string;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

interface InsertParams {
  id: string;
  key: string | null;
  state: string;
  surface: string;
  now: number;
  expires: number;
}

/** `state` and `surface` are NULL when the update leaves them as they are. */
interface UpdateParams {
  id: string;
  expected: number;
  state: string | null;
  surface: string | null;
  now: number;
  expires: number;
}

interface OutboxRow {
  id: string;
  conversation_id: string;
  payload: string;
  created_at: number;
  attempts: number;
  last_error: string | null;
  last_attempt_at: number | null;
  posted_ts: string | null;
  posted_at: number | null;
  expires_at: number;
}

/** Conversations a purge removes: idle since before @before, or expired at @now. */
const PURGED = "(updated_at < @before OR expires_at <= @now)";

/**
 * The embedded default store: one SQLite file in WAL mode, safe for several processes on one
 * machine. Compare-and-set is a single UPDATE ... WHERE revision = ?, which SQLite applies atomically.
 */
export class SqliteConversationStore implements ConversationStore {
  private readonly db: Database.Database;
  private readonly path: string;
  private readonly retentionMs: number;
  private readonly statsRetentionMs: number;
  private readonly statements;
  private readonly insertRows: (params: InsertParams, outcome: StoredConversation) => void;
  private readonly updateRows: (
    params: UpdateParams,
    change: Partial<Pick<StoredConversation, "state" | "surface" | "key">>,
  ) => Row | undefined;
  private readonly questions: SqliteQuestions;
  /** The writes every request makes (claims, creates, updates) share commits; see group-commit.ts. */
  private readonly writes: GroupCommit;
  private readonly checkpoints: BackgroundCheckpoints | undefined;

  constructor(options: SqliteStoreOptions) {
    if (options.path !== ":memory:") preparePrivateFile(options.path, options.create ?? true);
    this.db = new Database(options.path);
    this.path = options.path;
    this.db.pragma("journal_mode = WAL");
    // Another process may hold the write lock for a moment; wait instead of failing.
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("synchronous = NORMAL");
    // Deleted and replaced rows are overwritten with zeros, so purged PHI does not linger in free pages.
    this.db.pragma("secure_delete = ON");
    migrate(this.db);
    this.writes = new GroupCommit(this.db);
    const background = options.backgroundCheckpoints;
    if (background && options.path !== ":memory:") {
      this.checkpoints = new BackgroundCheckpoints(this.db, options.path, {
        intervalMs: background.intervalMs ?? CHECKPOINT_INTERVAL_MS,
        ...(background.onFailure ? { onFailure: background.onFailure } : {}),
      });
    }
    this.retentionMs = retentionMsFor(options.retentionDays);
    this.questions = new SqliteQuestions(
      this.db,
      retentionMsFor(options.feedbackRetentionDays ?? DEFAULT_FEEDBACK_RETENTION_DAYS),
    );
    this.statsRetentionMs = retentionMsFor(options.statsRetentionDays ?? DEFAULT_STATS_RETENTION_DAYS);
    this.statements = {
      insert: this.db.prepare<InsertParams>(
        `INSERT INTO conversations (id, key, revision, state, surface, created_at, updated_at, expires_at)
         VALUES (@id, @key, 1, @state, @surface, @now, @now, @expires)`,
      ),
      get: this.db.prepare<[string, number], Row>(
        "SELECT * FROM conversations WHERE id = ? AND expires_at > ?",
      ),
      getByKey: this.db.prepare<[string, number], Row>(
        "SELECT * FROM conversations WHERE key = ? AND expires_at > ?",
      ),
      // Compare-and-set in one statement: a field given as NULL keeps its stored value. The key is
      // set only by its own statement, so most updates leave the key's unique index alone.
      update: this.db.prepare<UpdateParams, Row>(
        `UPDATE conversations
            SET revision = revision + 1, state = coalesce(@state, state), surface = coalesce(@surface, surface),
                updated_at = @now, expires_at = @expires
          WHERE id = @id AND revision = @expected AND expires_at > @now
          RETURNING *`,
      ),
      updateWithKey: this.db.prepare<UpdateParams & { key: string | null }, Row>(
        `UPDATE conversations
            SET revision = revision + 1, state = coalesce(@state, state), surface = coalesce(@surface, surface),
                key = @key, updated_at = @now, expires_at = @expires
          WHERE id = @id AND revision = @expected AND expires_at > @now
          RETURNING *`,
      ),
      // A key whose conversation expired is free again. The conversation itself stays until purge(),
      // which takes it with its outbox entries and claims.
      releaseExpiredKey: this.db.prepare(
        "UPDATE conversations SET key = NULL WHERE key = ? AND expires_at <= ?",
      ),
      claim: this.db.prepare(
        `INSERT INTO claims (token, conversation_id, expires_at) VALUES (@token, @conversation, @expires)
         ON CONFLICT (token) DO UPDATE SET expires_at = excluded.expires_at,
                                           conversation_id = excluded.conversation_id
          WHERE claims.expires_at <= @now`,
      ),
      listIdle: this.db.prepare<{ before: number; now: number; limit: number }, Row>(
        `SELECT * FROM conversations
          WHERE ${UNFINISHED} AND updated_at < @before AND expires_at > @now
          ORDER BY updated_at, id LIMIT @limit`,
      ),
      insertOutbox: this.db.prepare(
        `INSERT INTO outbox (id, conversation_id, payload, created_at, attempts, expires_at)
         VALUES (@id, @conversation, @payload, @now, 0, @expires)`,
      ),
      getOutbox: this.db.prepare<[string, number], OutboxRow>(
        "SELECT * FROM outbox WHERE id = ? AND expires_at > ?",
      ),
      listPending: this.db.prepare<[number, number], OutboxRow>(
        `SELECT * FROM outbox WHERE posted_ts IS NULL AND expires_at > ?
          ORDER BY created_at, id LIMIT ?`,
      ),
      markPosted: this.db.prepare(
        `UPDATE outbox SET posted_ts = @ts, posted_at = @now, attempts = attempts + 1, last_attempt_at = @now
          WHERE id = @id AND posted_ts IS NULL AND expires_at > @now`,
      ),
      withdrawOutbox: this.db.prepare("DELETE FROM outbox WHERE id = ? AND posted_ts IS NULL"),
      recordFailure: this.db.prepare(
        `UPDATE outbox SET attempts = attempts + 1, last_error = @error, last_attempt_at = @now
          WHERE id = @id AND posted_ts IS NULL AND expires_at > @now`,
      ),
      purgeOutbox: this.db.prepare(
        `DELETE FROM outbox WHERE expires_at <= @now
            OR conversation_id IN (SELECT id FROM conversations WHERE ${PURGED})`,
      ),
      purgeClaims: this.db.prepare(
        `DELETE FROM claims WHERE expires_at <= @now
            OR conversation_id IN (SELECT id FROM conversations WHERE ${PURGED})`,
      ),
      purge: this.db.prepare(`DELETE FROM conversations WHERE ${PURGED}`),
      // The outcome record of a conversation: its summary as of this write. The channel, once
      // known, stays.
      writeOutcome: this.db.prepare(
        `INSERT INTO outcomes (conversation_id, channel, summary, started_at, updated_at, conversation_ends_at, expires_at)
         VALUES (@id, @channel, @summary, @started, @now, @ends, @statsExpires)
         ON CONFLICT (conversation_id) DO UPDATE SET
           channel = coalesce(outcomes.channel, excluded.channel), summary = excluded.summary,
           started_at = excluded.started_at, updated_at = excluded.updated_at,
           conversation_ends_at = excluded.conversation_ends_at, expires_at = excluded.expires_at`,
      ),
      // A change that leaves the state alone only moves the record's times.
      touchOutcome: this.db.prepare(
        `UPDATE outcomes SET updated_at = @now, conversation_ends_at = @ends, expires_at = @statsExpires
          WHERE conversation_id = @id`,
      ),
      // A purged conversation has ended now: an open one counts as abandoned from here on.
      endOutcomes: this.db.prepare(
        `UPDATE outcomes SET conversation_ends_at = min(conversation_ends_at, @now)
          WHERE conversation_id IN (SELECT id FROM conversations WHERE ${PURGED})`,
      ),
      purgeOutcomes: this.db.prepare("DELETE FROM outcomes WHERE expires_at <= @now"),
      listOutcomes: this.db.prepare<{ since: number; until: number; now: number }, OutcomeRow>(
        `SELECT * FROM outcomes WHERE started_at >= @since AND started_at < @until AND expires_at > @now
          ORDER BY started_at, conversation_id`,
      ),
      listRecent: this.db.prepare<{ since: number; now: number; limit: number }, Row>(
        `SELECT * FROM conversations WHERE updated_at >= @since AND expires_at > @now
          ORDER BY updated_at DESC, id LIMIT @limit`,
      ),
    };
    const { insert, releaseExpiredKey, update, updateWithKey } = this.statements;
    // Run inside a transaction (the group commit's, or updateWithOutbox's), which makes them one
    // write: freeing an expired holder of the key, the insert that takes it, and its outcome.
    this.insertRows = (params: InsertParams, record: StoredConversation) => {
      if (params.key) releaseExpiredKey.run(params.key, params.now);
      insert.run(params);
      this.writeOutcome(record.id, outcomeWrite(record.state, record.surface), params);
    };
    // Likewise: the compare-and-set and the outcome record it implies.
    this.updateRows = (
      params: UpdateParams,
      change: Partial<Pick<StoredConversation, "state" | "surface" | "key">>,
    ) => {
      if (change.key) releaseExpiredKey.run(change.key, params.now);
      const row =
        change.key === undefined ? update.get(params) : updateWithKey.get({ ...params, key: change.key });
      // The summary comes from the state the caller gave (nothing stored is parsed again); without
      // a new state, only the record's times move.
      if (row && change.state)
        this.writeOutcome(params.id, outcomeWrite(change.state, change.surface), params);
      else if (row) this.statements.touchOutcome.run(this.outcomeTimes(params.id, params));
      return row;
    };
  }

  private writeOutcome(id: string, outcome: OutcomeWrite, times: { now: number; expires: number }) {
    this.statements.writeOutcome.run({
      ...this.outcomeTimes(id, times),
      channel: outcome.channel,
      summary: outcome.summary,
      started: outcome.startedAt,
    });
  }

  private outcomeTimes(id: string, { now, expires }: { now: number; expires: number }) {
    return { id, now, ends: expires, statsExpires: now + this.statsRetentionMs };
  }

  async create(conversation: NewConversation, now = new Date()): Promise<StoredConversation> {
    const t = now.getTime();
    const expires = t + this.retentionMs;
    const record = createdConversation(conversation, t, expires);
    const params = {
      id: conversation.id,
      key: conversation.key,
      state: JSON.stringify(conversation.state),
      surface: JSON.stringify(conversation.surface),
      now: t,
      expires,
    };
    try {
      await this.writes.run(() => this.insertRows(params, record));
    } catch (err) {
      if (err instanceof Database.SqliteError && err.code.startsWith("SQLITE_CONSTRAINT")) {
        throw new StoreConflictError(`a conversation with this id or key already exists`);
      }
      throw err;
    }
    return record;
  }

  async get(id: string, now = new Date()) {
    return toRecord(this.statements.get.get(id, now.getTime()));
  }

  async getByKey(key: string, now = new Date()) {
    return toRecord(this.statements.getByKey.get(key, now.getTime()));
  }

  async update(
    id: string,
    expectedRevision: number,
    change: Partial<Pick<StoredConversation, "state" | "surface" | "key">>,
    now = new Date(),
  ): Promise<UpdateResult> {
    try {
      return await this.writes.run(() => this.updateNow(id, expectedRevision, change, now.getTime()));
    } catch (err) {
      if (err instanceof Database.SqliteError && err.code.startsWith("SQLITE_CONSTRAINT")) {
        throw new StoreConflictError("another conversation already uses this key");
      }
      throw err;
    }
  }

  /** update() itself, synchronous so that a transaction can hold it. */
  private updateNow(
    id: string,
    expectedRevision: number,
    change: Partial<Pick<StoredConversation, "state" | "surface" | "key">>,
    t: number,
  ): UpdateResult {
    const params = {
      id,
      expected: expectedRevision,
      state: change.state === undefined ? null : JSON.stringify(change.state),
      surface: change.surface === undefined ? null : JSON.stringify(change.surface),
      now: t,
      expires: t + this.retentionMs,
    };
    // Inside the caller's transaction: the row and its outcome record stand or fall together.
    const row = this.updateRows(params, change);
    if (row) return { ok: true, record: toRecord(row, change) as StoredConversation };
    return { ok: false, current: toRecord(this.statements.get.get(id, t)) };
  }

  async updateWithOutbox(
    id: string,
    expectedRevision: number,
    change: Partial<Pick<StoredConversation, "state" | "surface">>,
    outbox: OutboxChange,
    now = new Date(),
  ): Promise<OutboxUpdateResult> {
    const t = now.getTime();
    const expires = t + this.retentionMs;
    const write = this.db.transaction((): OutboxUpdateResult => {
      const updated = this.updateNow(id, expectedRevision, change, t);
      if (!updated.ok) return updated;
      if ("save" in outbox) {
        this.statements.insertOutbox.run({
          id: outbox.save.id,
          conversation: id,
          payload: JSON.stringify(outbox.save.payload),
          now: t,
          expires,
        });
        return { ...updated, entry: createdOutboxEntry({ ...outbox.save, conversationId: id }, t, expires) };
      }
      if (this.statements.withdrawOutbox.run(outbox.withdraw).changes !== 1) {
        // Thrown inside the transaction: the conversation's update is rolled back with it.
        throw new StoreConflictError("the escalation to withdraw is posted already, or gone");
      }
      return { ...updated, entry: undefined };
    });
    try {
      return write.immediate();
    } catch (err) {
      if (err instanceof Database.SqliteError && err.code.startsWith("SQLITE_CONSTRAINT")) {
        throw new StoreConflictError("an escalation with this id is already saved");
      }
      throw err;
    }
  }

  async claim(token: string, ttlMs: number, now = new Date()): Promise<boolean> {
    return this.takeClaim(null, token, ttlMs, now);
  }

  async claimFor(conversationId: string, token: string, ttlMs: number, now = new Date()): Promise<boolean> {
    return this.takeClaim(conversationId, token, ttlMs, now);
  }

  async claimThenGet(
    token: string,
    ttlMs: number,
    conversationId: string,
    now = new Date(),
  ): Promise<ClaimThenGet> {
    // In process, two steps cost what one would; the pair exists for Redis's round trip.
    if (!(await this.claim(token, ttlMs, now))) return { claimed: false };
    return { claimed: true, record: toRecord(this.statements.get.get(conversationId, now.getTime())) };
  }

  private takeClaim(conversation: string | null, token: string, ttlMs: number, now: Date) {
    const t = now.getTime();
    const params = { token, conversation, expires: t + ttlMs, now: t };
    return this.writes.run(() => this.statements.claim.run(params).changes === 1);
  }

  async listIdle(before: Date, now = new Date(), limit = DEFAULT_LIST_LIMIT) {
    const rows = this.statements.listIdle.all({ before: before.getTime(), now: now.getTime(), limit });
    return rows.map((row) => toRecord(row) as StoredConversation);
  }

  async listRecent(since: Date, now = new Date(), limit = DEFAULT_LIST_LIMIT) {
    const rows = this.statements.listRecent.all({ since: since.getTime(), now: now.getTime(), limit });
    return rows.map((row) => toRecord(row) as StoredConversation);
  }

  async listOutcomes(since: Date, until: Date, now = new Date()): Promise<OutcomeRecord[]> {
    return this.statements.listOutcomes
      .all({ since: since.getTime(), until: until.getTime(), now: now.getTime() })
      .map((row) =>
        outcomeFromRow({
          conversationId: row.conversation_id,
          channel: row.channel,
          summary: row.summary,
          updatedAt: row.updated_at,
          conversationEndsAt: row.conversation_ends_at,
          expiresAt: row.expires_at,
        }),
      );
  }

  async saveEscalation(entry: NewOutboxEntry, now = new Date()): Promise<OutboxEntry> {
    const t = now.getTime();
    const save = this.db.transaction(() => {
      if (!this.statements.get.get(entry.conversationId, t)) {
        throw new StoreNotFoundError("the conversation of this escalation no longer exists");
      }
      this.statements.insertOutbox.run({
        id: entry.id,
        conversation: entry.conversationId,
        payload: JSON.stringify(entry.payload),
        now: t,
        expires: t + this.retentionMs,
      });
    });
    try {
      save.immediate();
    } catch (err) {
      if (err instanceof Database.SqliteError && err.code.startsWith("SQLITE_CONSTRAINT")) {
        throw new StoreConflictError("an escalation with this id is already saved");
      }
      throw err;
    }
    const saved = await this.getEscalation(entry.id, now);
    if (!saved) throw new Error("escalation vanished right after it was saved");
    return saved;
  }

  async getEscalation(id: string, now = new Date()) {
    return toOutboxEntry(this.statements.getOutbox.get(id, now.getTime()));
  }

  async listPendingEscalations(now = new Date(), limit = DEFAULT_LIST_LIMIT) {
    return this.statements.listPending
      .all(now.getTime(), limit)
      .map((row) => toOutboxEntry(row) as OutboxEntry);
  }

  async markEscalationPosted(id: string, ts: string, now = new Date()): Promise<boolean> {
    return this.statements.markPosted.run({ id, ts, now: now.getTime() }).changes === 1;
  }

  async recordEscalationFailure(id: string, error: string, now = new Date()) {
    this.statements.recordFailure.run({ id, error: error.slice(0, 500), now: now.getTime() });
    return this.getEscalation(id, now);
  }

  async recordQuestion(record: NewQuestionRecord, now = new Date()) {
    this.questions.record(record, now);
  }

  async recordVerdict(id: string, verdict: Verdict, now = new Date()) {
    return this.questions.verdict(id, verdict, now);
  }

  async listQuestions(now = new Date(), limit?: number) {
    return this.questions.list(now, limit);
  }

  async purge(before: Date, now = new Date()): Promise<number> {
    const bounds = { before: before.getTime(), now: now.getTime() };
    // Everything a conversation holds goes first, while the conversation still says whose it is.
    const purged = this.db.transaction(() => {
      this.statements.endOutcomes.run(bounds);
      this.statements.purgeOutcomes.run(bounds);
      this.statements.purgeOutbox.run(bounds);
      this.statements.purgeClaims.run(bounds);
      return this.statements.purge.run(bounds).changes;
    })();
    // The file still holds the pages as they were before the purge, and the WAL the new (zeroed)
    // ones: copy the WAL back and empty it. A process reading an older snapshot holds this up (for
    // busy_timeout at most); then the data is not gone from the disk yet, and the caller is told.
    if (!this.truncateWal()) throw new StorePurgeIncompleteError(purged, this.path);
    return purged;
  }

  /**
   * Copies the WAL back and empties it; false when a reader held it up. The background checkpointer
   * holds the checkpoint lock a few milliseconds at a time: then this waits a moment and tries again
   * (blocking, but purge runs rarely and a wait is at most a second).
   */
  private truncateWal(): boolean {
    for (let attempt = 0; ; attempt++) {
      const [checkpoint] = this.db.pragma("wal_checkpoint(TRUNCATE)") as Array<{ busy: number }>;
      if (!checkpoint || checkpoint.busy === 0) return true;
      if (!this.checkpoints?.running || attempt >= 40) return false;
      Atomics.wait(PAUSE, 0, 0, 25);
    }
  }

  async close() {
    if (!this.db.open) return;
    this.writes.flush();
    await this.checkpoints?.stop();
    this.db.close();
  }
}

/**
 * Brings a database of any earlier version up to date. One write transaction, with the version read
 * inside it: two processes starting together on a new file do not both run a step.
 */
function migrate(db: Database.Database) {
  db.transaction(() => {
    const version = db.pragma("user_version", { simple: true }) as number;
    for (const [index, step] of MIGRATIONS.entries()) if (version <= index) db.exec(step);
  }).immediate();
}

const MIGRATIONS = [
  `
    CREATE TABLE IF NOT EXISTS conversations (
      id TEXT PRIMARY KEY,
      key TEXT UNIQUE,
      revision INTEGER NOT NULL,
      state TEXT NOT NULL,
      surface TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS conversations_updated ON conversations (updated_at);
    CREATE INDEX IF NOT EXISTS conversations_expires ON conversations (expires_at);
    CREATE TABLE IF NOT EXISTS claims (token TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
    PRAGMA user_version = 1;
  `,
  // The escalation outbox, claims owned by a conversation, and an index for the idle scan.
  `
    CREATE TABLE outbox (
      id TEXT PRIMARY KEY,
      conversation_id TEXT NOT NULL,
      payload TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      attempts INTEGER NOT NULL,
      last_error TEXT,
      last_attempt_at INTEGER,
      posted_ts TEXT,
      posted_at INTEGER,
      expires_at INTEGER NOT NULL
    );
    CREATE INDEX outbox_conversation ON outbox (conversation_id);
    CREATE INDEX outbox_pending ON outbox (created_at) WHERE posted_ts IS NULL;
    ALTER TABLE claims ADD COLUMN conversation_id TEXT;
    CREATE INDEX claims_conversation ON claims (conversation_id) WHERE conversation_id IS NOT NULL;
    CREATE INDEX conversations_idle ON conversations (updated_at) WHERE ${UNFINISHED};
    PRAGMA user_version = 2;
  `,
  // Fewer indexes to keep up on every write. Reads go by id or key, the idle scan has its own
  // index, and purge (occasional) can read the whole table.
  `
    DROP INDEX IF EXISTS conversations_updated;
    DROP INDEX IF EXISTS conversations_expires;
    PRAGMA user_version = 3;
  `,
  // Questions asked in Slack (text redacted) and their 👍/👎, with a retention of their own.
  `
    CREATE TABLE questions (
      id TEXT PRIMARY KEY,
      asked_at INTEGER NOT NULL,
      text TEXT NOT NULL,
      outcome TEXT NOT NULL,
      top TEXT,
      confidence REAL NOT NULL,
      verdict TEXT,
      expires_at INTEGER NOT NULL
    );
    CREATE INDEX questions_asked ON questions (asked_at);
    PRAGMA user_version = 4;
  `,
  // De-identified outcome records (src/core/report/outcome.ts): they outlive their conversation.
  // Conversations stored before this step get theirs on their next update.
  `
    CREATE TABLE outcomes (
      conversation_id TEXT PRIMARY KEY,
      channel TEXT,
      summary TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      conversation_ends_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    );
    CREATE INDEX outcomes_started ON outcomes (started_at);
    PRAGMA user_version = 5;
  `,
];

function toOutboxEntry(row: OutboxRow | undefined): OutboxEntry | undefined {
  if (!row) return undefined;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return OutboxEntry.parse({
    id: row.id,
    conversationId: row.conversation_id,
    payload: JSON.parse(row.payload),
    createdAt: iso(row.created_at),
    attempts: row.attempts,
    lastError: row.last_error,
    lastAttemptAt: iso(row.last_attempt_at),
    postedTs: row.posted_ts,
    postedAt: iso(row.posted_at),
    expiresAt: iso(row.expires_at),
  });
}

function toRecord(row: Row | undefined, given?: Partial<Pick<StoredConversation, "state" | "surface">>) {
  if (!row) return undefined;
  const { created_at: createdAt, updated_at: updatedAt, expires_at: expiresAt, ...rest } = row;
  return conversationFromRow({ ...rest, createdAt, updatedAt, expiresAt }, given);
}
