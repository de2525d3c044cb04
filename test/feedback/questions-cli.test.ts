import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { openStore } from "../../src/store/open.js";
import { runCli, tempDir } from "../support/cli.js";
import { redisForFile, skipRedis } from "../support/redis-server.js";

/** `portal-check questions` on a real store: what to review, most frequent first, and --to-eval. */

async function seed(env: NodeJS.ProcessEnv) {
  const store = await openStore(env);
  const add = (id: string, text: string, extra: Record<string, unknown> = {}) =>
    store.recordQuestion({ id, text, outcome: "answer", top: "shared-email", confidence: 0.9, ...extra });
  await add("a1", "portal broken for the <name> family", { outcome: "guide", top: null, confidence: 0.1 });
  await add("a2", "portal broken for the <name> family", { outcome: "guide", top: null, confidence: 0.1 });
  await add("a3", "Portal broken for the <name> family", { outcome: "guide", top: null, confidence: 0.2 });
  await add("b1", "how do I fix the fax", { outcome: "refuse", top: null, confidence: 0 });
  await add("c1", "mom and dad share an email");
  await store.recordVerdict("c1", "up");
  await add("d1", "grandma shows twice", { top: "duplicate-contact" });
  await store.recordVerdict("d1", "down");
  await add("e1", "something unsure", { confidence: 0.2 });
  await store.close();
}

function cases(name: string, envFor: () => NodeJS.ProcessEnv) {
  describe(`portal-check questions (${name})`, () => {
    it("lists refused, guided, 👎 and unsure questions, most frequent first; not the 👍 ones", async () => {
      const env = envFor();
      await seed(env);
      const { code, stdout } = await runCli(["questions", "--json"], { env });
      expect(code).toBe(0);
      const items = JSON.parse(stdout) as Array<{
        text: string;
        count: number;
        reasons: string[];
        answered: string[];
      }>;
      expect(items[0]).toMatchObject({
        text: "portal broken for the <name> family",
        count: 3,
        reasons: ["guided"],
        answered: ["(guided check)"],
      });
      expect(items.map((i) => i.text).sort()).toEqual(
        [
          "grandma shows twice",
          "how do I fix the fax",
          "portal broken for the <name> family",
          "something unsure",
        ].sort(),
      );
      expect(items.find((i) => i.text === "grandma shows twice")?.reasons).toEqual(["thumbs-down"]);
      expect(items.find((i) => i.text === "something unsure")?.reasons).toEqual(["low-confidence"]);
      expect(items.find((i) => i.text === "how do I fix the fax")?.reasons).toEqual(["unanswered"]);

      const text = await runCli(["questions"], { env });
      expect(text.stdout).toContain("4 questions to review, most frequent first");
      expect(text.stdout).toMatch(/ {3}3× {2}portal broken for the <name> family/);
    });
  });
}

const root = tempDir("portal-check-questions-cli-");
let n = 0;
cases("SQLite", () => ({ DATABASE_URL: join(root, `q${n++}.db`), REDIS_URL: "" }));

const redisHolder = redisForFile();
describe.skipIf(skipRedis)("Redis", () => {
  cases("Redis", () => ({
    REDIS_URL: redisHolder.current?.url ?? "",
    REDIS_PREFIX: redisHolder.current?.newPrefix() ?? "",
  }));
});

describe("portal-check questions --to-eval", () => {
  it("appends reviewed items to the tuning file, skipping unreviewed and known ones", async () => {
    const dir = tempDir("portal-check-to-eval-");
    const evalFile = join(dir, "tuning.yaml");
    writeFileSync(evalFile, "- q: who do I call\n  accept: [escalation]\n  number: true\n");
    const reviewed = join(dir, "reviewed.json");
    writeFileSync(
      reviewed,
      JSON.stringify([
        { text: "portal broken for the <name> family", count: 3, reasons: ["guided"], accept: ["guide"] },
        { text: "support line pls", accept: ["escalation"], number: true },
        { text: "how do I fix the fax", accept: [] },
        { text: "not reviewed yet", count: 1 },
        { text: "Who do I call", accept: ["escalation"] },
      ]),
    );
    const { code, stdout } = await runCli(["questions", "--to-eval", reviewed, "--eval-file", evalFile], {
      cwd: dir,
    });
    expect(code).toBe(0);
    expect(stdout).toContain("Added 3 questions");
    expect(stdout).toContain('skipped "not reviewed yet": no accept list (not reviewed)');
    expect(stdout).toContain('skipped "Who do I call": already in the evaluation set');
    expect(parse(readFileSync(evalFile, "utf8"))).toEqual([
      { q: "who do I call", accept: ["escalation"], number: true },
      { q: "portal broken for the <name> family", accept: ["guide"] },
      { q: "support line pls", accept: ["escalation"], number: true },
      { q: "how do I fix the fax", accept: [] },
    ]);
  });

  it("refuses the held-out part and says what is wrong with a bad list", async () => {
    const dir = tempDir("portal-check-to-eval-");
    const reviewed = join(dir, "reviewed.json");
    writeFileSync(reviewed, JSON.stringify([{ text: "a question", accept: ["no-such-check"] }]));
    writeFileSync(join(dir, "held-out.yaml"), "[]\n");
    const heldOut = await runCli(["questions", "--to-eval", reviewed, "--eval-file", "held-out.yaml"], {
      cwd: dir,
    });
    expect(heldOut.code).not.toBe(0);
    expect(heldOut.stderr).toContain("never writes to the held-out part");
    writeFileSync(join(dir, "tuning.yaml"), "[]\n");
    const bad = await runCli(["questions", "--to-eval", reviewed, "--eval-file", "tuning.yaml"], {
      cwd: dir,
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("item 0, accept.0");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
