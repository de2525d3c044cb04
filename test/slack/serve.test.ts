import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, TSX_LOADER, tempDir } from "../support/cli.js";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.js";
import { SIGNING_SECRET } from "../support/slack-app.js";
import { commandBody } from "../support/slack-payloads.js";
import { signedHeaders } from "../support/slack-sign.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

describe("portal-check serve: configuration problems", () => {
  it("stops before listening and names every missing variable", async () => {
    const { code, stderr } = await runCli(["serve"], { env: {} });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^portal-check: cannot start the Slack app: the configuration has 2 problems:/);
    expect(stderr).toContain("SLACK_BOT_TOKEN is missing");
    expect(stderr).toContain("SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is missing");
    expect(stderr).not.toContain("    at "); // no stack trace
  });

  it("names malformed variables and what they should look like", async () => {
    const { code, stderr } = await runCli(["serve"], {
      env: {
        SLACK_BOT_TOKEN: "xoxb-1-2",
        SLACK_APP_TOKEN: "xoxb-wrong-kind",
        PORT: "99999",
        LLM_PROVIDER: "gpt",
      },
    });
    expect(code).toBe(2);
    expect(stderr).toContain("SLACK_APP_TOKEN is not an app-level token");
    expect(stderr).toContain("xapp-");
    expect(stderr).toContain('PORT (got "99999") must be between 0 and 65535');
  });

  it("explains a rejected bot token", async () => {
    const slack = await startFakeSlack();
    try {
      slack.failNext("auth.test", { error: "invalid_auth" });
      const { code, stderr } = await runCli(["serve"], {
        env: { SLACK_BOT_TOKEN: "xoxb-1-2", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url },
      });
      expect(code).toBe(2);
      expect(stderr).toContain("Slack rejected SLACK_BOT_TOKEN (invalid_auth)");
    } finally {
      await slack.close();
    }
  });

  it("rejects arguments: it is configured by environment variables", async () => {
    const { code, stderr } = await runCli(["serve", "--port", "80"], { env: {} });
    expect(code).toBe(2);
    expect(stderr).toContain("serve takes no arguments");
  });
});

describe("portal-check start", () => {
  it("runs the terminal chat with a one-line note when no Slack credentials are set", async () => {
    const { code, stdout, stderr } = await runCli(["start"], {
      env: { OP_VERSION: "14.19" },
      stdin: "quit\n",
    });
    expect(code).toBe(0);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN)");
    expect(stdout).toContain(
      "Did the parents share an email address, and does each have one of their own now?",
    );
  });
});

describe("portal-check serve in its own process", () => {
  let child: ChildProcess | undefined;
  let slack: FakeSlack | undefined;
  afterEach(async () => {
    child?.kill("SIGKILL");
    await slack?.close();
  });

  it("serves /healthz and /slack/events until SIGTERM, then stops cleanly", async () => {
    slack = await startFakeSlack();
    const dir = tempDir();
    child = spawn(process.execPath, ["--import", TSX_LOADER, MAIN, "serve"], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        SLACK_BOT_TOKEN: "xoxb-1-2",
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.url,
        PORT: "0",
        OP_VERSION: "14.19",
        DATABASE_URL: join(dir, "db.sqlite"),
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child?.on("exit", (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start-up line: ${stderr}`)), 120_000);
      child?.stderr?.on("data", () => {
        const match = /listening on port (\d+)/.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
    });
    expect(stderr).toContain("Slack app for");
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);

    const raw = commandBody("", { responseUrl: "http://127.0.0.1:9/unused" });
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: "POST",
      headers: signedHeaders(SIGNING_SECRET, raw, "application/x-www-form-urlencoded"),
      body: raw,
    });
    expect(res.status).toBe(200);
    for (let i = 0; i < 50 && slack.count("chat.postMessage") < 2; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(slack.count("chat.postMessage")).toBe(2); // the root and the first check

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr).toContain("Slack app stopped.");
    child = undefined;
    // The child compiles the app with tsx first: minutes, not seconds, on a busy 2-core machine.
  }, 240_000);
});
