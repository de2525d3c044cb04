import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { handle, startConversation } from "../../src/core/flow/engine.js";
import type { FlowEvent, FlowState } from "../../src/core/flow/state.js";
import type { OpVersion } from "../../src/core/ids.js";
import { openStore } from "../../src/store/open.js";
import { skipRedis, startRedis, type TestRedis } from "../helpers/redis-server.js";
import { runCli, tempDir } from "./helpers.js";

const ctx = loadContent();
const PHI = "Maria Lopez";

type Step = Omit<FlowEvent, "at"> & { at: string };
/** A conversation walked through the engine: started at `start`, then the given events. */
function walk(version: OpVersion, start: string, ...steps: Step[]): FlowState {
  let state = startConversation(ctx, { type: "start", at: start, version, text: `${PHI}'s mother` }).state;
  for (const step of steps) state = handle(ctx, state, step as FlowEvent).state;
  return state;
}

/**
 * The hand-computed fixture. November 2026 (UTC), conversations A-F; G is in October.
 *   A 14.19 Mon 11-02 10:00, fixed at shared-email 10:10          resolved, 10 min   week 45
 *   B 14.19 Tue 11-03 09:00, not fixed, fixed at duplicate-contact 09:30   30 min    week 45
 *   C 14.10 Tue 11-10 12:00, escalated with the form (names a parent)                week 46
 *   D 14.10 Wed 11-11 08:00, not fixed x2, fixed at patient-status 08:50   50 min    week 46
 *   E 14.19 Fri 11-20 15:00, one answer, never finished, then purged: abandoned      week 47
 *   F 14.19 Sat 11-28 11:00, one answer, still open                                  week 48
 *   G 14.19 Thu 10-15, resolved: outside the period
 * Totals: started 6, resolved 3, escalated 1, abandoned 1, open 1; escalation rate 1/5 = 20%;
 * median time to resolve of 10, 30, 50 min = 30 min.
 * 14.19: A B E F: 4 started, 2 resolved, 0 escalated, 1 abandoned, 1 open; rate 0/3 = 0%; median 20 min.
 * 14.10: C D: 2 started, 1 resolved, 1 escalated; rate 1/2 = 50%; median 50 min.
 */
async function seed(env: NodeJS.ProcessEnv, cwd: string) {
  const store = await openStore(env, cwd);
  const put = async (id: string, state: FlowState, storedAt: string) =>
    store.create(
      { id, key: null, state, surface: { channel: "C0FRONTDESK", parent: PHI } },
      new Date(storedAt),
    );
  await put(
    "A",
    walk("14.19", "2026-11-02T10:00:00.000Z", { type: "fixed", at: "2026-11-02T10:10:00.000Z" }),
    "2026-11-02T10:10:00.000Z",
  );
  await put(
    "B",
    walk(
      "14.19",
      "2026-11-03T09:00:00.000Z",
      { type: "not_fixed", at: "2026-11-03T09:10:00.000Z" },
      { type: "fixed", at: "2026-11-03T09:30:00.000Z" },
    ),
    "2026-11-03T09:30:00.000Z",
  );
  await put(
    "C",
    walk("14.10", "2026-11-10T12:00:00.000Z", { type: "escalate", at: "2026-11-10T12:05:00.000Z" }, {
      type: "submit_escalation",
      at: "2026-11-10T12:09:00.000Z",
      details: {
        parent_name: PHI,
        portal_emails: ["maria.lopez@example.org"],
        patients: ["Sofia Lopez"],
        steps_taken: "all",
        reset_authorized: true,
      },
    } as Step),
    "2026-11-10T12:09:00.000Z",
  );
  await put(
    "D",
    walk(
      "14.10",
      "2026-11-11T08:00:00.000Z",
      { type: "not_fixed", at: "2026-11-11T08:10:00.000Z" },
      { type: "not_fixed", at: "2026-11-11T08:20:00.000Z" },
      { type: "fixed", at: "2026-11-11T08:50:00.000Z" },
    ),
    "2026-11-11T08:50:00.000Z",
  );
  await put(
    "E",
    walk("14.19", "2026-11-20T15:00:00.000Z", { type: "not_fixed", at: "2026-11-20T15:05:00.000Z" }),
    "2026-11-20T15:05:00.000Z",
  );
  await put(
    "G",
    walk("14.19", "2026-10-15T10:00:00.000Z", { type: "fixed", at: "2026-10-15T10:05:00.000Z" }),
    "2026-10-15T10:05:00.000Z",
  );
  // Everything above is purged (its outcome records stay); F is stored now, so it is still open.
  expect(await store.purge(new Date())).toBe(6);
  await put(
    "F",
    walk("14.19", "2026-11-28T11:00:00.000Z", { type: "not_fixed", at: "2026-11-28T11:05:00.000Z" }),
    new Date().toISOString(),
  );
  await store.close();
}

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
      expect(await bad("--json", "--csv")).toContain("choose one of --json and --csv");
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
