import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { feedbackRetentionDaysFrom, openStore, StoreConfigError } from "../../src/store/open.js";
import type { ConversationStore } from "../../src/store/types.js";
import { redisForFile, skipRedis } from "../support/redis-server.js";

/** Stored questions and verdicts (issue 14), the same behaviour in SQLite and Redis. */

const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date("2026-03-01T09:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

const root = mkdtempSync(join(tmpdir(), "portal-check-questions-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

const redisHolder = redisForFile();

const question = (id: string, text: string) => ({
  id,
  text,
  outcome: "answer" as const,
  top: "shared-email",
  confidence: 0.8,
});

function contract(name: string, open: () => Promise<{ store: ConversationStore; env: NodeJS.ProcessEnv }>) {
  describe(`${name}: stored questions`, () => {
    it("keeps a question with its verdict, newest first, and a second instance sees the same", async () => {
      const { store, env } = await open();
      await store.recordQuestion(question("q1", "mom and dad share one email"), at(0));
      await store.recordQuestion(
        {
          ...question("q2", "portal broken for the <name> family"),
          outcome: "guide",
          top: null,
          confidence: 0.2,
        },
        at(1000),
      );
      // The same id again (a retried request) changes nothing.
      await store.recordQuestion(question("q1", "something else"), at(2000));
      expect(await store.recordVerdict("q1", "down", at(3000))).toBe(true);
      expect(await store.recordVerdict("q1", "up", at(4000))).toBe(true);
      expect(await store.recordVerdict("missing", "down", at(4000))).toBe(false);

      const other = await openStore(env);
      try {
        const listed = await other.listQuestions(at(5000));
        expect(listed.map((q) => [q.id, q.text, q.verdict, q.outcome])).toEqual([
          ["q2", "portal broken for the <name> family", null, "guide"],
          ["q1", "mom and dad share one email", "up", "answer"],
        ]);
        expect(listed[1]?.askedAt).toBe(T0.toISOString());
        expect(listed[1]?.expiresAt).toBe(at(7 * DAY).toISOString());
      } finally {
        await other.close();
        await store.close();
      }
    });

    it("forgets questions after their own retention, not the conversations'", async () => {
      const { store } = await open();
      try {
        await store.recordQuestion(question("old", "an old question"), at(0));
        await store.recordQuestion(question("new", "a newer question"), at(3 * DAY));
        expect((await store.listQuestions(at(7 * DAY - 1))).map((q) => q.id)).toEqual(["new", "old"]);
        expect((await store.listQuestions(at(7 * DAY + 1))).map((q) => q.id)).toEqual(["new"]);
        // A verdict cannot bring an expired question back.
        expect(await store.recordVerdict("old", "down", at(7 * DAY + 1))).toBe(false);
        expect((await store.listQuestions(at(10 * DAY + 1))).map((q) => q.id)).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });
}

contract("SQLite", async () => {
  const path = join(root, `q-${n++}.sqlite`);
  const env = { DATABASE_URL: path, REDIS_URL: "", RETENTION_DAYS: "30", FEEDBACK_RETENTION_DAYS: "7" };
  return { store: await openStore(env), env };
});

describe.skipIf(skipRedis)("Redis", () => {
  contract("Redis", async () => {
    const env = {
      REDIS_URL: redisHolder.current?.url ?? "",
      REDIS_PREFIX: redisHolder.current?.newPrefix() ?? "",
      RETENTION_DAYS: "30",
      FEEDBACK_RETENTION_DAYS: "7",
    };
    return { store: await openStore(env), env };
  });

  it("every question key carries the feedback retention as its TTL", async () => {
    const prefix = redisHolder.current?.newPrefix() ?? "";
    const store = await openStore({
      REDIS_URL: redisHolder.current?.url ?? "",
      REDIS_PREFIX: prefix,
      FEEDBACK_RETENTION_DAYS: "7",
    });
    try {
      await store.recordQuestion(question("t1", "a question"));
      await store.recordVerdict("t1", "down");
      const client = new Redis(redisHolder.current?.url ?? "");
      const keys = await client.keys(`${prefix}*`);
      expect(keys.sort()).toEqual([`${prefix}question:t1`, `${prefix}questions`]);
      for (const key of keys) {
        const ttl = await client.pttl(key);
        expect(ttl).toBeGreaterThan(6 * DAY);
        expect(ttl).toBeLessThanOrEqual(7 * DAY);
      }
      await client.quit();
    } finally {
      await store.close();
    }
  });
});

describe("FEEDBACK_RETENTION_DAYS", () => {
  it("defaults to 90 days and says what is accepted when wrong", () => {
    expect(feedbackRetentionDaysFrom(undefined)).toBe(90);
    expect(feedbackRetentionDaysFrom("14")).toBe(14);
    expect(() => feedbackRetentionDaysFrom("forever")).toThrow(StoreConfigError);
    expect(() => feedbackRetentionDaysFrom("0")).toThrow(/between 1 and 3650/);
  });
});
