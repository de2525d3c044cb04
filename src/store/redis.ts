import { Redis } from "ioredis";
import {
  DEFAULT_FEEDBACK_RETENTION_DAYS,
  type NewQuestionRecord,
  type Verdict,
} from "../core/feedback/schema.js";
import { isFinished } from "../core/flow/state.js";
import type { OutcomeRecord } from "../core/report/outcome.js";
import { outcomeFromRow, outcomeWrite } from "./outcomes.js";
import { RedisQuestions } from "./questions-redis.js";
import * as scripts from "./redis-scripts.js";
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
  type UpdateResult,
} from "./types.js";

const PURGE_BATCH = 200;

export interface RedisStoreOptions {
  /** redis://[:password@]host:port[/db] or rediss://... (TLS); checked by redisUrlFrom(). */
  url: string;
  /** Put before every key, so several deployments (or test runs) can share one Redis. */
  prefix: string;
  /** Conversations and escalations expire this long after their last update. */
  retentionDays: number;
  /** Stored questions and their verdicts expire this long after they were asked (default 90). */
  feedbackRetentionDays?: number;
  /** Outcome records are kept this long after the conversation's last update (default 400). */
  statsRetentionDays?: number;
  /** Connection trouble after start-up (the commands that fail also reject with it). */
  onConnectionError?: (err: Error) => void;
}

type ScriptName = keyof typeof scripts;
type Reply = string | number | null | Reply[];

/**
 * The store for several instances: every step that must be atomic runs as one Lua script on the
 * Redis server (see redis-scripts.ts), and every key carries the retention as its TTL, so Redis itself
 * forgets a conversation and everything it holds.
 */
