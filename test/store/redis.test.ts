import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { startConversation } from "../../src/core/flow/engine.js";
import { openStore, redisPrefixFrom, redisUrlFrom, StoreConfigError } from "../../src/store/open.js";
import { RedisConversationStore } from "../../src/store/redis.js";
import { SqliteConversationStore } from "../../src/store/sqlite.js";
import { skipRedis, startRedis, type TestRedis } from "../support/redis-server.js";
import { storeContract } from "./contract.js";

const DAY = 24 * 60 * 60 * 1000;
let redis: TestRedis;
if (!skipRedis) {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
}

const storeEnv = () => ({ REDIS_URL: redis.url, REDIS_PREFIX: redis.newPrefix(), RETENTION_DAYS: "30" });

describe.skipIf(skipRedis)("Redis", () => {
  storeContract("Redis", async () => {
    const env = storeEnv();
    return { store: await openStore(env), env };
  });

  const state = startConversation(loadContent(), {
    type: "start",
    at: new Date().toISOString(),
    version: "14.19",
  }).state;

  /** Every key under a prefix with its remaining TTL in ms (-1: none). */
  async function ttls(prefix: string) {
    const client = new Redis(redis.url);
    const keys: string[] = [];
    for await (const batch of client.scanStream({ match: `${prefix}*` })) keys.push(...(batch as string[]));
    const result: Record<string, number> = {};
    for (const key of keys) result[key.slice(prefix.length)] = await client.pttl(key);
    await client.quit();
    return result;
  }

  describe("RedisConversationStore", () => {
    it("puts a TTL no longer than the retention on every key it writes", async () => {
      const env = storeEnv();
      const store = await openStore(env);
      await store.create({ id: "c1", key: "slack:T1:C1:1.2", state, surface: {} });
      await store.create({ id: "c2", key: null, state: { ...state, phase: "resolved" }, surface: {} });
      await store.update("c1", 1, { key: "slack:T1:C1:1.3" });
      await store.claim("event:Ev1", 60_000);
      await store.claimFor("c1", "stale-remind:c1:2", 5 * DAY);
      await store.saveEscalation({ id: "e1", conversationId: "c1", payload: { text: "x" } });
      await store.saveEscalation({ id: "e2", conversationId: "c1", payload: { text: "y" } });
      await store.markEscalationPosted("e2", "1.2");
      await store.listIdle(new Date());
      await store.listPendingEscalations();
      await store.close();

      const keys = await ttls(env.REDIS_PREFIX);
      expect(Object.keys(keys).sort()).toEqual([
        "by-expiry",
        "by-updated",
        "claim:event:Ev1",
        "claim:stale-remind:c1:2",
        "conv-claims:c1",
        "conv-outbox:c1",
        "conv:c1",
        "conv:c2",
        "idle",
        "key:slack:T1:C1:1.3",
        "outbox-pending",
        "outbox:e1",
        "outbox:e2",
        "outcome-expiry",
        "outcome:c1",
        "outcome:c2",
        "outcomes",
      ]);
      for (const [key, ttl] of Object.entries(keys)) {
        expect(ttl, key).toBeGreaterThan(0);
        // Outcome records (de-identified) have their own retention, STATS_RETENTION_DAYS (400).
        expect(ttl, key).toBeLessThanOrEqual((key.startsWith("outcome") ? 400 : 30) * DAY);
      }
      expect(keys["claim:event:Ev1"]).toBeLessThanOrEqual(60_000);
      // The lookup key lives exactly as long as its conversation.
      expect(Math.abs((keys["key:slack:T1:C1:1.3"] ?? 0) - (keys["conv:c1"] ?? 0))).toBeLessThan(1000);
    });

    it("Redis itself forgets a conversation and everything it holds when the retention runs out", async () => {
      const prefix = redis.newPrefix();
      const retentionDays = 300 / DAY; // 300 ms
      // Outcome records too, here: they have a retention of their own (STATS_RETENTION_DAYS).
      const store = new RedisConversationStore({
        url: redis.url,
        prefix,
        retentionDays,
        statsRetentionDays: retentionDays,
      });
      await store.connect();
      await store.create({ id: "c1", key: "k", state, surface: {} });
      await store.claimFor("c1", "job", 300);
      await store.saveEscalation({ id: "e1", conversationId: "c1", payload: {} });
      expect(Object.keys(await ttls(prefix)).length).toBeGreaterThan(5);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await ttls(prefix)).toEqual({});
      await store.close();
    });

    it("purge leaves no key of a purged conversation behind, only its de-identified outcome record", async () => {
      const env = storeEnv();
      const store = await openStore(env);
      const phi = "Zanzibar Q. Parent <zanzibar@example.com>";
      await store.create({ id: "c1", key: "k", state, surface: { channel: "C0CHAN", parent: phi } });
      await store.claimFor("c1", "job", DAY);
      await store.saveEscalation({ id: "e1", conversationId: "c1", payload: { parent: phi } });
      await store.claim("event:Ev1", DAY);
      expect(await store.purge(new Date(Date.now() + 1000))).toBe(1);
      await store.close();
      // The claim no conversation owns is left (it expires on its own), and the outcome record.
      expect(Object.keys(await ttls(env.REDIS_PREFIX)).sort()).toEqual([
        "claim:event:Ev1",
        "outcome-expiry",
        "outcome:c1",
        "outcomes",
      ]);
      const client = new Redis(redis.url);
      const dump = JSON.stringify(await client.hgetall(`${env.REDIS_PREFIX}outcome:c1`));
      await client.quit();
      expect(dump).toContain("C0CHAN");
      expect(dump).not.toMatch(/Zanzibar|example\.com/);
    });

    it("keeps deployments with different prefixes apart", async () => {
      const a = await openStore(storeEnv());
      const b = await openStore(storeEnv());
      await a.create({ id: "c1", key: "k", state, surface: {} });
      expect(await b.get("c1")).toBeUndefined();
      expect(await b.getByKey("k")).toBeUndefined();
      await b.create({ id: "c1", key: "k", state, surface: {} });
      expect(await b.claim("t", 1000)).toBe(true);
      expect(await a.claim("t", 1000)).toBe(true);
      await a.close();
      await b.close();
    });

    it("keeps working after Redis forgets its scripts (a restart, SCRIPT FLUSH)", async () => {
      const store = await openStore(storeEnv());
      await store.create({ id: "c1", key: null, state, surface: {} });
      const admin = new Redis(redis.url);
      await admin.script("FLUSH");
      await admin.quit();
      expect(await store.update("c1", 1, { surface: { after: "flush" } })).toMatchObject({ ok: true });
      await store.close();
    });
  });

  describe("openStore", () => {
    it("chooses Redis when REDIS_URL is set, even with DATABASE_URL", async () => {
      const store = await openStore({ ...storeEnv(), DATABASE_URL: "/nonexistent/dir/db.sqlite" });
      expect(store).toBeInstanceOf(RedisConversationStore);
      await store.close();
    });

    it("says which server it cannot reach, without the password", async () => {
      const error = await openStore({ REDIS_URL: "redis://:s3cret@127.0.0.1:1/0" }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(
        /^cannot use Redis at 127\.0\.0\.1:1 \(REDIS_URL\): .*ECONNREFUSED/,
      );
      expect((error as Error).message).not.toContain("s3cret");
    });
  });
});

