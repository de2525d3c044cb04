import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { startConversation } from "../../src/core/flow/engine.js";
import { sqlitePathFrom } from "../../src/store/open.js";
import { SqliteConversationStore } from "../../src/store/sqlite.js";
import { StoreConflictError } from "../../src/store/types.js";
import { TSX_LOADER } from "../cli/helpers.js";

const run = promisify(execFile);
const ctx = loadContent();
const state = startConversation(ctx, {
  type: "start",
  at: "2026-11-26T10:00:00.000Z",
  version: "14.19",
}).state;
const DAY = 24 * 60 * 60 * 1000;

let dir: string;
let store: SqliteConversationStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "portal-check-store-"));
  store = new SqliteConversationStore({ path: join(dir, "nested", "db.sqlite"), retentionDays: 30 });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("SqliteConversationStore", () => {
  it("creates the file and its folder on first use, in WAL mode", async () => {
    await store.create({ id: "c1", key: null, state, surface: {} });
    expect(existsSync(join(dir, "nested", "db.sqlite"))).toBe(true);
    expect(existsSync(join(dir, "nested", "db.sqlite-wal"))).toBe(true);
  });

  it("round-trips a conversation and finds it by key", async () => {
    const created = await store.create({ id: "c1", key: "terminal:default", state, surface: { a: 1 } });
    expect(created.revision).toBe(1);
    expect(await store.get("c1")).toEqual(created);
    expect(await store.getByKey("terminal:default")).toEqual(created);
    expect(await store.get("nope")).toBeUndefined();
  });

  it("refuses a second conversation with the same id or key", async () => {
    await store.create({ id: "c1", key: "k", state, surface: {} });
    await expect(store.create({ id: "c1", key: null, state, surface: {} })).rejects.toBeInstanceOf(
      StoreConflictError,
    );
    await expect(store.create({ id: "c2", key: "k", state, surface: {} })).rejects.toBeInstanceOf(
      StoreConflictError,
    );
  });

  it("compare-and-set: only the writer holding the current revision wins", async () => {
    await store.create({ id: "c1", key: null, state, surface: {} });
    const first = await store.update("c1", 1, { surface: { by: "first" } });
    const second = await store.update("c1", 1, { surface: { by: "second" } });
    expect(first).toMatchObject({ ok: true, record: { revision: 2, surface: { by: "first" } } });
    expect(second).toMatchObject({ ok: false, current: { revision: 2, surface: { by: "first" } } });
    expect(await store.update("missing", 1, { surface: {} })).toEqual({ ok: false, current: undefined });
  });

  it("two processes writing at once never lose an update", async () => {
    const path = join(dir, "shared.sqlite");
    const shared = new SqliteConversationStore({ path, retentionDays: 1 });
    await shared.create({ id: "c1", key: null, state, surface: { counter: 0 } });
    const writer = () =>
      run(process.execPath, [
        "--import",
        TSX_LOADER,
        join(import.meta.dirname, "cas-writer.ts"),
        path,
        "c1",
        "150",
      ]);
    await Promise.all([writer(), writer()]);
    const final = await shared.get("c1");
    // Without compare-and-set, interleaved read-modify-writes would lose increments.
    expect(final?.surface.counter).toBe(300);
    expect(final?.revision).toBe(301);
    await shared.close();
  });

  it("claim() is true once per token until the token expires", async () => {
    const now = new Date("2026-11-26T10:00:00Z");
    expect(await store.claim("event:Ev1", 60_000, now)).toBe(true);
    expect(await store.claim("event:Ev1", 60_000, new Date(now.getTime() + 59_000))).toBe(false);
    expect(await store.claim("event:Ev2", 60_000, now)).toBe(true);
    expect(await store.claim("event:Ev1", 60_000, new Date(now.getTime() + 61_000))).toBe(true);
  });

  it("conversations expire after the retention period and their key is free again", async () => {
    const t0 = new Date("2026-01-01T00:00:00Z");
    await store.create({ id: "old", key: "k", state, surface: {} }, t0);
    const later = new Date(t0.getTime() + 31 * DAY);
    expect(await store.get("old", later)).toBeUndefined();
    expect(await store.update("old", 1, { surface: {} }, later)).toEqual({ ok: false, current: undefined });
    await store.create({ id: "new", key: "k", state, surface: {} }, later);
    expect((await store.getByKey("k", later))?.id).toBe("new");
  });

  it("an update pushes the expiry forward", async () => {
    const t0 = new Date("2026-01-01T00:00:00Z");
    await store.create({ id: "c", key: null, state, surface: {} }, t0);
    await store.update("c", 1, { surface: { x: 1 } }, new Date(t0.getTime() + 20 * DAY));
    expect(await store.get("c", new Date(t0.getTime() + 40 * DAY))).toBeDefined();
  });

  it("purge removes conversations older than the cut-off and says how many", async () => {
    const t0 = new Date("2026-01-01T00:00:00Z");
    await store.create({ id: "a", key: null, state, surface: {} }, t0);
    await store.create({ id: "b", key: null, state, surface: {} }, new Date(t0.getTime() + 5 * DAY));
    const now = new Date(t0.getTime() + 6 * DAY);
    expect(await store.purge(new Date(t0.getTime() + 2 * DAY), now)).toBe(1);
    expect(await store.get("a", now)).toBeUndefined();
    expect(await store.get("b", now)).toBeDefined();
    expect(await store.purge(now, now)).toBe(1);
  });
});

describe("DATABASE_URL", () => {
  it("accepts paths, sqlite: and file: URLs, relative to the working directory", () => {
    expect(sqlitePathFrom(undefined, "/srv/app")).toBe("/srv/app/data/portal-check.db");
    expect(sqlitePathFrom("db/x.sqlite", "/srv/app")).toBe("/srv/app/db/x.sqlite");
    expect(sqlitePathFrom("sqlite:/var/lib/pc.db", "/srv")).toBe("/var/lib/pc.db");
    expect(sqlitePathFrom("file:///var/lib/pc.db", "/srv")).toBe("/var/lib/pc.db");
  });

  it("explains what it accepts when given another database", () => {
    expect(() => sqlitePathFrom("postgres://u@h/db", "/srv")).toThrow(/SQLite file path.*REDIS_URL/);
  });
});
