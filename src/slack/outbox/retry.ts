import type { WebClient } from "@slack/web-api";
import type { OutboxEntry } from "../../store/types.js";
import type { OutboxSettings, SlackDeps } from "../deps.js";
import { deliver } from "./deliver.js";

/** However often a post failed, it is tried again at least this often. */
const MAX_BACKOFF_MS = 15 * 60 * 1000;
/** Entries looked at per run, oldest first; the rest wait for the next run. */
const BATCH = 100;

export interface RetryRun {
  posted: number;
  failed: number;
  /** Not due yet, or being posted by another instance. */
  skipped: number;
}

/**
 * One run of the outbox timer: every pending escalation that is due is posted (see deliver), one
 * after the other, as Slack allows about one post a second per channel. At start-up every pending
 * entry is due: a restart often follows the fix (a bot invited, a channel changed).
 */
export async function retryPendingEscalations(
  deps: SlackDeps,
  client: WebClient,
  options: { startup?: boolean } = {},
): Promise<RetryRun> {
  const run: RetryRun = { posted: 0, failed: 0, skipped: 0 };
  const now = deps.now();
  for (const entry of await deps.store.listPendingEscalations(now, BATCH)) {
    if (!options.startup && now.getTime() < dueAt(entry, deps.outbox)) {
      run.skipped++;
      continue;
    }
    const result = await deliver(deps, client, entry, { fresh: false, privacyChecked: false });
    if (result.kind === "posted") run.posted++;
    else if (result.kind === "failed") run.failed++;
    else run.skipped++;
  }
  return run;
}

/**
 * When an entry should be tried again. Never tried: once its saver had a lease's time to post it
 * (the saver may have stopped). Failed: the retry interval, doubled per failure, at most 15 minutes.
 */
export function dueAt(entry: OutboxEntry, settings: OutboxSettings): number {
  if (entry.attempts === 0 || !entry.lastAttemptAt) {
    return Date.parse(entry.createdAt) + settings.leaseMs;
  }
  const backoff = Math.min(settings.retryMs * 2 ** (entry.attempts - 1), MAX_BACKOFF_MS);
  return Date.parse(entry.lastAttemptAt) + backoff;
}
