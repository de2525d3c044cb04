import type { Redis } from "ioredis";
import { type NewQuestionRecord, QuestionRecord, type Verdict } from "../core/feedback/schema.js";
import { QUESTION_LIST_LIMIT } from "./types.js";

/** Sets the verdict only while the question exists and is not past its deadline (ARGV[2], ms). */
const SET_VERDICT = `
local expires = tonumber(redis.call('HGET', KEYS[1], 'expiresAt'))
if expires and expires > tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'verdict', ARGV[1])
  return 1
end
return 0`;

/**
 * Questions asked in Slack (already redacted) and their verdicts in Redis: one hash per question
 * (`<prefix>question:<id>`) whose TTL is the feedback retention, and a sorted set of ids by time
 * (`<prefix>questions`) trimmed of expired ids on every write and carrying the same TTL.
 */
export class RedisQuestions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly retentionMs: number,
  ) {}

  private key(id: string) {
    return `${this.prefix}question:${id}`;
  }

  private get index() {
    return `${this.prefix}questions`;
  }

  async record(record: NewQuestionRecord, now: Date) {
    const t = now.getTime();
    const key = this.key(record.id);
    const ttl = Math.max(1, Math.ceil(this.retentionMs));
    await this.redis
      .multi()
      .hsetnx(key, "id", record.id)
      .hsetnx(key, "askedAt", String(t))
      .hsetnx(key, "text", record.text)
      .hsetnx(key, "outcome", record.outcome)
      .hsetnx(key, "top", record.top ?? "")
      .hsetnx(key, "confidence", String(record.confidence))
      .hsetnx(key, "expiresAt", String(t + this.retentionMs))
      .pexpire(key, ttl, "NX")
      .zadd(this.index, "NX", t, record.id)
      .zremrangebyscore(this.index, "-inf", t - this.retentionMs)
      .pexpire(this.index, ttl)
      .exec();
    if (record.verdict) await this.verdict(record.id, record.verdict, now);
  }

  async verdict(id: string, verdict: Verdict, now: Date): Promise<boolean> {
    return (await this.redis.eval(SET_VERDICT, 1, this.key(id), verdict, String(now.getTime()))) === 1;
  }

  async list(now: Date, limit = QUESTION_LIST_LIMIT): Promise<QuestionRecord[]> {
    const t = now.getTime();
    const ids = await this.redis.zrevrangebyscore(
      this.index,
      "+inf",
      t - this.retentionMs,
      "LIMIT",
      0,
      limit,
    );
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.key(id));
    const replies = (await pipeline.exec()) ?? [];
    const records: QuestionRecord[] = [];
    for (const [err, value] of replies) {
      const fields = (err ? {} : value) as Record<string, string>;
      if (!fields.expiresAt || Number(fields.expiresAt) <= t) continue;
      records.push(
        QuestionRecord.parse({
          id: fields.id,
          askedAt: new Date(Number(fields.askedAt)).toISOString(),
          text: fields.text ?? "",
          outcome: fields.outcome,
          top: fields.top ? fields.top : null,
          confidence: Number(fields.confidence),
          verdict: fields.verdict ?? null,
          expiresAt: new Date(Number(fields.expiresAt)).toISOString(),
        }),
      );
    }
    return records;
  }
}