export class RedisConversationStore implements ConversationStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly retentionMs: number;
  private readonly questions: RedisQuestions;
  private readonly statsRetentionMs: number;

  constructor(options: RedisStoreOptions) {
    this.prefix = options.prefix;
    this.retentionMs = retentionMsFor(options.retentionDays);
    this.statsRetentionMs = retentionMsFor(options.statsRetentionDays ?? DEFAULT_STATS_RETENTION_DAYS);
    this.redis = new Redis(options.url, {
      lazyConnect: true,
      connectTimeout: 5000,
      // Fail a command after a few reconnection attempts rather than hang a Slack request.
      maxRetriesPerRequest: 3,
      // No auto-pipelining: each request's claim, read and update come in turns of their own, so
      // the pipeline ioredis builds per turn mostly carries one command, and costs more than it
      // saves (measured on the click benchmark, Node 24: off was faster at 10 and 50 connections).
      enableAutoPipelining: false,
    });
    const onError = options.onConnectionError;
    // Without a listener ioredis prints every connection error with its stack to the terminal.
    this.redis.on("error", (err: Error) => onError?.(err));
    for (const [name, lua] of Object.entries(scripts))
      this.redis.defineCommand(`pc_${name}`, { lua, numberOfKeys: 0 });
    this.questions = new RedisQuestions(
      this.redis,
      this.prefix,
      retentionMsFor(options.feedbackRetentionDays ?? DEFAULT_FEEDBACK_RETENTION_DAYS),
    );
  }

  /** Connects now, so a wrong REDIS_URL or an unreachable server is reported at start-up. */
  async connect(): Promise<void> {
    // connect() itself only says "Connection is closed"; the reason comes as an error event.
    let reason: Error | undefined;
    const remember = (err: Error) => {
      reason ??= err;
    };
    this.redis.on("error", remember);
    try {
      await this.redis.connect();
      await this.redis.ping();
    } catch (err) {
      this.redis.disconnect();
      const { host, port } = this.redis.options;
      throw new Error(
        `cannot use Redis at ${host}:${port} (REDIS_URL): ${(reason ?? (err as Error)).message}`,
      );
    } finally {
      this.redis.off("error", remember);
    }
  }

  /** defineCommand() adds each script as a method (EVALSHA, falling back to EVAL after a restart). */
  private run(name: ScriptName, ...args: (string | number)[]): Promise<Reply> {
    const client = this.redis as unknown as Record<`pc_${ScriptName}`, (...a: string[]) => Promise<Reply>>;
    return client[`pc_${name}`](this.prefix, ...args.map(String));
  }

  async create(conversation: NewConversation, now = new Date()): Promise<StoredConversation> {
    const t = now.getTime();
    const outcome = outcomeWrite(conversation.state, conversation.surface);
    const result = await this.run(
      "CREATE",
      conversation.id,
      conversation.key === null ? "0" : "1",
      conversation.key ?? "",
      JSON.stringify(conversation.state),
      JSON.stringify(conversation.surface),
      isFinished(conversation.state) ? "0" : "1",
      t,
      t + this.retentionMs,
      this.retentionMs,
      ...this.outcomeArgs(outcome, t),
    );
    if (result !== "ok") throw new StoreConflictError("a conversation with this id or key already exists");
    return createdConversation(conversation, t, t + this.retentionMs);
  }

  async get(id: string, now = new Date()) {
    const fields = await this.redis.hgetall(this.key("conv", id));
    return toRecord(fields, now);
  }

  async getByKey(key: string, now = new Date()) {
    return toRecord(pairs(await this.run("GET_BY_KEY", key, now.getTime())), now);
  }

  async update(
    id: string,
    expectedRevision: number,
    change: Partial<Pick<StoredConversation, "state" | "surface" | "key">>,
    now = new Date(),
  ): Promise<UpdateResult> {
    return this.runUpdate(id, expectedRevision, change, undefined, now);
  }

  async updateWithOutbox(
    id: string,
    expectedRevision: number,
    change: Partial<Pick<StoredConversation, "state" | "surface">>,
    outbox: OutboxChange,
    now = new Date(),
  ): Promise<OutboxUpdateResult> {
    const result = await this.runUpdate(id, expectedRevision, change, outbox, now);
    if (!result.ok) return result;
    const t = now.getTime();
    const entry =
      "save" in outbox
        ? createdOutboxEntry({ ...outbox.save, conversationId: id }, t, t + this.retentionMs)
        : undefined;
    return { ...result, entry };
  }

  /** The UPDATE script: compare-and-set, with an outbox change in the same step when one is given. */
  private async runUpdate(
    id: string,
    expectedRevision: number,
    change: Partial<Pick<StoredConversation, "state" | "surface" | "key">>,
    outbox: OutboxChange | undefined,
    now: Date,
  ): Promise<UpdateResult> {
    const t = now.getTime();
    const keyChange = change.key === undefined ? "keep" : change.key === null ? "clear" : "set";
    const [outboxChange, outboxId, payload] = !outbox
      ? ["none", "", ""]
      : "save" in outbox
        ? ["save", outbox.save.id, JSON.stringify(outbox.save.payload)]
        : ["withdraw", outbox.withdraw, ""];
    const reply = await this.run(
      "UPDATE",
      id,
      expectedRevision,
      t,
      t + this.retentionMs,
      this.retentionMs,
      change.state ? "1" : "0",
      change.state ? JSON.stringify(change.state) : "",
      change.state && isFinished(change.state) ? "0" : "1",
      change.surface ? "1" : "0",
      change.surface ? JSON.stringify(change.surface) : "",
      keyChange,
      change.key ?? "",
      outboxChange,
      outboxId,
      payload,
      ...this.outcomeArgs(
        change.state
          ? outcomeWrite(change.state, change.surface)
          : { summary: "", startedAt: 0, channel: null },
        t,
      ),
    );
    const [status, ...fields] = reply as Reply[];
    if (status === "key-taken") throw new StoreConflictError("another conversation already uses this key");
    if (status === "outbox-taken") {
      throw new StoreConflictError(
        outboxChange === "save"
          ? "an escalation with this id is already saved"
          : "the escalation to withdraw is posted already, or gone",
      );
    }
    if (status === "missing") return { ok: false, current: undefined };
    const record = toRecord(pairs(fields), now, status === "ok" ? change : {});
    if (status === "ok" && record) return { ok: true, record };
    return { ok: false, current: record };
  }

  async claim(token: string, ttlMs: number, now = new Date()): Promise<boolean> {
    return this.takeClaim("", token, ttlMs, now);
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
    const reply = await this.run("CLAIM_THEN_GET", token, ...claimTimes(ttlMs, now), conversationId);
    if (!Array.isArray(reply) || reply[0] !== 1) return { claimed: false };
    return { claimed: true, record: toRecord(pairs(reply.slice(1)), now) };
  }

  private async takeClaim(conversationId: string, token: string, ttlMs: number, now: Date) {
    return (await this.run("CLAIM", token, ...claimTimes(ttlMs, now), conversationId)) === 1;
  }

  async listIdle(before: Date, now = new Date(), limit = DEFAULT_LIST_LIMIT) {
    const reply = await this.run("LIST_IDLE", before.getTime(), now.getTime(), limit);
    return (reply as Reply[]).map((fields) => toRecord(pairs(fields), now) as StoredConversation);
  }

  async listRecent(since: Date, now = new Date(), limit = DEFAULT_LIST_LIMIT) {
    const reply = await this.run("LIST_RECENT", since.getTime(), now.getTime(), limit);
    return (reply as Reply[]).map((fields) => toRecord(pairs(fields), now) as StoredConversation);
  }

  async listOutcomes(since: Date, until: Date, now = new Date()): Promise<OutcomeRecord[]> {
    const reply = await this.run("LIST_OUTCOMES", since.getTime(), until.getTime(), now.getTime());
    return (reply as Reply[]).map((list) => {
      const fields = pairs(list);
      return outcomeFromRow({
        conversationId: fields.conversationId ?? "",
        channel: fields.channel ?? null,
        summary: fields.summary ?? "null",
        updatedAt: Number(fields.updatedAt),
        conversationEndsAt: Number(fields.conversationEndsAt),
        expiresAt: Number(fields.expiresAt),
      });
    });
  }

  /** The outcome arguments CREATE and UPDATE take (see redis-scripts.ts). */
  private outcomeArgs(outcome: ReturnType<typeof outcomeWrite>, t: number) {
    return [
      outcome.summary,
      outcome.startedAt,
      outcome.channel ?? "",
      t + this.statsRetentionMs,
      this.statsRetentionMs,
    ];
  }

  async saveEscalation(entry: NewOutboxEntry, now = new Date()): Promise<OutboxEntry> {
    const t = now.getTime();
    const [status, ...fields] = (await this.run(
      "SAVE_ESCALATION",
      entry.id,
      entry.conversationId,
      JSON.stringify(entry.payload),
      t,
      t + this.retentionMs,
      this.retentionMs,
    )) as Reply[];
    if (status === "no-conversation") {
      throw new StoreNotFoundError("the conversation of this escalation no longer exists");
    }
    if (status === "id-taken") throw new StoreConflictError("an escalation with this id is already saved");
    return toOutboxEntry(pairs(fields), now) as OutboxEntry;
  }

  async getEscalation(id: string, now = new Date()) {
    return toOutboxEntry(await this.redis.hgetall(this.key("outbox", id)), now);
  }

  async listPendingEscalations(now = new Date(), limit = DEFAULT_LIST_LIMIT) {
    const reply = await this.run("LIST_PENDING", now.getTime(), limit);
    return (reply as Reply[]).map((fields) => toOutboxEntry(pairs(fields), now) as OutboxEntry);
  }

  async markEscalationPosted(id: string, ts: string, now = new Date()): Promise<boolean> {
    return (await this.run("MARK_POSTED", id, ts, now.getTime())) === 1;
  }

  async recordEscalationFailure(id: string, error: string, now = new Date()) {
    const reply = await this.run("RECORD_FAILURE", id, error.slice(0, 500), now.getTime());
    return toOutboxEntry(pairs(reply), now);
  }

  async recordQuestion(record: NewQuestionRecord, now = new Date()) {
    await this.questions.record(record, now);
  }

  async recordVerdict(id: string, verdict: Verdict, now = new Date()) {
    return this.questions.verdict(id, verdict, now);
  }

  async listQuestions(now = new Date(), limit?: number) {
    return this.questions.list(now, limit);
  }

  async purge(before: Date, now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const reply = await this.run("PURGE", before.getTime(), now.getTime(), PURGE_BATCH);
      const [deleted, examined] = reply as number[];
      total += deleted ?? 0;
      if (!examined) return total;
    }
  }

  async close() {
    if (this.redis.status === "end") return;
    if (this.redis.status === "ready") await this.redis.quit();
    else this.redis.disconnect();
  }

  private key(kind: string, id: string) {
    return `${this.prefix}${kind}:${id}`;
  }
}

