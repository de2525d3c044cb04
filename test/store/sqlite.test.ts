import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { startConversation } from "../../src/core/flow/engine.js";
import { sqlitePathFrom } from "../../src/store/open.js";
import { SqliteConversationStore, StoreMissingError } from "../../src/store/sqlite.js";
import { storeContract } from "./contract.js";

const root = mkdtempSync(join(tmpdir(), "portal-check-store-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

storeContract("SQLite", async () => {
  const path = join(root, `contract-${n++}.sqlite`);
  return {
    store: new SqliteConversationStore({ path, retentionDays: 30 }),
    // REDIS_URL blank: a REDIS_URL in the test runner's environment must not win here.
    env: { DATABASE_URL: path, REDIS_URL: "", RETENTION_DAYS: "30" },
  };
});

const state = startConversation(loadContent(), {
  type: "start",
  at: "2026-11-26T10:00:00.000Z",
  version: "14.19",
}).state;

describe("SqliteConversationStore", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(root, "case-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("creates the file and its folder on first use, in WAL mode", async () => {
    const store = new SqliteConversationStore({ path: join(dir, "nested", "db.sqlite"), retentionDays: 30 });
    await store.create({ id: "c1", key: null, state, surface: {} });
    expect(existsSync(join(dir, "nested", "db.sqlite"))).toBe(true);
    expect(existsSync(join(dir, "nested", "db.sqlite-wal"))).toBe(true);
    await store.close();
  });

  it("creates the folder 0700 and the file, its -wal and -shm 0600 (they hold PHI); tightens an old 0644 file", async () => {
    const path = join(dir, "private", "db.sqlite");
    const store = new SqliteConversationStore({ path, retentionDays: 30 });
    await store.create({ id: "c1", key: null, state, surface: {} });
    const mode = (file: string) => statSync(file).mode & 0o777;
    expect(mode(join(dir, "private"))).toBe(0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(mode(file)).toBe(0o600);
    await store.close();

    const old = join(dir, "old.sqlite");
    new Database(old).close();
    chmodSync(old, 0o644);
    const reopened = new SqliteConversationStore({ path: old, retentionDays: 30 });
    expect(mode(old)).toBe(0o600);
    await reopened.close();
  });

  it("with create: false, refuses a file that does not exist instead of making an empty store", () => {
    const path = join(dir, "missing", "db.sqlite");
    expect(() => new SqliteConversationStore({ path, retentionDays: 30, create: false })).toThrow(
      StoreMissingError,
    );
    expect(existsSync(join(dir, "missing"))).toBe(false);
  });

  it("purge leaves no row of a purged conversation behind, nor its bytes in the file or the WAL", async () => {
    const path = join(dir, "purge.sqlite");
    const phi = "Zanzibar Q. Parent <zanzibar@example.com>";
    const store = new SqliteConversationStore({ path, retentionDays: 30 });
    await store.create({ id: "c1", key: "k", state, surface: { parent: phi } });
    await store.update("c1", 1, { surface: { parent: phi, again: phi } });
    await store.claimFor("c1", "job", 60_000);
    await store.saveEscalation({ id: "e1", conversationId: "c1", payload: { parent: phi } });
    await store.claim("event:Ev1", 60_000);
    expect(await store.purge(new Date(Date.now() + 1000))).toBe(1);
    for (const file of [path, `${path}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes(phi), file).toBe(false);
    }
    await store.close();
    expect(readFileSync(path).includes(phi)).toBe(false);
    const db = new Database(path, { readonly: true });
    const rows = (table: string) => db.prepare(`SELECT * FROM ${table}`).all();
    expect(rows("conversations")).toEqual([]);
    expect(rows("outbox")).toEqual([]);
    // Only the claim no conversation owns is left; it expires on its own.
    expect(rows("claims")).toEqual([expect.objectContaining({ token: "event:Ev1", conversation_id: null })]);
    db.close();
  });

  it("purge keeps the outcome records and leaves none of the conversation's PHI in the file or the WAL", async () => {
    const path = join(dir, "outcomes.sqlite");
    const phi = "Zanzibar Q. Parent <zanzibar@example.com>";
    const withText = startConversation(loadContent(), {
      type: "start",
      at: new Date().toISOString(),
      version: "14.19",
      text: `${phi} cannot see her son`,
    }).state;
    const store = new SqliteConversationStore({ path, retentionDays: 30 });
    await store.create({ id: "c1", key: "k", state: withText, surface: { channel: "C0CHAN", parent: phi } });
    await store.update("c1", 1, { surface: { channel: "C0CHAN", parent: phi, again: phi } });
    const before = await store.listOutcomes(new Date(0), new Date(Date.now() + 1000));
    expect(before).toHaveLength(1);
    expect(await store.purge(new Date(Date.now() + 1000))).toBe(1);
    const after = await store.listOutcomes(new Date(0), new Date(Date.now() + 1000));
    expect(after.map((r) => [r.conversationId, r.channel, r.version])).toEqual([["c1", "C0CHAN", "14.19"]]);
    await store.close();
    for (const file of [path, `${path}-wal`]) {
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file);
      expect(bytes.includes("Zanzibar"), file).toBe(false);
      expect(bytes.includes("zanzibar@example.com"), file).toBe(false);
    }
    // The record itself is still in the file.
    expect(readFileSync(path).includes("C0CHAN")).toBe(true);
  });

  it("upgrades a database written by the first version, keeping its conversations", async () => {
    const path = join(dir, "v1.sqlite");
    const v1 = new Database(path);
    v1.exec(`
      CREATE TABLE conversations (id TEXT PRIMARY KEY, key TEXT UNIQUE, revision INTEGER NOT NULL,
        state TEXT NOT NULL, surface TEXT NOT NULL, created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE claims (token TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
      PRAGMA user_version = 1;
    `);
    const now = Date.now();
    v1.prepare("INSERT INTO conversations VALUES ('c1', 'terminal:default', 3, ?, '{}', ?, ?, ?)").run(
      JSON.stringify(state),
      now,
      now,
      now + 1000 * 60 * 60,
    );
    v1.prepare("INSERT INTO claims VALUES ('event:Ev1', ?)").run(now + 60_000);
    v1.close();

    const store = new SqliteConversationStore({ path, retentionDays: 30 });
    expect(await store.getByKey("terminal:default")).toMatchObject({ id: "c1", revision: 3, state });
    expect(await store.claim("event:Ev1", 60_000)).toBe(false);
    await store.saveEscalation({ id: "e1", conversationId: "c1", payload: {} });
    expect((await store.listIdle(new Date(now + 1))).map((c) => c.id)).toEqual(["c1"]);
    // A conversation stored before outcome records existed gets its record on its next update.
    expect(await store.listOutcomes(new Date(0), new Date(now + 1))).toEqual([]);
    await store.update("c1", 3, { state });
    expect((await store.listOutcomes(new Date(0), new Date(now + 1))).map((r) => r.conversationId)).toEqual([
      "c1",
    ]);
    await store.close();
    const db = new Database(path, { readonly: true });
    // The latest migration (this list grows at its end).
    expect(db.pragma("user_version", { simple: true })).toBe(5);
    // Version 4 (issue 14) adds the questions table for feedback.
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'questions'").pluck().get(),
    ).toBe("questions");
    // Version 3 keeps only the indexes that reads and the idle scan use.
    const indexes = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'conversations' AND sql IS NOT NULL",
      )
      .pluck()
      .all();
    expect(indexes).toEqual(["conversations_idle"]);
    db.close();
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
