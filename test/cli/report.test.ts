import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.js";
import { skipRedis, startRedis, type TestRedis } from "../support/redis-server.js";
import { seed } from "./report-fixture.js";

const PERIOD = ["--since", "2026-11-01", "--until", "2026-11-30"];

function reportCases(name: string, setup: () => { env: NodeJS.ProcessEnv; cwd: string }) {
  describe(`portal-check report (${name})`, () => {
    let env: NodeJS.ProcessEnv;
    let cwd: string;
    beforeAll(async () => {
      ({ env, cwd } = setup());
      await seed(env, cwd);
    });

    it("--json gives the hand-computed figures", async () => {
      const result = await runCli(["report", ...PERIOD, "--by", "week", "--json"], { env, cwd });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(report.since).toBe("2026-11-01T00:00:00.000Z");
      expect(report.until).toBe("2026-12-01T00:00:00.000Z");
      expect(report.totals).toEqual({
        started: 6,
        resolved: 3,
        escalated: 1,
        abandoned: 1,
        open: 1,
        escalationRate: 0.2,
        medianMsToResolve: 30 * 60_000,
      });
      expect(report.fixedBy.filter((f: { count: number }) => f.count > 0)).toEqual([
        { check: "shared-email", count: 1 },
        { check: "duplicate-contact", count: 1 },
        { check: "patient-status", count: 1 },
      ]);
      expect(report.byVersion).toEqual([
        {
          key: "14.19",
          figures: {
            started: 4,
            resolved: 2,
            escalated: 0,
            abandoned: 1,
            open: 1,
            escalationRate: 0,
            medianMsToResolve: 20 * 60_000,
          },
        },
        {
          key: "14.10",
          figures: {
            started: 2,
            resolved: 1,
            escalated: 1,
            abandoned: 0,
            open: 0,
            escalationRate: 0.5,
            medianMsToResolve: 50 * 60_000,
          },
        },
        {
          key: "unknown",
          figures: {
            started: 0,
            resolved: 0,
            escalated: 0,
            abandoned: 0,
            open: 0,
            escalationRate: null,
            medianMsToResolve: null,
          },
        },
      ]);
      expect(
        report.by.groups.map((g: { key: string; figures: { started: number } }) => [
          g.key,
          g.figures.started,
        ]),
      ).toEqual([
        ["2026-W45", 2],
        ["2026-W46", 2],
        ["2026-W47", 1],
        ["2026-W48", 1],
      ]);
      expect(result.stdout).not.toContain("Lopez");
    });

    it("prints a readable table with bars, and --by check groups where each was fixed or stopped", async () => {
      const result = await runCli(["report", ...PERIOD, "--by", "check"], { env, cwd });
      expect(result.code).toBe(0);
      const out = result.stdout;
      expect(out).toContain("conversations started 2026-11-01 to 2026-11-30 (UTC)");
      expect(out).toMatch(/Started +█{30} 6\n/);
      expect(out).toMatch(/Resolved +█{15} +3\n/);
      expect(out).toContain("Escalation rate          20%");
      expect(out).toContain("Median time to resolve   30 min");
      expect(out).toMatch(/shared-email +█{30} 1/);
      expect(out).toMatch(/14\.10 +2 +1 +1 +0 +0 +50% +50 min/);
      // C was escalated at the first check; E and F stopped after their first answer.
      expect(out).toMatch(/shared-email +2 +1 +1 +0 +0 +50% +10 min/);
      expect(out).toMatch(/duplicate-contact +3 +1 +0 +1 +1 +0% +30 min/);
      expect(out).not.toContain("unknown"); // a version row without conversations is left out of the table
      expect(out).not.toMatch(/ +\n/);
      expect(out).not.toContain("Lopez");
    });

    it("--csv gives one row per figure group, for a spreadsheet", async () => {
      const result = await runCli(["report", ...PERIOD, "--by", "month", "--csv"], { env, cwd });
      const lines = result.stdout.trim().split("\n");
      expect(lines[0]).toBe(
        "section,key,started,resolved,escalated,abandoned,open,escalation_rate,median_minutes_to_resolve",
      );
      expect(lines).toContain("total,2026-11-01..2026-11-30,6,3,1,1,1,0.2000,30.0");
      expect(lines).toContain("version,14.10,2,1,1,0,0,0.5000,50.0");
      expect(lines).toContain("month,2026-11,6,3,1,1,1,0.2000,30.0");
      expect(lines).toContain("fixed_at,patient-status,,1,,,,,");
    });

    it("the default period is the last 30 days up to today; October alone has one resolved", async () => {
      const october = await runCli(["report", "--since", "2026-10-01", "--until", "2026-10-31", "--json"], {
        env,
        cwd,
      });
      expect(JSON.parse(october.stdout).totals).toMatchObject({
        started: 1,
        resolved: 1,
        medianMsToResolve: 5 * 60_000,
      });
      const recent = await runCli(["report"], { env, cwd });
      expect(recent.code).toBe(0);
      expect(recent.stdout).toMatch(/conversations started \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(UTC\)/);
    });

    it("explains a bad option and what it accepts", async () => {
      const bad = async (...args: string[]) => {
        const r = await runCli(["report", ...args], { env, cwd });
        expect(r.code).toBe(2);
        expect(r.stdout).toBe("");
        return r.stderr;
      };
      expect(await bad("--since", "11/01/2026")).toContain(
        '--since takes a day as YYYY-MM-DD, such as 2026-11-01 (got "11/01/2026")',
      );
      expect(await bad("--until", "2026-02-30")).toContain("--until takes a day as YYYY-MM-DD");
      expect(await bad("--by", "year")).toContain(
        '--by takes one of week, month, version, check (got "year")',
      );
      expect(await bad("--since", "2026-12-01", "--until", "2026-11-01")).toContain(
        "must be on or before --until",
      );
      expect(await bad("--json", "--csv")).toContain("choose one of --json, --csv and --html FILE");
      expect(await bad("--weekly")).toContain("Usage: portal-check report");
    });
  });
}

reportCases("SQLite", () => {
  const cwd = tempDir();
  // A long STATS_RETENTION_DAYS: the fixture's records must still be there whenever this runs.
  return { env: { DATABASE_URL: join(cwd, "db.sqlite"), STATS_RETENTION_DAYS: "3650" }, cwd };
});

let redis: TestRedis | undefined;
if (!skipRedis) {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
}
describe.skipIf(skipRedis)("on Redis", () => {
  reportCases("Redis", () => {
    if (!redis) throw new Error("Redis did not start");
    return {
      env: { REDIS_URL: redis.url, REDIS_PREFIX: redis.newPrefix(), STATS_RETENTION_DAYS: "3650" },
      cwd: tempDir(),
    };
  });
});
