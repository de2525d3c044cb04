import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.js";
import { outputOf } from "../support/process.js";

// The first test loads the Slack app's modules through tsx: slow on a busy machine.
describe("npm start with part of the Slack configuration", { timeout: 120_000 }, () => {
  it("only SLACK_BOT_TOKEN: exit 2 naming the missing secret or app token, not the terminal chat", async () => {
    const { code, stdout, stderr } = await runCli(["start"], {
      env: { SLACK_BOT_TOKEN: "xoxb-1234-5678-AbCdEf", OP_VERSION: "14.19" },
      stdin: "1\n",
    });
    expect(code).toBe(2);
    expect(stderr).toContain("cannot start the Slack app");
    expect(stderr).toContain("SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is missing");
    expect(stderr).toContain("because SLACK_BOT_TOKEN is set; unset it to use the terminal chat instead");
    expect(stderr).not.toContain("SLACK_BOT_TOKEN is missing");
    expect(stdout).toBe(""); // no chat screen
  });

  it("only a signing secret, or only an app token: exit 2 naming the missing bot token", async () => {
    for (const env of [
      { SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99aaabbb85a5" },
      { SLACK_APP_TOKEN: "xapp-1-A0123-4567-abcdef" },
    ]) {
      const { code, stdout, stderr } = await runCli(["start"], { env, stdin: "1\n" });
      expect(code).toBe(2);
      expect(stderr).toContain("SLACK_BOT_TOKEN is missing");
      expect(stderr).not.toContain("SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is missing");
      expect(stdout).toBe("");
    }
  });

  it("only ESCALATION_CHANNEL: the Slack app was meant, so both missing credentials are named", async () => {
    const { code, stderr } = await runCli(["start"], { env: { ESCALATION_CHANNEL: "C0123456789" } });
    expect(code).toBe(2);
    expect(stderr).toContain("SLACK_BOT_TOKEN is missing");
    expect(stderr).toContain("SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is missing");
    expect(stderr).toContain("because ESCALATION_CHANNEL is set");
  });

  it("blank values count as unset: the terminal chat", async () => {
    const { code, stdout } = await runCli(["start"], {
      env: { SLACK_BOT_TOKEN: " ", SLACK_SIGNING_SECRET: "", OP_VERSION: "14.19" },
      stdin: "quit\n",
    });
    expect(code).toBe(0);
    expect(stdout).toContain(
      "Did the parents share an email address, and does each have one of their own now?",
    );
  });
});

/**
 * scripts/build-stamp.mjs, the real script, run by a real npm in a throw-away project whose `build`
 * has the same shape as ours (begin, the steps, end) and counts how often it ran.
 */
describe("npm start builds only when the build's inputs changed", () => {
  const STAMP_SCRIPT = fileURLToPath(new URL("../../scripts/build-stamp.mjs", import.meta.url));

  function project() {
    const dir = tempDir("portal-check-stamp-");
    mkdirSync(join(dir, "scripts"));
    mkdirSync(join(dir, "src"));
    mkdirSync(join(dir, "knowledge"));
    copyFileSync(STAMP_SCRIPT, join(dir, "scripts/build-stamp.mjs"));
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({
        name: "stamp-test",
        private: true,
        scripts: {
          build: "node scripts/build-stamp.mjs begin && node build.mjs && node scripts/build-stamp.mjs end",
        },
      }),
    );
    // The "build": fails while a file named FAIL exists, else writes the bundle and counts itself.
    writeFileSync(
      join(dir, "build.mjs"),
      `import { appendFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
if (existsSync("FAIL")) { console.error("build broke"); process.exit(1); }
appendFileSync("builds.log", "built\\n");
mkdirSync("dist/bundle", { recursive: true });
writeFileSync("dist/bundle/main.js", "");
`,
    );
    writeFileSync(join(dir, "src/main.ts"), "export const a = 1;\n");
    writeFileSync(join(dir, "knowledge/topic.md"), "# A topic\n");
    return dir;
  }

  async function ensure(dir: string) {
    // Without npm_execpath the script runs `npm` from PATH, as when it is run by hand.
    const env = { ...process.env };
    delete env.npm_execpath;
    const child = spawn(process.execPath, ["scripts/build-stamp.mjs", "ensure"], { cwd: dir, env });
    return outputOf(child);
  }
  const builds = (dir: string) => {
    try {
      return readFileSync(join(dir, "builds.log"), "utf8").split("\n").filter(Boolean).length;
    } catch {
      return 0;
    }
  };

  it("builds the first time, not again while nothing changed, and again after an edit", async () => {
    const dir = project();
    try {
      let run = await ensure(dir);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain("not built yet; building first");
      expect(builds(dir)).toBe(1);

      run = await ensure(dir);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe("");
      expect(builds(dir)).toBe(1);

      // Rewriting a file with the same bytes (a checkout, a copy) is no change.
      writeFileSync(join(dir, "src/main.ts"), "export const a = 1;\n");
      expect((await ensure(dir)).stderr).toBe("");
      expect(builds(dir)).toBe(1);

      for (const [file, text] of [
        ["src/main.ts", "export const a = 2;\n"],
        ["knowledge/topic.md", "# A topic, edited\n"],
        ["src/new-file.ts", "export {};\n"],
      ]) {
        writeFileSync(join(dir, file as string), text as string);
        run = await ensure(dir);
        expect(run.code).toBe(0);
        expect(run.stderr).toContain("the sources changed since the last build; building first");
      }
      expect(builds(dir)).toBe(4);

      rmSync(join(dir, "src/new-file.ts"));
      await ensure(dir);
      expect(builds(dir)).toBe(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("a failed build stops npm start with its exit code, and the next start builds again", async () => {
    const dir = project();
    try {
      await ensure(dir);
      writeFileSync(join(dir, "src/main.ts"), "export const a = 3;\n");
      writeFileSync(join(dir, "FAIL"), "");
      const failed = await ensure(dir);
      expect(failed.code).not.toBe(0);
      expect(failed.stderr).toContain("build broke");

      rmSync(join(dir, "FAIL"));
      const next = await ensure(dir);
      expect(next.code).toBe(0);
      expect(next.stderr).toContain("building first");
      expect(builds(dir)).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("a deleted bundle is rebuilt even though the inputs did not change", async () => {
    const dir = project();
    try {
      await ensure(dir);
      rmSync(join(dir, "dist/bundle/main.js"));
      const run = await ensure(dir);
      expect(run.stderr).toContain("not built yet");
      expect(builds(dir)).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
