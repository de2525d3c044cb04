import autocannon from "autocannon";
import { callsBetween, type FakeSlackProcess } from "./fake-slack.js";
import { type CallCounts, epochMs } from "./fake-slack-protocol.js";
import type { ServerProcess } from "./server-process.js";

/** One signed request body with its headers. */
export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface LoadOptions {
  server: ServerProcess;
  connections: number;
  /** Seconds of load, or an exact number of requests. */
  run: { seconds: number } | { requests: number };
  next: () => SignedRequest;
  slack: FakeSlackProcess;
}

export interface RoundResult {
  /** Requests answered 2xx (acknowledged). */
  acked: number;
  failed: number;
  /** Seconds from the first request to the last Web API call the round caused (or the last ack). */
  seconds: number;
  /** Acknowledged requests per second, counted until their work finished: `acked / seconds`. */
  requestsPerSecond: number;
  /** Web API calls per second at the fake, over the same time. */
  callsPerSecond: number;
  /** Ack latency (what Slack times against its 3-second limit), ms. */
  p50: number;
  p99: number;
  /** How long work went on after the last ack, ms. */
  drainMs: number;
  /** CPU time the server process used per request, ms (undefined where /proc is not there). */
  cpuMsPerRequest?: number;
  /** Web API calls the round caused, by method. */
  calls: Record<string, number>;
}

/** No Web API call for this long after the load stops: the app's work is done. */
const QUIET_MS = 300;

/**
 * One round of load with autocannon: each request built (and signed) just before it is sent. The
 * app acks first and works after, so the clock stops only when the fake Slack API has seen no call
 * for QUIET_MS: requests per second count requests whose work is done, not just acknowledged.
 */
export async function runRound(options: LoadOptions): Promise<RoundResult> {
  const before: CallCounts = await options.slack.counts();
  const cpuBefore = options.server.cpuSeconds();
  let lastAckAt = 0;
  const started = epochMs();
  const result = await autocannon({
    url: options.server.url,
    connections: options.connections,
    ...("seconds" in options.run ? { duration: options.run.seconds } : { amount: options.run.requests }),
    timeout: 10,
    requests: [
      {
        method: "POST",
        path: "/slack/events",
        setupRequest: (req) => {
          const { body, headers } = options.next();
          return { ...req, method: "POST", path: "/slack/events", body, headers };
        },
        // autocannon itself only notices the end on its one-second tick.
        onResponse: () => {
          lastAckAt = epochMs();
        },
      },
    ],
  });
  const after = await options.slack.waitForQuiet(QUIET_MS);
  const workEnded = after.total > before.total && after.lastCallAt !== null ? after.lastCallAt : 0;
  const end = Math.max(lastAckAt, workEnded);
  const seconds = (end - started) / 1000;
  const acked = result["2xx"];
  const cpuAfter = options.server.cpuSeconds();
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return {
    acked,
    failed: result.non2xx + result.errors + result.timeouts,
    seconds,
    requestsPerSecond: acked / seconds,
    callsPerSecond: (after.total - before.total) / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    drainMs: Math.max(0, workEnded - lastAckAt),
    ...(cpu === undefined ? {} : { cpuMsPerRequest: (1000 * cpu) / Math.max(1, acked) }),
    calls: callsBetween(before, after),
  };
}
