import type { WebClient } from "@slack/web-api";
import type { OutboxEntry } from "../../store/types.js";
import type { OutboxSettings, SlackDeps } from "../deps.js";
import { deliver } from "./deliver.js";

/** However often a post failed, it is tried again at least this often. */
const MAX_BACKOFF_MS = 15 * 60 * 1000;
/** Entries looked at per run, oldest first; the rest wait for the next run. */
const BATCH = 100;
/** Failures that say Slack itself is down or busy: the rest of the run would fail the same way. */
const SLACK_DOWN = new Set(["slack_unreachable", "slack_http_error", "rate_limited", "lease_expired"]);

export interface RetryRun {
  posted: number;
  failed: number;
  /** Form submissions given back because their channel is public (see withdrawSubmission). */
  withdrawn: number;
  /** Not due yet, or being posted by another instance. */
  skipped: number;
}

export interface RetryOptions {
  /** Try every pending entry, due or not: at start-up, a restart often follows the fix. */
  startup?: boolean;
  /** Stops the run between two entries (the app is shutting down). */
  signal?: AbortSignal;
}

/**
 * One run of the outbox timer: every pending escalation that is due is posted (see deliver), one
 * after the other, as Slack allows about one post a second per channel. When Slack itself is down
 * the run stops at the first failure instead of waiting out a timeout per entry.
 */
export async function retryPendingEscalations(
  deps: SlackDeps,
  client: WebClient,
  options: RetryOptions = {},
): Promise<RetryRun> {
  const run: RetryRun = { posted: 0, failed: 0, withdrawn: 0, skipped: 0 };
  const now = deps.now();
  const pending = await deps.store.listPendingEscalations(now, BATCH);
  for (const [index, entry] of pending.entries()) {
    if (options.signal?.aborted) {
      run.skipped += pending.length - index;
      break;
    }
    if (!options.startup && now.getTime() < dueAt(entry, deps.outbox)) {
      run.skipped++;
      continue;
    }
    const result = await deliver(deps, client, entry, { fresh: false, privacyChecked: false });
    if (result.kind === "posted") run.posted++;
    else if (result.kind === "withdrawn") run.withdrawn++;
    else run[result.kind === "failed" ? "failed" : "skipped"]++;
    if (result.kind === "failed" && SLACK_DOWN.has(result.failure.code)) {
      run.skipped += pending.length - index - 1;
      break;
    }
  }
  return run;
}

/**
 * When an entry should be tried again. Never tried: once its saver had a lease's time to post it
 * (the saver may have stopped). Failed: the retry interval, doubled per failure, at most 15 minutes.
 */
function dueAt(entry: OutboxEntry, settings: OutboxSettings): number {
  if (entry.attempts === 0 || !entry.lastAttemptAt) {
    return Date.parse(entry.createdAt) + settings.leaseMs;
  }
  const backoff = Math.min(settings.retryMs * 2 ** (entry.attempts - 1), MAX_BACKOFF_MS);
  return Date.parse(entry.lastAttemptAt) + backoff;
}
