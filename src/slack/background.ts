import type { WebClient } from "@slack/web-api";
import type { SlackDeps } from "./deps.js";
import { type RetryOptions, type RetryRun, retryPendingEscalations } from "./outbox/retry.js";
import { type StaleRun, scanStaleConversations } from "./stale/scan.js";

/**
 * The work a serving instance does by itself, on timers: posting escalations left in the outbox
 * (every OUTBOX_RETRY_SECONDS) and looking after idle conversations (every STALE_SCAN_SECONDS).
 * Every instance runs both; the store's claims and the outbox make each piece of work happen once.
 */
export interface Background {
  /** Starts both timers, with a first run of each straight away (start-up). */
  start(): void;
  /** Stops the timers, and a run in progress after the entry or conversation it is on. */
  stop(): Promise<void>;
  /** One outbox run now; `startup` tries every pending entry, due or not. */
  retryOutbox(options?: Pick<RetryOptions, "startup">): Promise<RetryRun>;
  scanStale(): Promise<StaleRun>;
}

export function backgroundWork(deps: SlackDeps, client: WebClient): Background {
  const timers: NodeJS.Timeout[] = [];
  const inProgress = new Map<string, Promise<unknown>>();
  const stopping = new AbortController();
  const { signal } = stopping;

  /** Runs `job` unless the previous run of the same job is still going; never throws. */
  const once = (name: string, job: () => Promise<unknown>) => {
    if (inProgress.has(name)) return;
    const run = job()
      .catch((err: unknown) => deps.logger.error({ err, job: name }, "background job failed"))
      .finally(() => inProgress.delete(name));
    inProgress.set(name, run);
  };
  const retryOutbox = (options: Pick<RetryOptions, "startup"> = {}) =>
    retryPendingEscalations(deps, client, { ...options, signal });
  const scanStale = () => scanStaleConversations(deps, client, signal);

  return {
    start() {
      once("outbox", () => retryOutbox({ startup: true }));
      once("stale", scanStale);
      const every = (ms: number, name: string, job: () => Promise<unknown>) => {
        const timer = setInterval(() => once(name, job), ms);
        timer.unref();
        timers.push(timer);
      };
      every(deps.config.outboxRetryMs, "outbox", retryOutbox);
      every(deps.config.staleScanMs, "stale", scanStale);
    },
    async stop() {
      for (const timer of timers.splice(0)) clearInterval(timer);
      stopping.abort();
      await Promise.all(inProgress.values());
    },
    retryOutbox,
    scanStale,
  };
}
