import { describe, expect, it } from "vitest";
import { ConfigError, hasSlackCredentials, loadConfig } from "../../src/config.js";

const GOOD = {
  SLACK_BOT_TOKEN: "xoxb-1234-5678-AbCdEf",
  SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99aaabbb85a5",
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, "/tmp");
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("reads HTTP mode with defaults", () => {
    expect(loadConfig(GOOD, "/tmp")).toEqual({
      botToken: GOOD.SLACK_BOT_TOKEN,
      mode: { kind: "http", signingSecret: GOOD.SLACK_SIGNING_SECRET, port: 3000 },
      slackApiUrl: undefined,
      escalationChannel: undefined,
      allowPublicEscalation: false,
      opVersion: undefined,
      retentionDays: 30,
      logLevel: "info",
    });
  });

  it("reads Socket Mode and every optional setting", () => {
    const config = loadConfig(
      {
        SLACK_BOT_TOKEN: GOOD.SLACK_BOT_TOKEN,
        SLACK_APP_TOKEN: "xapp-1-A0123-4567-abcdef",
        PORT: "8080",
        SLACK_API_URL: "http://localhost:9999/api",
        ESCALATION_CHANNEL: "G0ESCALATE",
        ALLOW_PUBLIC_ESCALATION: "true",
        OP_VERSION: "14.10",
        RETENTION_DAYS: "7",
        LOG_LEVEL: "DEBUG",
        DATABASE_URL: "sqlite:./data/x.db",
      },
      "/tmp",
    );
    expect(config.mode).toEqual({ kind: "socket", appToken: "xapp-1-A0123-4567-abcdef", port: 8080 });
    expect(config).toMatchObject({
      slackApiUrl: "http://localhost:9999/api/",
      escalationChannel: "G0ESCALATE",
      allowPublicEscalation: true,
      opVersion: "14.10",
      retentionDays: 7,
      logLevel: "debug",
    });
  });

  it("treats empty values (FOO= in a .env file) as unset", () => {
    expect(loadConfig({ ...GOOD, PORT: "", OP_VERSION: " ", ESCALATION_CHANNEL: "" }, "/tmp")).toMatchObject({
      mode: { port: 3000 },
      opVersion: undefined,
      escalationChannel: undefined,
    });
  });

  it("names each missing variable and what it looks like", () => {
    const found = problems({});
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^SLACK_BOT_TOKEN is missing: .*xoxb-/);
    expect(found[1]).toMatch(/^SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is missing: .*32 hexadecimal.*xapp-/);
  });

  it("names each malformed variable, says what is accepted, and never echoes a secret", () => {
    const found = problems({
      SLACK_BOT_TOKEN: "xoxp-user-token-secret",
      SLACK_SIGNING_SECRET: "not-a-secret-value",
      PORT: "eighty",
      SLACK_API_URL: "slack.com/api",
      ESCALATION_CHANNEL: "#support-escalations",
      ALLOW_PUBLIC_ESCALATION: "yes please",
      OP_VERSION: "20",
      LOG_LEVEL: "loud",
      RETENTION_DAYS: "forever",
      DATABASE_URL: "postgres://db/portal",
      REDIS_URL: "http://cache:6379",
    });
    const byVariable = (name: string) => found.find((p) => p.startsWith(name)) ?? "";
    expect(byVariable("SLACK_BOT_TOKEN")).toContain("xoxb-");
    expect(byVariable("SLACK_SIGNING_SECRET")).toContain("32 hexadecimal characters");
    expect(byVariable("PORT")).toContain("port number such as 3000");
    expect(byVariable("SLACK_API_URL")).toContain("https://slack.com/api/");
    expect(byVariable("ESCALATION_CHANNEL")).toContain("channel id such as C0123456789");
    expect(byVariable("ALLOW_PUBLIC_ESCALATION")).toContain('"true" or "false"');
    expect(byVariable("OP_VERSION")).toContain("14.19, 14.10");
    expect(byVariable("LOG_LEVEL")).toContain("debug");
    expect(byVariable("RETENTION_DAYS")).toContain("number of days");
    expect(byVariable("DATABASE_URL")).toContain("SQLite file path");
    expect(byVariable("REDIS_URL")).toContain("redis://");
    const all = found.join("\n");
    for (const secret of ["xoxp-user-token-secret", "not-a-secret-value", "http://cache:6379"])
      expect(all).not.toContain(secret);
    expect(all).toContain('(got "eighty")'); // non-secret values are shown to help
  });

  it("knows when Slack credentials are there (npm start chooses the Slack app)", () => {
    expect(hasSlackCredentials(GOOD)).toBe(true);
    expect(hasSlackCredentials({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" })).toBe(true);
    expect(hasSlackCredentials({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: " " })).toBe(false);
    expect(hasSlackCredentials({})).toBe(false);
  });
});
