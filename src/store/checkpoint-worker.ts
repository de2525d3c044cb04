// The SQLite store's checkpointer (see checkpoints.ts): its own connection to the store's file, on
// a thread of its own, copying the WAL back into the database file every `intervalMs`.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { z } from "zod";

const Task = z.object({ path: z.string().min(1), intervalMs: z.number().int().positive() });
const { path, intervalMs } = Task.parse(workerData);

const db = new Database(path, { fileMustExist: true });
// A writer holds its lock for a moment at a time; a checkpoint waits for it instead of failing.
db.pragma("busy_timeout = 5000");
db.pragma("wal_autocheckpoint = 0");

/**
 * PASSIVE: copies what it can without waiting for readers or writers, so the serving thread never
 * waits on it; what it could not copy is taken next time.
 */
function checkpoint() {
  db.pragma("wal_checkpoint(PASSIVE)");
}

const timer = setInterval(checkpoint, intervalMs);
parentPort?.on("message", (message: unknown) => {
  if (message !== "stop") return;
  clearInterval(timer);
  checkpoint();
  db.close();
  // Nothing is left to keep the thread alive: it exits, which is what the store waits for.
  parentPort?.close();
});
