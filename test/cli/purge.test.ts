import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { startConversation } from "../../src/core/flow/engine.js";
import { openStore } from "../../src/store/open.js";
import { runCli, tempDir } from "../support/cli.js";
import { skipRedis, startRedis, type TestRedis } from "../support/redis-server.js";

const DAY = 24 * 60 * 60 * 1000;
const state = startConversation(loadContent(), { type: "start", at: new Date().toISOString() }).state;

/** Three conversations, last touched 10, 3 and 0 days ago; one of them with a saved escalation. */
async function seed(env: NodeJS.ProcessEnv, cwd: string) {
  const store = await openStore(env, cwd);
  const now = Date.now();
  for (const [id, daysAgo] of [
    ["ten", 10],
    ["three", 3],
    ["today", 0],
  ] as const) {
    await store.create({ id, key: `terminal:${id}`, state, surface: {} }, new Date(now - daysAgo * DAY));
  }
  await store.saveEscalation({ id: "e-ten", conversationId: "ten", payload: {} }, new Date(now - 10 * DAY));
  await store.close();
}

async function remaining(env: NodeJS.ProcessEnv, cwd: string) {
  const store = await openStore(env, cwd);
  const ids = [];
  for (const id of ["ten", "three", "today"]) if (await store.get(id)) ids.push(id);
  const escalation = await store.getEscalation("e-ten");
  await store.close();
  return { ids, escalation };
}

function purgeCases(name: string, setup: () => { env: NodeJS.ProcessEnv; cwd: string }) {
  describe(`portal-check purge (${name})`, () => {
    it("--older-than DAYS removes conversations idle longer than that, with their escalations", async () => {
      const { env, cwd } = setup();
      await seed(env, cwd);
      const result = await runCli(["purge", "--older-than", "5"], { env, cwd });
      expect(result).toEqual({
        code: 0,
        stdout: "Removed 1 stored conversation idle for more than 5 days.\n",
        stderr: "",
      });
      expect(await remaining(env, cwd)).toEqual({ ids: ["three", "today"], escalation: undefined });
      expect((await runCli(["purge", "--older-than", "5"], { env, cwd })).stdout).toBe(
        "No stored conversations idle for more than 5 days to remove.\n",
      );
    });

    it("without the option removes every conversation and says how many", async () => {
      const { env, cwd } = setup();
      await seed(env, cwd);
      const result = await runCli(["purge"], { env, cwd });
      expect(result).toEqual({ code: 0, stdout: "Removed 3 stored conversations.\n", stderr: "" });
      expect((await remaining(env, cwd)).ids).toEqual([]);
      expect((await runCli(["purge"], { env, cwd })).stdout).toBe("No stored conversations to remove.\n");
    });
  });
}

purgeCases("SQLite", () => {
  const cwd = tempDir();
  return { cwd, env: { DATABASE_URL: join(cwd, "store.sqlite") } };
});

let redis: TestRedis;
describe.skipIf(skipRedis)("on Redis", () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  purgeCases("Redis", () => ({
    cwd: tempDir(),
    env: { REDIS_URL: redis.url, REDIS_PREFIX: redis.newPrefix() },
  }));
});

describe("portal-check purge: where the store is not, or is busy", () => {
  it("refuses to create an empty store when DATABASE_URL is unset and there is no ./data store", async () => {
    const cwd = tempDir();
    const result = await runCli(["purge"], { cwd, env: {} });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("there is no conversation store here: DATABASE_URL is not set");
    expect(result.stderr).toContain("--create");
    expect(existsSync(join(cwd, "data"))).toBe(false);
  });

  it("refuses a DATABASE_URL naming a missing file, unless --create", async () => {
    const cwd = tempDir();
    const env = { DATABASE_URL: join(cwd, "elsewhere", "store.sqlite") };
    const refused = await runCli(["purge"], { cwd, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`DATABASE_URL points at ${env.DATABASE_URL}`);
    expect(existsSync(join(cwd, "elsewhere"))).toBe(false);
    expect(await runCli(["purge", "--create"], { cwd, env })).toEqual({
      code: 0,
      stdout: "No stored conversations to remove.\n",
      stderr: "",
    });
  });

  it("says the purge is not finished while another process reads the store, then finishes it", async () => {
    const cwd = tempDir();
    const env = { DATABASE_URL: join(cwd, "store.sqlite") };
    await seed(env, cwd);
    // Another process (the Slack app, a backup) in the middle of a read.
    const reader = new Database(env.DATABASE_URL);
    reader.prepare("BEGIN").run();
    reader.prepare("SELECT count(*) FROM conversations").get();
    const busy = await runCli(["purge"], { cwd, env });
    expect(busy.code).toBe(1);
    expect(busy.stdout).not.toContain("Removed");
    expect(busy.stderr).toContain("purge not finished: 3 stored conversations were deleted");
    expect(busy.stderr).toContain(`is reading ${env.DATABASE_URL}`);
    reader.prepare("COMMIT").run();
    reader.close();
    expect(await runCli(["purge"], { cwd, env })).toEqual({
      code: 0,
      stdout: "No stored conversations to remove.\n",
      stderr: "",
    });
    expect((await remaining(env, cwd)).ids).toEqual([]);
  }, 30_000);
});

describe("portal-check purge: bad input", () => {
  it.each([["abc"], ["-1"], ["7d"], ["0x10"], [""]])(
    'refuses --older-than "%s" with exit 2',
    async (days) => {
      const cwd = tempDir();
      const result = await runCli(["purge", `--older-than=${days}`], { cwd, env: {} });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        `portal-check: --older-than takes a number of days, 0 or more, such as 30 or 0.5 (got "${days}")\n`,
      );
      // Nothing was opened, so nothing was created.
      expect(existsSync(join(cwd, "data"))).toBe(false);
    },
  );

  it("explains a bad REDIS_URL, naming the variable and the accepted form", async () => {
    const result = await runCli(["purge"], { env: { REDIS_URL: "localhost:6379" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^portal-check: REDIS_URL must start with redis:\/\/ or rediss:\/\//);
  });

  it("refuses unknown options and arguments with its usage", async () => {
    const result = await runCli(["purge", "--all"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Usage: portal-check purge [--older-than DAYS]");
  });
});
