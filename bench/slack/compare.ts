import type { BenchContext } from "../context.js";
import { type Figure, figure, median } from "../report.js";
import type { FakeSlackProcess } from "./fake-slack.js";
import { type RoundResult, runRound, type SignedRequest } from "./load.js";
import type { ServerProcess } from "./server-process.js";

export type Role = "app" | "baseline" | "ceiling";

export interface Contender {
  role: Role;
  server: ServerProcess;
  next: () => SignedRequest;
}

export type Rounds = Record<Role, RoundResult[]>;

/**
 * Alternating rounds at one load level: each round runs every contender once with the same number
 * of requests, the order reversed every other round, so a noisy moment on the machine hits them
 * all alike.
 */
async function alternateRounds(
  contenders: Contender[],
  options: { connections: number; rounds: number; requests: number; slack: FakeSlackProcess },
  onRound?: (role: Role, round: number, result: RoundResult) => void,
): Promise<Rounds> {
  const out: Rounds = { app: [], baseline: [], ceiling: [] };
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const c of order) {
      const result = await runRound({
        server: c.server,
        connections: options.connections,
        run: { requests: options.requests },
        next: c.next,
        slack: options.slack,
      });
      out[c.role].push(result);
      onRound?.(c.role, round, result);
    }
  }
  return out;
}

/**
 * Warms up the baselines (the app is warm already), then runs alternating rounds at every load level
 * of the settings. `checkApp` sees each of the app's rounds (and throws when one measured something
 * else). Figures are named `<prefix>.c<connections>.<figure>`.
 */
export async function compareAtLevels(
  ctx: BenchContext,
  contenders: Contender[],
  slack: FakeSlackProcess,
  names: { group: string; prefix: string },
  checkApp: (round: RoundResult) => void = () => {},
): Promise<{ figures: Record<string, Figure>; levels: Record<string, Rounds> }> {
  const { settings, log } = ctx;
  for (const c of contenders.filter((c) => c.role !== "app")) {
    await runRound({
      server: c.server,
      connections: 10,
      run: { requests: settings.slack.warmupRequests },
      next: c.next,
      slack,
    });
  }
  const figures: Record<string, Figure> = {};
  const levels: Record<string, Rounds> = {};
  for (const connections of settings.slack.connections) {
    log(`  ${connections} connections:`);
    const rounds = await alternateRounds(
      contenders,
      { connections, rounds: settings.slack.rounds, requests: settings.slack.requestsPerRound, slack },
      (role, round, r) => log(describeRound(role, round, r)),
    );
    rounds.app.forEach(checkApp);
    levels[`c${connections}`] = rounds;
    for (const [name, f] of Object.entries(throughputFigures(names.group, connections, rounds))) {
      figures[`${names.prefix}.${name}`] = f;
    }
  }
  return { figures, levels };
}

/**
 * Calls per request, by method, from a round with a known number of requests. Methods that were
 * called in fewer than 1 of 1000 requests are left out (none are expected).
 */
export function callsPerRequest(calls: Record<string, number>, requests: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [method, n] of Object.entries(calls)) {
    const share = n / requests;
    if (share >= 0.001) out[method] = Math.round(share * 1000) / 1000;
  }
  return out;
}

/** Issue 18's targets on Node 24: every throughput at least 0.9x, every p99 at most 1.2x of the Bolt baseline. */
const THROUGHPUT_TARGET = 0.9;
const P99_TARGET = 1.2;

/**
 * The two targeted figures of one load level (throughput and p99), with the ack-only ceiling.
 * The ratio is the median of the rounds' own ratios: app and baseline of one round ran back to back,
 * so a slower minute of this shared VM slows both of a pair, where it would move one side's median
 * alone. Measured with `npm run bench:calibrate` (Bolt against itself): see the README.
 */
function throughputFigures(group: string, connections: number, rounds: Rounds): Record<string, Figure> {
  const rps = (role: Role) => median(rounds[role].map((r) => r.requestsPerSecond));
  const p99 = (role: Role) => median(rounds[role].map((r) => r.p99));
  const paired = (of: (r: RoundResult) => number) =>
    median(rounds.app.map((r, i) => of(r) / of(rounds.baseline[i] as RoundResult)));
  const baselineName = "Bolt, same calls";
  const ceilingName = "ack-only Bolt";
  return {
    [`c${connections}.throughput`]: figure({
      group,
      name: `${connections} connections: requests/s, work done`,
      unit: "req/s",
      value: rps("app"),
      baseline: rps("baseline"),
      pairedRatio: paired((r) => r.requestsPerSecond),
      baselineName,
      target: { ratioAtLeast: THROUGHPUT_TARGET },
      ceiling: { name: ceilingName, value: rps("ceiling") },
    }),
    [`c${connections}.p99`]: figure({
      group,
      name: `${connections} connections: p99 ack latency`,
      unit: "ms",
      value: p99("app"),
      baseline: p99("baseline"),
      // A p99 of 0 ms (sub-millisecond) cannot be divided: those rounds are compared by medians.
      ...(rounds.baseline.every((r) => r.p99 > 0) ? { pairedRatio: paired((r) => r.p99) } : {}),
      baselineName,
      target: { ratioAtMost: P99_TARGET },
      ceiling: { name: ceilingName, value: p99("ceiling") },
    }),
  };
}

/** A round, in one line, for the progress log. */
function describeRound(role: Role, round: number, r: RoundResult): string {
  const calls = Object.entries(r.calls)
    .map(([m, n]) => `${m} ${(n / Math.max(1, r.acked)).toFixed(2)}`)
    .join(", ");
  return `    round ${round + 1} ${role.padEnd(8)} ${Math.round(r.requestsPerSecond)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, drain ${Math.round(r.drainMs)} ms${r.cpuMsPerRequest === undefined ? "" : `, CPU ${r.cpuMsPerRequest.toFixed(2)} ms/req`}${r.failed ? `, ${r.failed} FAILED` : ""}; per request: ${calls || "no Web API calls"}`;
}
