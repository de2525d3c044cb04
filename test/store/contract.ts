import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { handle, startConversation } from "../../src/core/flow/engine.js";
import type { FlowState } from "../../src/core/flow/state.js";
import { outcomeAt } from "../../src/core/report/outcome.js";
import { openStore } from "../../src/store/open.js";
import {
  type ConversationStore,
  type NewConversation,
  StoreConflictError,
  StoreNotFoundError,
} from "../../src/store/types.js";
import { runWorkers } from "./workers.js";

/**
 * Every behaviour of ConversationStore, run against each implementation (sqlite.test.ts, redis.test.ts).
 * Times are passed explicitly so expiry can be tested without waiting; the stores must honour them.
 */

export interface StoreUnderTest {
  store: ConversationStore;
  /** The environment under which openStore() opens this same store: another instance, another process. */
  env: NodeJS.ProcessEnv;
}

const ctx = loadContent();
const T0 = new Date("2026-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const SECOND = 1000;
const HOUR = 60 * 60 * SECOND;
const DAY = 24 * HOUR;
const RETENTION = 30 * DAY;

const started = startConversation(ctx, { type: "start", at: T0.toISOString(), version: "14.19" }).state;
// Resolved = a change made ("fixed") and the parent's confirmation of it.
const resolved = handle(ctx, handle(ctx, started, { type: "fixed", at: T0.toISOString() }).state, {
  type: "parent_confirmed",
  at: T0.toISOString(),
}).state;
// The store only looks at the phase; the escalation details themselves are the engine's business.
const escalated: FlowState = { ...started, phase: "escalated" };

const conversation = (id: string, extra: Partial<NewConversation> = {}): NewConversation => ({
  id,
  key: null,
  state: started,
  surface: {},
  ...extra,
});

export function storeContract(name: string, open: () => Promise<StoreUnderTest>) {
  describe(`${name}: ConversationStore contract`, () => {
    let store: ConversationStore;
    let env: NodeJS.ProcessEnv;
    const extra: ConversationStore[] = [];
    /** A second handle on the same data, as another instance would open it. */
    const secondInstance = async () => {
      const other = await openStore(env);
      extra.push(other);
      return other;
    };

    beforeEach(async () => {
      ({ store, env } = await open());
    });
    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      await store.close();
    });

    describe("conversations", () => {
      it("round-trips a conversation exactly and finds it by id and by key", async () => {
        const surface = { thread: "1712345678.000100", nested: { list: [1, "two", null] }, text: "Zoë – ✓" };
        const created = await store.create(conversation("c1", { key: "slack:T1:C1:1.2", surface }), T0);
        expect(created).toEqual({
          id: "c1",
          key: "slack:T1:C1:1.2",
          revision: 1,
          state: started,
          surface,
          createdAt: T0.toISOString(),
          updatedAt: T0.toISOString(),
          expiresAt: at(RETENTION).toISOString(),
        });
        expect(await store.get("c1", T0)).toEqual(created);
        expect(await store.getByKey("slack:T1:C1:1.2", T0)).toEqual(created);
        expect(await store.get("nope", T0)).toBeUndefined();
        expect(await store.getByKey("nope", T0)).toBeUndefined();
      });

      it("refuses a second conversation with the same id or the same key; many may have no key", async () => {
        await store.create(conversation("c1", { key: "k" }), T0);
        await expect(store.create(conversation("c1"), T0)).rejects.toBeInstanceOf(StoreConflictError);
        await expect(store.create(conversation("c2", { key: "k" }), T0)).rejects.toBeInstanceOf(
          StoreConflictError,
        );
        expect(await store.get("c2", T0)).toBeUndefined();
        await store.create(conversation("c3"), T0);
        await store.create(conversation("c4"), T0);
        expect((await store.getByKey("k", T0))?.id).toBe("c1");
      });

      it("two instances creating the same key at once: exactly one wins", async () => {
        const other = await secondInstance();
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 ? store : other).create(conversation(`c${i}`, { key: "same" }), T0),
          ),
        );
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        for (const r of results) {
          if (r.status === "rejected") expect(r.reason).toBeInstanceOf(StoreConflictError);
        }
      });
    });

    describe("compare-and-set", () => {
      it("only the writer holding the current revision wins; the loser sees the winner's record", async () => {
        await store.create(conversation("c1"), T0);
        const first = await store.update("c1", 1, { surface: { by: "first" } }, at(SECOND));
        const second = await store.update("c1", 1, { surface: { by: "second" } }, at(2 * SECOND));
        expect(first).toMatchObject({ ok: true, record: { revision: 2, surface: { by: "first" } } });
        expect(second).toEqual({ ok: false, current: first.ok && first.record });
        expect(await store.update("missing", 1, { surface: {} }, T0)).toEqual({
          ok: false,
          current: undefined,
        });
      });

      it("changes only the fields given and moves updatedAt and expiresAt", async () => {
        await store.create(conversation("c1", { key: "k", surface: { keep: true } }), T0);
        const result = await store.update("c1", 1, { state: resolved }, at(HOUR));
        expect(result).toEqual({
          ok: true,
          record: expect.objectContaining({
            key: "k",
            state: resolved,
            surface: { keep: true },
            createdAt: T0.toISOString(),
            updatedAt: at(HOUR).toISOString(),
            expiresAt: at(HOUR + RETENTION).toISOString(),
          }),
        });
        expect(await store.get("c1", at(HOUR))).toEqual(result.ok && result.record);
      });

      it("moves a lookup key: the new key finds it, the old one is free, a taken key is refused", async () => {
        await store.create(conversation("c1", { key: "old" }), T0);
        await store.create(conversation("c2", { key: "other" }), T0);
        const moved = await store.update("c1", 1, { key: "new" }, T0);
        expect(moved).toMatchObject({ ok: true, record: { key: "new", revision: 2 } });
        expect((await store.getByKey("new", T0))?.id).toBe("c1");
        expect(await store.getByKey("old", T0)).toBeUndefined();
        await store.create(conversation("c3", { key: "old" }), T0);

        await expect(store.update("c1", 2, { key: "other" }, T0)).rejects.toBeInstanceOf(StoreConflictError);
        // A refused update changes nothing.
        expect(await store.get("c1", T0)).toMatchObject({ key: "new", revision: 2 });
        expect((await store.getByKey("other", T0))?.id).toBe("c2");

        expect(await store.update("c1", 2, { key: null }, T0)).toMatchObject({
          ok: true,
          record: { key: null },
        });
        expect(await store.getByKey("new", T0)).toBeUndefined();
        await store.create(conversation("c4", { key: "new" }), T0);
      });

      it("two processes writing at once never lose an update", async () => {
        await store.create(conversation("c1", { surface: { counter: 0 } }));
        const results = await runWorkers(env, [
          ["cas", "c1", "100"],
          ["cas", "c1", "100"],
        ]);
        const final = await store.get("c1");
        // Without compare-and-set, interleaved read-modify-writes would lose increments.
        expect(final?.surface.counter).toBe(200);
        expect(final?.revision).toBe(201);
        expect(results).toHaveLength(2);
      });
    });

    describe("claims", () => {
      it("claim() is true once per token until the token expires", async () => {
        expect(await store.claim("event:Ev1", 60_000, T0)).toBe(true);
        expect(await store.claim("event:Ev1", 60_000, at(59 * SECOND))).toBe(false);
        expect(await store.claim("event:Ev2", 60_000, T0)).toBe(true);
        expect(await store.claim("event:Ev1", 60_000, at(61 * SECOND))).toBe(true);
        expect(await store.claim("event:Ev1", 60_000, at(62 * SECOND))).toBe(false);
      });

      it("two processes claiming the same tokens: each token is won exactly once", async () => {
        const [a, b] = (await runWorkers(env, [
          ["claim", "interaction:", "200"],
          ["claim", "interaction:", "200"],
        ])) as number[][];
        const all = [...(a ?? []), ...(b ?? [])].sort((x, y) => x - y);
        expect(all).toEqual(Array.from({ length: 200 }, (_, i) => i));
      });

      it("claimFor() behaves like claim() and shares its tokens", async () => {
        await store.create(conversation("c1"), T0);
        expect(await store.claimFor("c1", "job:1", 60_000, T0)).toBe(true);
        expect(await store.claimFor("c1", "job:1", 60_000, T0)).toBe(false);
        expect(await store.claim("job:1", 60_000, T0)).toBe(false);
        expect(await store.claimFor("c1", "job:1", 60_000, at(60 * SECOND))).toBe(true);
      });

      it("claimThenGet() claims like claim() and reads the conversation only when the claim is taken", async () => {
        await store.create(conversation("c1", { surface: { counter: 7 } }), T0);
        const first = await store.claimThenGet("request:1", 60_000, "c1", T0);
        expect(first.claimed && first.record?.surface).toEqual({ counter: 7 });
        expect(first.claimed && first.record).toEqual(await store.get("c1", T0));
        // A replay: refused, nothing read.
        expect(await store.claimThenGet("request:1", 60_000, "c1", at(59 * SECOND))).toEqual({
          claimed: false,
        });
        // The tokens are claim()'s.
        expect(await store.claim("request:1", 60_000, at(59 * SECOND))).toBe(false);
        expect(await store.claim("request:2", 60_000, T0)).toBe(true);
        expect(await store.claimThenGet("request:2", 60_000, "c1", T0)).toEqual({ claimed: false });
        // Taken, with no such conversation, or one past its deadline at `now`.
        expect(await store.claimThenGet("request:3", 60_000, "nope", T0)).toEqual({
          claimed: true,
          record: undefined,
        });
        expect(await store.claimThenGet("request:4", 60_000, "c1", at(RETENTION))).toEqual({
          claimed: true,
          record: undefined,
        });
      });
    });

    describe("retention", () => {
      it("a conversation expires after the retention period and its key is free again", async () => {
        await store.create(conversation("old", { key: "k" }), T0);
        const justBefore = at(RETENTION - 1);
        const later = at(RETENTION);
        expect(await store.get("old", justBefore)).toBeDefined();
        expect(await store.get("old", later)).toBeUndefined();
        expect(await store.getByKey("k", later)).toBeUndefined();
        expect(await store.update("old", 1, { surface: {} }, later)).toEqual({
          ok: false,
          current: undefined,
        });
        await store.create(conversation("new", { key: "k" }), later);
        expect((await store.getByKey("k", later))?.id).toBe("new");
      });

      it("a key held by an expired conversation can be moved to another conversation", async () => {
        await store.create(conversation("old", { key: "k" }), T0);
        await store.create(conversation("new"), at(DAY));
        const later = at(RETENTION);
        expect(await store.update("new", 1, { key: "k" }, later)).toMatchObject({
          ok: true,
          record: { key: "k" },
        });
        expect((await store.getByKey("k", later))?.id).toBe("new");
      });

      it("an update pushes the expiry forward", async () => {
        await store.create(conversation("c"), T0);
        await store.update("c", 1, { surface: { x: 1 } }, at(20 * DAY));
        expect(await store.get("c", at(40 * DAY))).toMatchObject({ surface: { x: 1 } });
        expect(await store.get("c", at(50 * DAY))).toBeUndefined();
      });
    });

    describe("purge", () => {
      it("removes conversations idle since before the cut-off, and expired ones, and says how many", async () => {
        await store.create(conversation("a", { key: "ka" }), T0);
        await store.create(conversation("b"), at(5 * DAY));
        await store.create(conversation("c"), at(6 * DAY));
        const now = at(6 * DAY);
        expect(await store.purge(at(2 * DAY), now)).toBe(1);
        expect(await store.get("a", now)).toBeUndefined();
        expect(await store.getByKey("ka", now)).toBeUndefined();
        expect(await store.get("b", now)).toBeDefined();
        expect(await store.purge(at(2 * DAY), now)).toBe(0);
        // Expired ones go whatever the cut-off: b expires at 35 days, c at 36.
        expect(await store.purge(T0, at(35 * DAY))).toBe(1);
        expect(await store.get("c", at(35 * DAY))).toBeDefined();
        expect(await store.purge(at(36 * DAY), at(35 * DAY))).toBe(1);
        expect(await store.get("c", at(35 * DAY))).toBeUndefined();
      });

      it("takes an expired conversation's escalations and claims even after its key went to a new one", async () => {
        await store.create(conversation("old", { key: "k" }), T0);
        await store.saveEscalation({ id: "esc-old", conversationId: "old", payload: { id: "old" } }, at(DAY));
        expect(await store.claimFor("old", "job:old", RETENTION, at(DAY))).toBe(true);
        const later = at(RETENTION);
        await store.create(conversation("new", { key: "k" }), later);
        // The escalation itself would live on till DAY + RETENTION: the purge takes it with "old".
        expect(await store.purge(T0, later)).toBe(1);
        expect(await store.getEscalation("esc-old", later)).toBeUndefined();
        expect(await store.claim("job:old", DAY, later)).toBe(true);
        expect((await store.getByKey("k", later))?.id).toBe("new");
      });

      it("removes many conversations in one call", async () => {
        for (let i = 0; i < 450; i++) await store.create(conversation(`c${i}`, { key: `k${i}` }), T0);
        expect(await store.purge(at(1), at(1))).toBe(450);
        expect(await store.getByKey("k449", at(1))).toBeUndefined();
      });

      it("takes the purged conversations' outbox entries and claims with them, and nothing else", async () => {
        await store.create(conversation("gone"), T0);
        await store.create(conversation("kept"), at(3 * DAY));
        for (const id of ["gone", "kept"]) {
          await store.saveEscalation({ id: `esc-${id}`, conversationId: id, payload: { id } }, at(3 * DAY));
          expect(await store.claimFor(id, `job:${id}`, 10 * DAY, at(3 * DAY))).toBe(true);
        }
        expect(await store.claim("unowned", 10 * DAY, at(3 * DAY))).toBe(true);
        const now = at(3 * DAY);
        expect(await store.purge(at(DAY), now)).toBe(1);
        expect(await store.getEscalation("esc-gone", now)).toBeUndefined();
        expect((await store.listPendingEscalations(now)).map((e) => e.id)).toEqual(["esc-kept"]);
        // A purged claim can be taken again; the others are still held.
        expect(await store.claim("job:gone", DAY, now)).toBe(true);
        expect(await store.claim("job:kept", DAY, now)).toBe(false);
        expect(await store.claim("unowned", DAY, now)).toBe(false);
        expect(await store.getEscalation("esc-kept", now)).toBeDefined();
      });
    });

    describe("outcome records", () => {
      const phi = "Zanzibar Q. Parent <zanzibar@example.com>";
      const opened = startConversation(ctx, {
        type: "start",
        at: T0.toISOString(),
        version: "14.19",
        text: `${phi} cannot see her son`,
        startAt: "patient-age",
      }).state;
      // "Fixed", then the parent's confirmation: only a confirmed fix resolves a conversation.
      const fixedLater = (state: FlowState, ms: number) => {
        const fixed = handle(ctx, state, { type: "fixed", at: at(ms).toISOString() }).state;
        return handle(ctx, fixed, { type: "parent_confirmed", at: at(ms).toISOString() }).state;
      };

      it("keeps a de-identified record from the start, and its outcome when the conversation finishes", async () => {
        await store.create(
          conversation("c1", { state: opened, surface: { channel: "C0CHAN", parent: phi } }),
          T0,
        );
        const [first] = await store.listOutcomes(T0, at(DAY), at(HOUR));
        expect(first).toMatchObject({
          conversationId: "c1",
          channel: "C0CHAN",
          outcome: "open",
          version: "14.19",
          openingCheck: "patient-age",
          stoppedAt: "patient-age",
          fixedAt: null,
          escalated: false,
          parentConfirmed: null,
          startedAt: T0.toISOString(),
          finishedAt: null,
          lastActivityAt: T0.toISOString(),
          conversationEndsAt: at(RETENTION).toISOString(),
          expiresAt: at(400 * DAY).toISOString(),
        });
        // A surface-only change moves the times, keeps the channel and the summary.
        await store.update("c1", 1, { surface: { parent: phi, channel: "C0OTHER" } }, at(10 * 60 * SECOND));
        await store.update("c1", 2, { state: fixedLater(opened, 20 * 60 * SECOND) }, at(20 * 60 * SECOND));
        const records = await store.listOutcomes(T0, at(DAY), at(HOUR));
        expect(records).toHaveLength(1);
        expect(records[0]).toMatchObject({
          channel: "C0CHAN",
          outcome: "resolved",
          fixedAt: "patient-age",
          checks: [{ check: "patient-age", outcome: "fixed" }],
          parentConfirmed: true,
          finishedAt: at(20 * 60 * SECOND).toISOString(),
          lastActivityAt: at(20 * 60 * SECOND).toISOString(),
        });
        expect(JSON.stringify(records)).not.toMatch(/Zanzibar|example\.com|cannot see/);
      });

      it("lists records by when the conversation started, in [since, until), oldest first", async () => {
        const startAt = (ms: number) =>
          startConversation(ctx, { type: "start", at: at(ms).toISOString(), version: "14.10" }).state;
        await store.create(conversation("late", { state: startAt(2 * DAY) }), at(2 * DAY));
        await store.create(conversation("early", { state: startAt(DAY) }), at(DAY));
        await store.create(conversation("edge", { state: startAt(3 * DAY) }), at(3 * DAY));
        const ids = async (since: number, until: number) =>
          (await store.listOutcomes(at(since), at(until), at(3 * DAY))).map((r) => r.conversationId);
        expect(await ids(0, 3 * DAY)).toEqual(["early", "late"]);
        expect(await ids(DAY + 1, 4 * DAY)).toEqual(["late", "edge"]);
      });

      it("two instances finishing the same conversation leave one record", async () => {
        await store.create(conversation("c1"), T0);
        const other = await secondInstance();
        const [a, b] = await Promise.all([
          store.update("c1", 1, { state: resolved }, at(SECOND)),
          other.update("c1", 1, { state: escalated }, at(SECOND)),
        ]);
        expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
        const records = await other.listOutcomes(T0, at(DAY), at(HOUR));
        expect(records).toHaveLength(1);
        expect(records[0]?.outcome).toBe(a.ok ? "resolved" : "escalated");
      });

      it("purge removes the conversation and keeps its record; an open one then counts as abandoned", async () => {
        await store.create(conversation("open", { surface: { parent: phi } }), T0);
        await store.create(conversation("done"), T0);
        await store.update("done", 1, { state: resolved }, at(HOUR));
        expect(await store.purge(at(2 * DAY), at(2 * DAY))).toBe(2);
        const records = await store.listOutcomes(T0, at(DAY), at(2 * DAY));
        expect(records.map((r) => [r.conversationId, outcomeAt(r, at(2 * DAY))]).sort()).toEqual([
          ["done", "resolved"],
          ["open", "abandoned"],
        ]);
        expect(records.find((r) => r.conversationId === "open")?.conversationEndsAt).toBe(
          at(2 * DAY).toISOString(),
        );
      });

      it("an open record whose conversation expired counts as abandoned", async () => {
        await store.create(conversation("c1"), T0);
        const [record] = await store.listOutcomes(T0, at(DAY), at(RETENTION));
        expect(record && outcomeAt(record, at(RETENTION - 1))).toBe("open");
        expect(record && outcomeAt(record, at(RETENTION))).toBe("abandoned");
      });

      it("records have their own retention: gone after STATS_RETENTION_DAYS, and purge removes them", async () => {
        await store.create(conversation("c1"), T0);
        expect(await store.listOutcomes(T0, at(DAY), at(400 * DAY - 1))).toHaveLength(1);
        expect(await store.listOutcomes(T0, at(DAY), at(400 * DAY))).toEqual([]);
        await store.purge(T0, at(400 * DAY));
        expect(await store.listOutcomes(T0, at(DAY), at(DAY))).toEqual([]);
      });
    });

    describe("recent conversations", () => {
      it("lists conversations updated since a time, newest first, finished or not, up to a limit", async () => {
        await store.create(conversation("old"), T0);
        await store.create(conversation("mid"), at(HOUR));
        await store.create(conversation("new"), at(2 * HOUR));
        await store.update("mid", 1, { state: resolved }, at(3 * HOUR));
        const ids = async (since: number, limit?: number) =>
          (await store.listRecent(at(since), at(4 * HOUR), limit)).map((r) => r.id);
        expect(await ids(HOUR)).toEqual(["mid", "new"]);
        expect(await ids(0)).toEqual(["mid", "new", "old"]);
        expect(await ids(0, 2)).toEqual(["mid", "new"]);
        expect((await store.listRecent(T0, at(RETENTION + HOUR))).map((r) => r.id)).toEqual(["mid", "new"]);
      });
    });

    describe("idle conversations", () => {
      it("lists unfinished conversations idle since before the cut-off, oldest first", async () => {
        await store.create(conversation("recent"), at(10 * HOUR));
        await store.create(conversation("idle-2"), at(2 * HOUR));
        await store.create(conversation("idle-1"), at(1 * HOUR));
        await store.create(conversation("resolved", { state: resolved }), T0);
        await store.create(conversation("escalated", { state: escalated }), T0);
        const now = at(12 * HOUR);
        const idle = await store.listIdle(at(5 * HOUR), now);
        expect(idle.map((c) => c.id)).toEqual(["idle-1", "idle-2"]);
        expect(idle[0]).toEqual(await store.get("idle-1", now));
        expect((await store.listIdle(at(5 * HOUR), now, 1)).map((c) => c.id)).toEqual(["idle-1"]);
      });

      it("an answer makes a conversation active again; finishing it takes it off the list for good", async () => {
        await store.create(conversation("a"), T0);
        await store.create(conversation("b"), T0);
        await store.update("a", 1, { surface: { answered: true } }, at(6 * HOUR));
        await store.update("b", 1, { state: resolved }, at(HOUR));
        expect(await store.listIdle(at(5 * HOUR), at(7 * HOUR))).toEqual([]);
        expect((await store.listIdle(at(7 * HOUR), at(7 * HOUR))).map((c) => c.id)).toEqual(["a"]);
        // Reopened (restart after resolving): on the list again.
        await store.update("b", 2, { state: started }, at(8 * HOUR));
        expect((await store.listIdle(at(9 * HOUR), at(9 * HOUR))).map((c) => c.id)).toEqual(["a", "b"]);
      });

      it("leaves out expired conversations", async () => {
        await store.create(conversation("a"), T0);
        expect(await store.listIdle(at(RETENTION + DAY), at(RETENTION))).toEqual([]);
      });

      it("stale reminders: of two instances, exactly one takes each conversation, once per idle period", async () => {
        const other = await secondInstance();
        for (let i = 0; i < 5; i++) await store.create(conversation(`c${i}`), at(i * SECOND));
        const remind = async (instance: ConversationStore, now: Date) => {
          const taken: string[] = [];
          for (const c of await instance.listIdle(new Date(now.getTime() - 4 * HOUR), now)) {
            if (await instance.claimFor(c.id, `stale-remind:${c.id}:${c.revision}`, RETENTION, now)) {
              taken.push(c.id);
            }
          }
          return taken;
        };
        const now = at(5 * HOUR);
        const [a, b] = await Promise.all([remind(store, now), remind(other, now)]);
        expect([...a, ...b].sort()).toEqual(["c0", "c1", "c2", "c3", "c4"]);
        // The next tick finds them still idle but already reminded.
        expect(await remind(store, at(6 * HOUR))).toEqual([]);
        // An answer starts a new idle period, which gets its own reminder.
        await store.update("c2", 1, { surface: { answered: true } }, at(7 * HOUR));
        expect(await remind(other, at(12 * HOUR))).toEqual(["c2"]);
      });
    });

    describe("escalation outbox", () => {
      const payload = { channel: "C0123456789", text: "Escalation", blocks: [{ type: "section" }] };

      it("saves an escalation, lists it as pending and reads it back", async () => {
        await store.create(conversation("c1"), T0);
        const saved = await store.saveEscalation({ id: "e1", conversationId: "c1", payload }, at(SECOND));
        expect(saved).toEqual({
          id: "e1",
          conversationId: "c1",
          payload,
          createdAt: at(SECOND).toISOString(),
          attempts: 0,
          lastError: null,
          lastAttemptAt: null,
          postedTs: null,
          postedAt: null,
          expiresAt: at(SECOND + RETENTION).toISOString(),
        });
        expect(await store.getEscalation("e1", at(SECOND))).toEqual(saved);
        expect(await store.listPendingEscalations(at(SECOND))).toEqual([saved]);
        expect(await store.getEscalation("nope", at(SECOND))).toBeUndefined();
      });

      it("refuses a second entry with the same id, and one for a conversation that is gone", async () => {
        await store.create(conversation("c1"), T0);
        await store.saveEscalation({ id: "e1", conversationId: "c1", payload }, T0);
        await expect(
          store.saveEscalation({ id: "e1", conversationId: "c1", payload: { other: true } }, T0),
        ).rejects.toBeInstanceOf(StoreConflictError);
        expect((await store.getEscalation("e1", T0))?.payload).toEqual(payload);
        await expect(
          store.saveEscalation({ id: "e2", conversationId: "missing", payload }, T0),
        ).rejects.toBeInstanceOf(StoreNotFoundError);
        await expect(
          store.saveEscalation({ id: "e3", conversationId: "c1", payload }, at(RETENTION)),
        ).rejects.toBeInstanceOf(StoreNotFoundError);
      });

      it("lists pending entries oldest first, up to a limit", async () => {
        await store.create(conversation("c1"), T0);
        for (const [id, t] of [
          ["e3", 3],
          ["e1", 1],
          ["e2", 2],
        ] as const) {
          await store.saveEscalation({ id, conversationId: "c1", payload }, at(t * SECOND));
        }
        const now = at(10 * SECOND);
        expect((await store.listPendingEscalations(now)).map((e) => e.id)).toEqual(["e1", "e2", "e3"]);
        expect((await store.listPendingEscalations(now, 2)).map((e) => e.id)).toEqual(["e1", "e2"]);
      });

      it("records failed attempts, then the posted ts exactly once; the first ts wins", async () => {
        await store.create(conversation("c1"), T0);
        await store.saveEscalation({ id: "e1", conversationId: "c1", payload }, T0);
        const failed = await store.recordEscalationFailure("e1", "ratelimited", at(SECOND));
        expect(failed).toMatchObject({
          attempts: 1,
          lastError: "ratelimited",
          lastAttemptAt: at(SECOND).toISOString(),
          postedTs: null,
        });
        expect((await store.recordEscalationFailure("e1", "x".repeat(600), at(2 * SECOND)))?.lastError).toBe(
          "x".repeat(500),
        );

        expect(await store.markEscalationPosted("e1", "1712345678.000100", at(3 * SECOND))).toBe(true);
        expect(await store.markEscalationPosted("e1", "1712345679.000200", at(4 * SECOND))).toBe(false);
        const posted = await store.getEscalation("e1", at(5 * SECOND));
        expect(posted).toMatchObject({
          postedTs: "1712345678.000100",
          postedAt: at(3 * SECOND).toISOString(),
          attempts: 3,
          lastError: "x".repeat(500),
        });
        expect(await store.listPendingEscalations(at(5 * SECOND))).toEqual([]);
        // A late failure report from another instance changes nothing once it is posted.
        expect(await store.recordEscalationFailure("e1", "timeout", at(6 * SECOND))).toEqual(posted);
        expect(await store.markEscalationPosted("missing", "1.2", T0)).toBe(false);
        expect(await store.recordEscalationFailure("missing", "x", T0)).toBeUndefined();
      });

      it("two processes marking the same entries posted: each entry gets exactly one ts", async () => {
        await store.create(conversation("c1"), new Date());
        const ids = Array.from({ length: 60 }, (_, i) => `e${i}`);
        for (const id of ids) await store.saveEscalation({ id, conversationId: "c1", payload });
        const [a, b] = (await runWorkers(env, [
          ["mark-posted", "A", ids.join(",")],
          ["mark-posted", "B", ids.join(",")],
        ])) as string[][];
        expect([...(a ?? []), ...(b ?? [])].sort()).toEqual([...ids].sort());
        for (const id of ids) {
          const winner = a?.includes(id) ? "A" : "B";
          expect((await store.getEscalation(id))?.postedTs).toBe(`${winner}-${id}`);
        }
        expect(await store.listPendingEscalations()).toEqual([]);
      });

      it("updateWithOutbox: the conversation moves and its escalation is saved in one write, or neither", async () => {
        await store.create(conversation("c1"), T0);
        const moved = await store.updateWithOutbox(
          "c1",
          1,
          { state: escalated, surface: { turn: 2 } },
          { save: { id: "e1", payload } },
          at(SECOND),
        );
        expect(moved.ok).toBe(true);
        if (!moved.ok) return;
        expect(moved.record).toMatchObject({ revision: 2, state: escalated, surface: { turn: 2 } });
        const saved = await store.getEscalation("e1", at(SECOND));
        expect(moved.entry).toEqual(saved);
        expect(saved).toMatchObject({ conversationId: "c1", payload, attempts: 0, postedTs: null });
        expect(await store.listPendingEscalations(at(SECOND))).toEqual([saved]);

        // A lost compare-and-set saves nothing; a taken id moves nothing.
        const stale = await store.updateWithOutbox(
          "c1",
          1,
          { surface: { turn: 9 } },
          { save: { id: "e2", payload } },
          at(2 * SECOND),
        );
        expect(stale).toMatchObject({ ok: false, current: { revision: 2 } });
        expect(await store.getEscalation("e2", at(2 * SECOND))).toBeUndefined();
        await expect(
          store.updateWithOutbox(
            "c1",
            2,
            { surface: { turn: 9 } },
            { save: { id: "e1", payload } },
            at(SECOND),
          ),
        ).rejects.toBeInstanceOf(StoreConflictError);
        expect((await store.get("c1", at(2 * SECOND)))?.revision).toBe(2);
        expect(
          await store.updateWithOutbox("gone", 1, {}, { save: { id: "e3", payload } }, at(SECOND)),
        ).toEqual({ ok: false, current: undefined });
        expect(await store.getEscalation("e3", at(SECOND))).toBeUndefined();
      });

      it("updateWithOutbox: withdraws an unposted escalation with the update; a posted one is refused", async () => {
        await store.create(conversation("c1"), T0);
        await store.updateWithOutbox("c1", 1, { state: escalated }, { save: { id: "e1", payload } }, T0);
        const back = await store.updateWithOutbox(
          "c1",
          2,
          { state: started, surface: { draft: true } },
          { withdraw: "e1" },
          at(SECOND),
        );
        expect(back).toMatchObject({ ok: true, entry: undefined, record: { revision: 3, state: started } });
        expect(await store.getEscalation("e1", at(SECOND))).toBeUndefined();
        expect(await store.listPendingEscalations(at(SECOND))).toEqual([]);
        // Nothing left to withdraw: refused, and the conversation stays as it was.
        await expect(
          store.updateWithOutbox("c1", 3, { surface: { x: 1 } }, { withdraw: "e1" }, at(SECOND)),
        ).rejects.toBeInstanceOf(StoreConflictError);
        await store.updateWithOutbox("c1", 3, { state: escalated }, { save: { id: "e2", payload } }, T0);
        await store.markEscalationPosted("e2", "1.2", at(SECOND));
        await expect(
          store.updateWithOutbox("c1", 4, { state: started }, { withdraw: "e2" }, at(SECOND)),
        ).rejects.toBeInstanceOf(StoreConflictError);
        expect(await store.get("c1", at(SECOND))).toMatchObject({ revision: 4, state: escalated });
        expect((await store.getEscalation("e2", at(SECOND)))?.postedTs).toBe("1.2");
        // Purge still takes what a conversation saved this way.
        expect(await store.purge(at(2 * SECOND), at(2 * SECOND))).toBe(1);
        expect(await store.getEscalation("e2", at(2 * SECOND))).toBeUndefined();
      });

      it("entries expire with the retention period, counted from when they were saved", async () => {
        await store.create(conversation("c1"), T0);
        await store.saveEscalation({ id: "e1", conversationId: "c1", payload }, at(DAY));
        await store.update("c1", 1, { surface: { later: true } }, at(20 * DAY));
        const after = at(DAY + RETENTION);
        expect(await store.getEscalation("e1", at(DAY + RETENTION - 1))).toBeDefined();
        expect(await store.getEscalation("e1", after)).toBeUndefined();
        expect(await store.listPendingEscalations(after)).toEqual([]);
        expect(await store.markEscalationPosted("e1", "1.2", after)).toBe(false);
      });
    });
  });
}