describe("REDIS_URL and REDIS_PREFIX", () => {
  it("accepts redis:// and rediss:// URLs with an optional password and database", () => {
    for (const url of [
      "redis://localhost:6379",
      "redis://:pw@cache.internal:6380/2",
      "redis://user:pw@10.0.0.5:6379/0",
      "rediss://:pw@cache.example.com:6380",
    ]) {
      expect(redisUrlFrom(url)).toBe(url);
    }
    expect(redisUrlFrom(undefined)).toBeUndefined();
    expect(redisUrlFrom("  ")).toBeUndefined();
  });

  it("names the variable and the accepted form, and never repeats the value", () => {
    for (const url of ["localhost:6379", "http://:pw@host:6379", "redis://", "redis://:pw@host:6379/main"]) {
      const error = (() => {
        try {
          redisUrlFrom(url);
        } catch (err) {
          return err as Error;
        }
      })();
      expect(error, url).toBeInstanceOf(StoreConfigError);
      expect(error?.message).toMatch(
        /^REDIS_URL\b.*redis:\/\/\[:password@\]host:port\[\/db\] \(or rediss:\/\//,
      );
      expect(error?.message).not.toContain("pw");
    }
  });

  it("uses portal-check: as the default prefix and refuses one with spaces", () => {
    expect(redisPrefixFrom(undefined)).toBe("portal-check:");
    expect(redisPrefixFrom("team-a:")).toBe("team-a:");
    expect(() => redisPrefixFrom("team a")).toThrow(/REDIS_PREFIX must be/);
  });

  it("leaves SQLite in charge when REDIS_URL is blank", async () => {
    const store = await openStore({ REDIS_URL: "", DATABASE_URL: ":memory:" });
    expect(store).toBeInstanceOf(SqliteConversationStore);
    await store.close();
  });
});
