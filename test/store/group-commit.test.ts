import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { GroupCommit } from "../../src/store/group-commit.js";
import { tempDir } from "../support/cli.js";

/** A real SQLite file in WAL mode, as the store opens it, with a second connection to look from. */
function openPair() {
  const path = join(tempDir("portal-check-group-"), "g.sqlite");
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
  const other = new Database(path);
  other.pragma("busy_timeout = 0");
  opened.push(db, other);
  const insert = db.prepare("INSERT INTO t (k, v) VALUES (?, ?)");
  const count = () => (other.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n;
  return { db, other, insert, count };
}

/** Frames in the WAL file (a PASSIVE checkpoint reports them; it copies, it does not reset the log). */
function walFrames(db: Database.Database): number {
  const [row] = db.pragma("wal_checkpoint(PASSIVE)") as Array<{ log: number }>;
  return row?.log ?? -1;
}

const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

describe("group commit", () => {
  it("commits the writes of one event-loop turn together, each resolving with its own result after the commit", async () => {
    const { db, insert, count } = openPair();
    const writes = new GroupCommit(db);
    const pending = [1, 2, 3].map((v) => writes.run(() => insert.run(`k${v}`, v).changes));
    // Nothing is on disk yet: another connection sees none of them.
    expect(count()).toBe(0);
    expect(await Promise.all(pending)).toEqual([1, 1, 1]);
    expect(count()).toBe(3);
    // One commit: the WAL holds as many frames as one transaction of the three writes makes, and
    // fewer than three separate commits make (each rewrites the same pages).
    const together = openPair();
    together.db.transaction(() => {
      for (const v of [1, 2, 3]) together.insert.run(`k${v}`, v);
    })();
    const apart = openPair();
    for (const v of [1, 2, 3]) apart.insert.run(`k${v}`, v);
    expect(walFrames(db)).toBe(walFrames(together.db));
    expect(walFrames(db)).toBeLessThan(walFrames(apart.db));
  });

  it("rejects a write that fails alone, rolling back only its own statements", async () => {
    const { db, insert, count } = openPair();
    const writes = new GroupCommit(db);
    // Two statements and no transaction of its own: the group commit alone keeps them together.
    const pair = (k: string) => {
      insert.run(`${k}-a`, 1);
      insert.run(k, 2); // a duplicate key when k is taken: the first insert must go too
    };
    const results = await Promise.allSettled([
      writes.run(() => insert.run("taken", 0)),
      writes.run(() => pair("taken")),
      writes.run(() => insert.run("after", 3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Database.SqliteError);
    expect(count()).toBe(2);
    expect(db.prepare("SELECT k FROM t ORDER BY k").pluck().all()).toEqual(["after", "taken"]);
  });

  it("rejects every write of a commit that cannot be made, and stores none of them", async () => {
    const { db, other, insert, count } = openPair();
    db.pragma("busy_timeout = 0");
    const writes = new GroupCommit(db);
    // Another process holds the write lock: the batch cannot begin.
    other.prepare("BEGIN IMMEDIATE").run();
    const results = await Promise.allSettled([
      writes.run(() => insert.run("a", 1)),
      writes.run(() => insert.run("b", 2)),
    ]);
    other.prepare("ROLLBACK").run();
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: "SQLITE_BUSY" });
    expect(count()).toBe(0);
    // The next turn's writes go through.
    await writes.run(() => insert.run("c", 3));
    expect(count()).toBe(1);
  });

  it("flush() commits what is queued at once (the store flushes before it closes)", async () => {
    const { db, insert, count } = openPair();
    const writes = new GroupCommit(db);
    const pending = writes.run(() => insert.run("now", 1).changes);
    writes.flush();
    expect(count()).toBe(1);
    expect(await pending).toBe(1);
  });
});
