import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { startConversation } from "../../src/core/flow/engine.js";
import { BackgroundCheckpoints } from "../../src/store/checkpoints.js";
import { SqliteConversationStore } from "../../src/store/sqlite.js";
import { until } from "../multi/instance.js";
import { tempDir } from "../support/cli.js";

const state = startConversation(loadContent(), {
  type: "start",
  at: "2026-11-26T10:00:00.000Z",
  version: "14.19",
}).state;

const autocheckpoint = (db: Database.Database) => db.pragma("wal_autocheckpoint", { simple: true });

/** Enough conversations that SQLite's own autocheckpoint (1000 pages) would have run several times. */
async function fill(store: SqliteConversationStore, n: number, prefix: string) {
  for (let start = 0; start < n; start += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, n - start) }, (_, i) =>
        store.create({
          id: `${prefix}-${start + i}`,
          key: null,
          state,
          surface: { padding: "x".repeat(1500) },
        }),
      ),
    );
  }
}

/** A file store as `serve` opens it (checkpoints on a worker), in a private folder. */
function serveStore(name: string, intervalMs: number) {
  const path = join(tempDir("portal-check-ckpt-"), name);
  const store = new SqliteConversationStore({
    path,
    retentionDays: 30,
    backgroundCheckpoints: { intervalMs },
  });
  return { path, store };
}

describe("WAL checkpoints on a worker thread (serve's SQLite store)", () => {
  it("commits never checkpoint; the worker copies the WAL into the file, and close() leaves nothing behind", async () => {
    const { path, store } = serveStore("c.sqlite", 60_000);
    const fileBefore = statSync(path).size;
    await fill(store, 3000, "a");
    // Over 1000 pages written, and the database file has not grown: no commit checkpointed.
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(1000 * 4096);
    expect(statSync(path).size).toBe(fileBefore);
    await store.close();
    // The worker's last checkpoint (and SQLite's on closing) put everything in the file.
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM conversations").pluck().get()).toBe(3000);
    db.close();
    expect(statSync(path).size).toBeGreaterThan(3000 * 1500);
  });

  it("checkpoints on its interval while the store is in use", async () => {
    const { path, store } = serveStore("c.sqlite", 50);
    const fileBefore = statSync(path).size;
    await fill(store, 1000, "b");
    await until(
      "the worker to copy the WAL into the file",
      () => statSync(path).size > fileBefore + 1000 * 1500,
    );
    await store.close();
  });

  it("purge still empties the WAL and leaves no PHI in either file while the worker checkpoints", async () => {
    const phi = "Quintessa R. Parent <quintessa@example.com>";
    const { path, store } = serveStore("p.sqlite", 5);
    await fill(store, 500, "c");
    await store.create({ id: "phi", key: null, state, surface: { parent: phi } });
    await store.update("phi", 1, { surface: { parent: phi, again: phi } });
    expect(await store.purge(new Date(Date.now() + 1000))).toBe(501);
    expect(statSync(`${path}-wal`).size).toBe(0);
    for (const file of [path, `${path}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes(phi), file).toBe(false);
    }
    await store.close();
  });

  it("when the worker fails, the connection checkpoints in its commits again and the failure is reported", async () => {
    const path = join(tempDir("portal-check-ckpt-"), "f.sqlite");
    const db = new Database(path);
    db.pragma("journal_mode = WAL");
    const failures: Error[] = [];
    // The worker opens the file it is given, which must exist: this one does not.
    const checkpoints = new BackgroundCheckpoints(db, join(tempDir("portal-check-ckpt-"), "missing.sqlite"), {
      intervalMs: 50,
      onFailure: (err) => failures.push(err),
    });
    expect(autocheckpoint(db)).toBe(0);
    await until("the failure to be reported", () => failures.length > 0);
    expect(checkpoints.running).toBe(false);
    expect(autocheckpoint(db)).toBe(1000);
    await checkpoints.stop();
    db.close();
  });
});
