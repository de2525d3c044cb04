import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_BUILD, ROOT, TSX_LOADER } from "../../bench/paths.js";
import { median, type Results, Results as ResultsSchema } from "../../bench/report.js";
import { settingsFor } from "../../bench/settings.js";
import { type Finished, outputOf } from "../support/process.js";
import { redisUnavailable } from "../support/redis-server.js";

/**
 * `npm run bench` end to end on tiny sizes (BENCH_MODE=tiny): every piece runs against the real app,
 * the baselines and the fake Slack API, and results.json has its shape. No timing is asserted here:
 * targets live in the benchmark's own output.
 */

let dir: string;
let run: Finished;
let results: Results;

beforeAll(async () => {
  // The benchmark measures the build, as users run it; `npm ci` (prepare) and `npm run bench` make it.
  if (!existsSync(CLI_BUILD)) throw new Error("dist/ is missing: run `npm run build` first");
  dir = mkdtempSync(join(tmpdir(), "portal-check-bench-test-"));
  run = await outputOf(
    spawn(process.execPath, ["--import", TSX_LOADER, join(ROOT, "bench/run.ts")], {
      cwd: ROOT,
      env: {
        ...process.env,
        BENCH_MODE: "tiny",
        BENCH_OUT: join(dir, "results.json"),
        BENCH_RESULTS_DIR: dir,
      },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  if (run.code !== 0) throw new Error(`bench/run.ts exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
  results = ResultsSchema.parse(JSON.parse(readFileSync(join(dir, "results.json"), "utf8")));
  // Generous: the tiny run took over 4 minutes on a 2-core machine shared with other heavy work.
}, 900_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const REDIS_FIGURES = ["click.redis.c10.throughput", "click.redis.c10.p99"];
const FIGURES = [
  "slash.c10.throughput",
  "slash.c10.p99",
  "click.sqlite.c10.throughput",
  "click.sqlite.c10.p99",
  "rules.seconds",
  "rules.peak_rss",
  "retrieval.p50",
  "retrieval.p99",
  "cold_start.ms",
];

describe("npm run bench (tiny sizes)", () => {
  it("measures every figure beside its baseline, and nothing failed", () => {
    expect(results.mode).toBe("tiny");
    expect(results.failed).toEqual([]);
    for (const id of FIGURES) expect(Object.keys(results.figures)).toContain(id);
    if (redisUnavailable) {
      expect(results.skipped).toEqual([{ benchmark: "click-redis", reason: redisUnavailable }]);
    } else {
      for (const id of REDIS_FIGURES) expect(Object.keys(results.figures)).toContain(id);
    }
  });

  it("gives each figure a positive value and baseline, their ratio, a target and whether it is met", () => {
    for (const [id, f] of Object.entries(results.figures)) {
      expect(f.value, id).toBeGreaterThan(0);
      expect(f.baseline, id).toBeGreaterThan(0);
      // Paired figures keep value / baseline beside the median of their rounds' ratios.
      expect(f.unpairedRatio ?? f.ratio, id).toBeCloseTo(f.value / f.baseline, 1);
      expect(f.target, id).toMatch(/^(ratio [<>]= [\d.]+|value < [\d.]+( \S+)?)$/);
      const [, , op, limit] = /^(ratio|value) ([<>]=?) ([\d.]+)/.exec(f.target) ?? [];
      const subject = f.target.startsWith("ratio") ? f.ratio : f.value;
      const expected =
        op === ">="
          ? subject >= Number(limit)
          : op === "<="
            ? subject <= Number(limit)
            : subject < Number(limit);
      // `met` is worked out from unrounded numbers; only a figure right at its limit may differ.
      if (Math.abs(subject - Number(limit)) > 0.01) expect(f.met, id).toBe(expected);
    }
    expect(results.figures["slash.c10.throughput"]?.ceiling?.name).toBe("ack-only Bolt");
  });

  it("has the baseline make exactly the Web API calls the app made, and every click move its conversation", () => {
    const details = results.details as Record<
      string,
      {
        levels: Record<
          string,
          Record<string, Array<{ acked: number; failed: number; calls: Record<string, number> }>>
        >;
      }
    >;
    for (const bench of ["slash", "click-sqlite", ...(redisUnavailable ? [] : ["click-redis"])]) {
      const rounds = details[bench]?.levels.c10;
      expect(rounds, bench).toBeDefined();
      const [app] = rounds?.app ?? [];
      const [baseline] = rounds?.baseline ?? [];
      const [ceiling] = rounds?.ceiling ?? [];
      expect(app?.acked, bench).toBe(settingsFor("tiny").slack.requestsPerRound);
      expect(app?.failed, bench).toBe(0);
      expect(Object.keys(app?.calls ?? {}).length, bench).toBeGreaterThan(0);
      // Same methods, same counts: the replay baseline follows the app's calls per request.
      expect(baseline?.calls, bench).toEqual(app?.calls);
      expect(app?.calls.response_url, `${bench}: stale or failed requests`).toBeUndefined();
      expect(ceiling?.calls, bench).toEqual({});
    }
  });

  it("gives the Slack figures the median of each round's app/baseline ratio", () => {
    const details = results.details as Record<
      string,
      { levels: Record<string, Record<string, Array<{ requestsPerSecond: number; p99: number }>>> }
    >;
    const rounds = details.slash?.levels.c10;
    const pairs = (rounds?.app ?? []).map(
      (r, i) => r.requestsPerSecond / (rounds?.baseline?.[i]?.requestsPerSecond ?? 0),
    );
    expect(pairs.length).toBe(settingsFor("tiny").slack.rounds);
    expect(results.figures["slash.c10.throughput"]?.ratio).toBeCloseTo(median(pairs), 2);
    expect(results.figures["slash.c10.throughput"]?.unpairedRatio).toBeDefined();
  });

  it("prints the table with every group and the machine it ran on", () => {
    expect(run.stdout).toContain(`machine: ${results.machine.cpus} x`);
    for (const group of new Set(Object.values(results.figures).map((f) => f.group))) {
      expect(run.stdout).toContain(`${group}:`);
    }
  });

  it("writes the rules and retrieval benchmarks' own results beside it, not into bench/results", () => {
    expect(existsSync(join(dir, "rules.json"))).toBe(true);
    expect(existsSync(join(dir, "retrieval.json"))).toBe(true);
  });
});

describe("npm run bench:calibrate (tiny sizes)", () => {
  let calibration: Results;
  beforeAll(async () => {
    const out = join(dir, "calibration.json");
    const done = await outputOf(
      spawn(process.execPath, ["--import", TSX_LOADER, join(ROOT, "bench/run.ts")], {
        cwd: ROOT,
        env: {
          ...process.env,
          BENCH_MODE: "tiny",
          BENCH_ONLY: "calibrate",
          BENCH_OUT: out,
          BENCH_RESULTS_DIR: dir,
        },
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    if (done.code !== 0) throw new Error(`bench/run.ts exited ${done.code}:\n${done.stdout}\n${done.stderr}`);
    calibration = ResultsSchema.parse(JSON.parse(readFileSync(out, "utf8")));
  }, 600_000);

  it("runs only the A/A comparison, whose two sides are the same Bolt app making the same calls", () => {
    expect(Object.keys(calibration.figures).sort()).toEqual([
      "calibrate.c10.p99",
      "calibrate.c10.throughput",
    ]);
    const rounds = (
      calibration.details.calibrate as {
        levels: Record<string, Record<string, Array<{ calls: Record<string, number>; failed: number }>>>;
      }
    ).levels.c10;
    expect(rounds?.app?.[0]?.failed).toBe(0);
    expect(Object.keys(rounds?.app?.[0]?.calls ?? {}).length).toBeGreaterThan(0);
    expect(rounds?.baseline?.[0]?.calls).toEqual(rounds?.app?.[0]?.calls);
  });

  it("is not part of a plain `npm run bench`", () => {
    expect(Object.keys(results.figures).some((id) => id.startsWith("calibrate."))).toBe(false);
  });
});