/** A claim script's now, deadline and TTL; PX takes whole milliseconds, at least one. */
function claimTimes(ttlMs: number, now: Date): [number, number, number] {
  const ttl = Math.max(1, Math.ceil(ttlMs));
  const t = now.getTime();
  return [t, t + ttl, ttl];
}

/** HGETALL as a Lua script returns it (a flat list) to the object ioredis' own hgetall() gives. */
function pairs(reply: Reply): Record<string, string> {
  const list = Array.isArray(reply) ? reply : [];
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) fields[String(list[i])] = String(list[i + 1]);
  return fields;
}

const iso = (ms: string | undefined) => (ms === undefined ? null : new Date(Number(ms)).toISOString());

/** Undefined when missing or past its deadline at `now` (Redis may not have dropped it yet). */
function alive(fields: Record<string, string>, now: Date) {
  return fields.expiresAt !== undefined && Number(fields.expiresAt) > now.getTime();
}

function toRecord(
  fields: Record<string, string>,
  now: Date,
  given?: Partial<Pick<StoredConversation, "state" | "surface">>,
): StoredConversation | undefined {
  if (!alive(fields, now)) return undefined;
  return conversationFromRow(
    {
      id: fields.id ?? "",
      key: fields.key ?? null,
      revision: Number(fields.revision),
      state: fields.state ?? "null",
      surface: fields.surface ?? "null",
      createdAt: Number(fields.createdAt),
      updatedAt: Number(fields.updatedAt),
      expiresAt: Number(fields.expiresAt),
    },
    given,
  );
}

function toOutboxEntry(fields: Record<string, string>, now: Date): OutboxEntry | undefined {
  if (!alive(fields, now)) return undefined;
  return OutboxEntry.parse({
    id: fields.id,
    conversationId: fields.conversationId,
    payload: JSON.parse(fields.payload ?? "null"),
    createdAt: iso(fields.createdAt),
    attempts: Number(fields.attempts),
    lastError: fields.lastError ?? null,
    lastAttemptAt: iso(fields.lastAttemptAt),
    postedTs: fields.postedTs ?? null,
    postedAt: iso(fields.postedAt),
    expiresAt: iso(fields.expiresAt),
  });
}
