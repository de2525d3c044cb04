import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import {
  ConversationRecord,
  type ConversationStore,
  type NewConversation,
  StoreConflictError,
  type UpdateResult,
} from "./types.js";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface SqliteStoreOptions {
  /** File path, or ":memory:". The folder is created on first use. */
  path: string;
  /** Conversations expire this long after their last update. */
  retentionDays: number;
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

/**
 * The embedded default store: one SQLite file in WAL mode, safe for several processes on one
 * machine. Compare-and-set is a single UPDATE ... WHERE revision = ?, which SQLite applies atomically.
 */
export class SqliteConversationStore implements ConversationStore {
  private readonly db: Database.Database;
  private readonly retentionMs: number;
  private readonly statements;

  constructor(options: SqliteStoreOptions) {
    if (options.path !== ":memory:") mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma("journal_mode = WAL");
    // Another process may hold the write lock for a moment; wait instead of failing.
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("synchronous = NORMAL");
    migrate(this.db);
    this.retentionMs = options.retentionDays * DAY_MS;
    this.statements = {
      insert: this.db.prepare(
        `INSERT INTO conversations (id, key, revision, state, surface, created_at, updated_at, expires_at)
         VALUES (@id, @key, 1, @state, @surface, @now, @now, @expires)`,
      ),
      get: this.db.prepare<[string, number], Row>(
        "SELECT * FROM conversations WHERE id = ? AND expires_at > ?",
      ),
      getByKey: this.db.prepare<[string, number], Row>(
        "SELECT * FROM conversations WHERE key = ? AND expires_at > ?",
      ),
      update: this.db.prepare(
        `UPDATE conversations
            SET revision = revision + 1, state = @state, surface = @surface, key = @key,
                updated_at = @now, expires_at = @expires
          WHERE id = @id AND revision = @expected AND expires_at > @now`,
      ),
      deleteExpiredKey: this.db.prepare("DELETE FROM conversations WHERE key = ? AND expires_at <= ?"),
      claim: this.db.prepare(
        `INSERT INTO claims (token, expires_at) VALUES (?, ?)
         ON CONFLICT (token) DO UPDATE SET expires_at = excluded.expires_at WHERE claims.expires_at <= ?`,
      ),
      purge: this.db.prepare("DELETE FROM conversations WHERE updated_at < ? OR expires_at <= ?"),
      purgeClaims: this.db.prepare("DELETE FROM claims WHERE expires_at <= ?"),
    };
  }

  async create(conversation: NewConversation, now = new Date()): Promise<ConversationRecord> {
    const t = now.getTime();
    try {
      // A key whose conversation expired is free again.
      if (conversation.key) this.statements.deleteExpiredKey.run(conversation.key, t);
      this.statements.insert.run({
        id: conversation.id,
        key: conversation.key,
        state: JSON.stringify(conversation.state),
        surface: JSON.stringify(conversation.surface),
        now: t,
        expires: t + this.retentionMs,
      });
    } catch (err) {
      if (err instanceof Database.SqliteError && err.code.startsWith("SQLITE_CONSTRAINT")) {
        throw new StoreConflictError(`a conversation with this id or key already exists`);
      }
      throw err;
    }
    const created = await this.get(conversation.id, now);
    if (!created) throw new Error("conversation vanished right after it was created");
    return created;
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
    change: Partial<Pick<ConversationRecord, "state" | "surface" | "key">>,
    now = new Date(),
  ): Promise<UpdateResult> {
    const t = now.getTime();
    // Read-merge-write inside one transaction: the UPDATE's revision guard makes it a CAS.
    const run = this.db.transaction((): UpdateResult => {
      const current = toRecord(this.statements.get.get(id, t));
      if (!current || current.revision !== expectedRevision) return { ok: false, current };
      const next = { ...current, ...change };
      const result = this.statements.update.run({
        id,
        expected: expectedRevision,
        key: next.key,
        state: JSON.stringify(next.state),
        surface: JSON.stringify(next.surface),
        now: t,
        expires: t + this.retentionMs,
      });
      if (result.changes !== 1) return { ok: false, current: toRecord(this.statements.get.get(id, t)) };
      const updated = toRecord(this.statements.get.get(id, t));
      if (!updated) throw new Error("conversation vanished during its update");
      return { ok: true, record: updated };
    });
    try {
      return run.immediate();
    } catch (err) {
      if (err instanceof Database.SqliteError && err.code.startsWith("SQLITE_CONSTRAINT")) {
        throw new StoreConflictError("another conversation already uses this key");
      }
      throw err;
    }
  }

  async claim(token: string, ttlMs: number, now = new Date()): Promise<boolean> {
    const t = now.getTime();
    return this.statements.claim.run(token, t + ttlMs, t).changes === 1;
  }

  async purge(before: Date, now = new Date()): Promise<number> {
    const t = now.getTime();
    return this.db.transaction(() => {
      this.statements.purgeClaims.run(t);
      return this.statements.purge.run(before.getTime(), t).changes;
    })();
  }

  async close() {
    if (this.db.open) this.db.close();
  }
}

function migrate(db: Database.Database) {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version >= 1) return;
  db.exec(`
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
  `);
}

function toRecord(row: Row | undefined): ConversationRecord | undefined {
  if (!row) return undefined;
  return ConversationRecord.parse({
    id: row.id,
    key: row.key,
    revision: row.revision,
    state: JSON.parse(row.state),
    surface: JSON.parse(row.surface),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
  });
}
