/**
 * How much each benchmark does. `full` is `npm run bench`; `quick` (`npm run bench:quick`) is a
 * smoke run of every piece in under two minutes; `tiny` is for the test that checks the pieces
 * end to end. Only `full` figures belong in the README.
 */
export type Mode = "full" | "quick" | "tiny";

export interface Settings {
  mode: Mode;
  slack: {
    /** Load levels (concurrent connections). */
    connections: number[];
    /** Alternating rounds per level: each contender gets one per round. */
    rounds: number;
    requestsPerRound: number;
    /** Unmeasured requests per contender first (JIT warm-up; for the app also the call count). */
    warmupRequests: number;
    /**
     * Conversations the button benchmark clicks round-robin; each comes back after all the others,
     * so keep it well above the clicks per second times the app's slowest response.
     */
    conversations: number;
  };
  coldStartRuns: number;
  rules: { rows: number; runs: number };
  retrievalRunsPerQuestion: number;
}

const SETTINGS: Record<Mode, Settings> = {
  full: {
    mode: "full",
    slack: {
      connections: [10, 50],
      // Many shorter rounds rather than a few long ones: on this 2-core VM one round's ratio moves
      // between about 0.65x and 1.4x, even with Bolt against itself (npm run bench:calibrate), and
      // the median of sixteen pairs holds better than of ten.
      rounds: 16,
      requestsPerRound: 1500,
      // Long enough (about 3 s) to cover what the app does once after it listens: the knowledge Q&A
      // loads 2 s after start (src/slack/app.ts), which is start-up cost, not throughput.
      warmupRequests: 3000,
      conversations: 3000,
    },
    // One start's time moves by a third between runs here (the Bolt app's more than ours): 15 pairs.
    coldStartRuns: 15,
    // As `npm run bench:rules` runs by default.
    rules: { rows: 1_000_000, runs: 5 },
    retrievalRunsPerQuestion: 100,
  },
  quick: {
    mode: "quick",
    slack: {
      connections: [10, 50],
      rounds: 1,
      requestsPerRound: 800,
      warmupRequests: 300,
      conversations: 800,
    },
    coldStartRuns: 3,
    rules: { rows: 50_000, runs: 1 },
    retrievalRunsPerQuestion: 5,
  },
  tiny: {
    mode: "tiny",
    // Enough conversations that none is clicked twice in a round: a slow CI machine cannot make a click stale.
    slack: { connections: [10], rounds: 1, requestsPerRound: 200, warmupRequests: 100, conversations: 400 },
    coldStartRuns: 1,
    rules: { rows: 2_000, runs: 1 },
    retrievalRunsPerQuestion: 2,
  },
};

export function settingsFor(mode: string | undefined): Settings {
  const chosen = (mode ?? "full") as Mode;
  const settings = SETTINGS[chosen];
  if (!settings)
    throw new Error(`BENCH_MODE must be one of ${Object.keys(SETTINGS).join(", ")} (got "${mode}")`);
  return settings;
}
