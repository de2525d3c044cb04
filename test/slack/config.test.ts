import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, slackVariablesSet } from "../../src/config.js";
import { loadContent } from "../../src/content/load.js";
import { opVersionsOf } from "../../src/core/knowledge/schema.js";

/** OP_VERSION is checked against the versions the content covers, as serve does. */
const OP_VERSIONS = opVersionsOf(loadContent().knowledge);

const GOOD = {
  SLACK_BOT_TOKEN: "xoxb-1234-5678-AbCdEf",
  SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99aaabbb85a5",
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, "/tmp", OP_VERSIONS);
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
      homeEscalations: { kind: "everyone" },
      opVersion: undefined,
      retentionDays: 30,
      feedbackRetentionDays: 90,
      logLevel: "info",
      slackTimeoutMs: 10_000,
      staleRemindHours: 24,
      staleEscalateHours: 72,
      staleScanMs: 300_000,
      parentConfirmRemindHours: 24,
      outboxRetryMs: 15_000,
    });
  });

  it("reads PARENT_CONFIRM_REMIND_HOURS and says when the conversation would expire first", () => {
    expect(
      loadConfig({ ...GOOD, PARENT_CONFIRM_REMIND_HOURS: "0.25" }, "/tmp").parentConfirmRemindHours,
    ).toBe(0.25);
    expect(problems({ ...GOOD, PARENT_CONFIRM_REMIND_HOURS: "soon" }).join("\n")).toMatch(
      /^PARENT_CONFIRM_REMIND_HOURS \(got "soon"\)/m,
    );
    expect(
      problems({ ...GOOD, PARENT_CONFIRM_REMIND_HOURS: "800", RETENTION_DAYS: "30" }).join("\n"),
    ).toMatch(/PARENT_CONFIRM_REMIND_HOURS \(800\) must be less than RETENTION_DAYS in hours \(720\)/);
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
        HOME_ESCALATIONS: "S0SUPPORTLEADS",
        OP_VERSION: "14.10",
        RETENTION_DAYS: "7",
        STATS_RETENTION_DAYS: "200",
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
      homeEscalations: { kind: "usergroup", id: "S0SUPPORTLEADS" },
      opVersion: "14.10",
      retentionDays: 7,
      logLevel: "debug",
    });
  });

  it("explains HOME_ESCALATIONS and STATS_RETENTION_DAYS values it cannot use", () => {
    const found = problems({
      ...GOOD,
      HOME_ESCALATIONS: "#support-leads",
      STATS_RETENTION_DAYS: "forever",
    });
    expect(found.join("\n")).toContain(
      'HOME_ESCALATIONS (got "#support-leads") must be "everyone" (default)',
    );
    expect(found.join("\n")).toContain(
      'STATS_RETENTION_DAYS must be a number of days between 1 and 3650 (got "forever")',
    );
    expect(problems({ ...GOOD, HOME_ESCALATIONS: "escalation-channel" }).join("\n")).toContain(
      "HOME_ESCALATIONS is escalation-channel but ESCALATION_CHANNEL is not set",
    );
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

  it("reads the stale-conversation, outbox and timeout settings, fractions included", () => {
    expect(
      loadConfig(
        {
          ...GOOD,
          STALE_REMIND_HOURS: "0.5",
          STALE_ESCALATE_HOURS: "2",
          STALE_SCAN_SECONDS: "0.2",
          OUTBOX_RETRY_SECONDS: "1.5",
          SLACK_TIMEOUT_SECONDS: "3",
        },
        "/tmp",
      ),
    ).toMatchObject({
      staleRemindHours: 0.5,
      staleEscalateHours: 2,
      staleScanMs: 200,
      outboxRetryMs: 1500,
      slackTimeoutMs: 3000,
    });
  });

  it("says what is wrong with the stale-conversation and outbox settings", () => {
    const malformed = problems({
      ...GOOD,
      STALE_REMIND_HOURS: "a day",
      STALE_ESCALATE_HOURS: "-3",
      STALE_SCAN_SECONDS: "0",
      OUTBOX_RETRY_SECONDS: "7200",
      SLACK_TIMEOUT_SECONDS: "ten",
    });
    expect(malformed).toEqual([
      'SLACK_TIMEOUT_SECONDS (got "ten") must be a number of seconds such as 10',
      'STALE_REMIND_HOURS (got "a day") must be a number of hours such as 24',
      'STALE_ESCALATE_HOURS (got "-3") must be more than 0 hours, such as 72',
      'STALE_SCAN_SECONDS (got "0") must be more than 0 seconds, such as 300',
      'OUTBOX_RETRY_SECONDS (got "7200") must be at most 3600 seconds',
    ]);
    expect(problems({ ...GOOD, STALE_REMIND_HOURS: "48", STALE_ESCALATE_HOURS: "48" })).toEqual([
      "STALE_ESCALATE_HOURS (48) must be more than STALE_REMIND_HOURS (48): the reminder comes first, e.g. 24 and 72",
    ]);
    expect(problems({ ...GOOD, RETENTION_DAYS: "2" })).toEqual([
      "STALE_ESCALATE_HOURS (72) must be less than RETENTION_DAYS in hours (48): the conversation would be deleted before it is escalated",
    ]);
  });

  it("knows which Slack variables are set (npm start chooses the Slack app when any is)", () => {
    expect(slackVariablesSet(GOOD)).toEqual(["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]);
    expect(slackVariablesSet({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" })).toEqual([
      "SLACK_BOT_TOKEN",
      "SLACK_APP_TOKEN",
    ]);
    expect(slackVariablesSet({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: " " })).toEqual([
      "SLACK_BOT_TOKEN",
    ]);
    expect(slackVariablesSet({ ESCALATION_CHANNEL: "C0123456789" })).toEqual(["ESCALATION_CHANNEL"]);
    expect(slackVariablesSet({ OP_VERSION: "14.19", SLACK_API_URL: "http://localhost/" })).toEqual([]);
  });
});
