import type { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import { startWorker } from "../worker-thread.js";

/** SQLite's own default: a checkpoint once the WAL holds this many pages. */
const AUTOCHECKPOINT_PAGES = 1000;

/** How long stop() waits for the checkpointer's last checkpoint before ending it anyway. */
const STOP_TIMEOUT_MS = 5000;

/**
 * WAL checkpoints on a thread of their own. SQLite copies the WAL back into the database file
 * (and syncs both) during whichever commit crosses the autocheckpoint size: measured on this
 * machine, 1 commit in 80 took 4-20 ms that way, together over half the time of all commits, and
 * every request in flight waited behind it. Here the serving connection never checkpoints
 * (wal_autocheckpoint = 0) and a worker (checkpoint-worker.ts) with its own connection runs a
 * PASSIVE checkpoint every `intervalMs`, which never makes a writer wait.
 *
 * If the worker fails, the serving connection checkpoints for itself again (SQLite's default),
 * so the WAL cannot grow without bound; `onFailure` hears why.
 */
export class BackgroundCheckpoints {
  private worker: Worker | undefined;
  private stopping = false;

  constructor(
    private readonly db: Database.Database,
    path: string,
    options: { intervalMs: number; onFailure?: (err: Error) => void },
  ) {
    db.pragma("wal_autocheckpoint = 0");
    const worker = startWorker(import.meta.url, "checkpoint-worker", {
      workerData: { path, intervalMs: options.intervalMs },
    });
    // A store nobody closed must not keep the process alive.
    worker.unref();
    const fail = (err: Error) => {
      if (this.stopping || this.worker !== worker) return;
      this.worker = undefined;
      if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      options.onFailure?.(err);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`the checkpoint worker exited (code ${code})`)));
    this.worker = worker;
  }

  /** Whether the worker is checkpointing (false once it failed: the connection does it itself). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Ends the worker after a last checkpoint (before the store's connection closes). */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.stopping) return;
    this.stopping = true;
    this.worker = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void worker.terminate().then(() => resolve()), STOP_TIMEOUT_MS);
      worker.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      worker.postMessage("stop");
    });
  }
}
