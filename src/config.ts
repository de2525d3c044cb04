import { z } from "zod";
import { OpVersion } from "./core/ids.js";
import {
  feedbackRetentionDaysFrom,
  redisPrefixFrom,
  redisUrlFrom,
  retentionDaysFrom,
  StoreConfigError,
  sqlitePathFrom,
  statsRetentionDaysFrom,
} from "./store/open.js";

/**
 * The Slack app's configuration, read once from the environment at start-up. Every problem is
 * reported together, each naming the variable and what a good value looks like; secret values are
 * never echoed back.
 */

/** Values people leave as `FOO=` in .env files mean "not set". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export const LogLevel = z.enum(LOG_LEVELS);
export type LogLevel = z.infer<typeof LogLevel>;

/** A positive number of `unit` up to `max` (decimals allowed: tests use fractions of an hour). */
const amount = (unit: string, example: string, max: number) =>
  optional(
    z.coerce
      .number({ error: `must be a number of ${unit} such as ${example}` })
      .positive(`must be more than 0 ${unit}, such as ${example}`)
      .max(max, `must be at most ${max} ${unit}`),
  );

export const Env = z.object({
  SLACK_BOT_TOKEN: optional(
    z
      .string()
      .trim()
      .regex(
        /^xoxb-[A-Za-z0-9-]+$/,
        "is not a bot token: copy the Bot User OAuth Token from OAuth & Permissions; it looks like xoxb-1234-5678-AbCdEf",
      ),
  ),
  SLACK_SIGNING_SECRET: optional(
    z
      .string()
      .trim()
      .regex(
        /^[0-9a-f]{32}$/i,
        "is not a signing secret: copy it from Basic Information > App Credentials; it is 32 hexadecimal characters",
      ),
  ),
  SLACK_APP_TOKEN: optional(
    z
      .string()
      .trim()
      .regex(
        /^xapp-[A-Za-z0-9-]+$/,
        "is not an app-level token: create one with the connections:write scope under Basic Information > App-Level Tokens; it looks like xapp-1-A0123-4567-abcdef",
      ),
  ),
  PORT: optional(
    z.coerce
      .number({ error: "must be a port number such as 3000" })
      .int("must be a whole port number such as 3000")
      .min(0, "must be between 0 and 65535")
      .max(65535, "must be between 0 and 65535"),
  ).transform((v) => v ?? 3000),
  SLACK_API_URL: optional(
    z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://slack.com/api/" })
      // The Web API client appends method names, so the base must end with a slash.
      .transform((url) => (url.endsWith("/") ? url : `${url}/`)),
  ),
  ESCALATION_CHANNEL: optional(
    z
      .string()
      .trim()
      .regex(
        /^[CGD][A-Z0-9]{8,}$/,
        "must be a channel id such as C0123456789 (in Slack: open the channel's details; the id is at the bottom of About), not a #name",
      ),
  ),
  ALLOW_PUBLIC_ESCALATION: optional(
    z.stringbool({ error: 'must be "true" or "false" (default false)' }),
  ).transform((v) => v ?? false),
  HOME_ESCALATIONS: optional(
    z
      .string()
      .trim()
      .regex(
        /^(everyone|escalation-channel|S[A-Z0-9]{8,})$/,
        'must be "everyone" (default), "escalation-channel" (members of ESCALATION_CHANNEL) or a user group id such as S0123456789',
      ),
  ).transform((v) => v ?? "everyone"),
  /** Checked against the content's versions in loadConfig (the content says which there are). */
  OP_VERSION: optional(z.string().trim()),
  SLACK_TIMEOUT_SECONDS: amount("seconds", "10", 120).transform((v) => v ?? 10),
  STALE_REMIND_HOURS: amount("hours", "24", 24 * 365).transform((v) => v ?? 24),
  STALE_ESCALATE_HOURS: amount("hours", "72", 24 * 365).transform((v) => v ?? 72),
  STALE_SCAN_SECONDS: amount("seconds", "300", 24 * 60 * 60).transform((v) => v ?? 300),
  PARENT_CONFIRM_REMIND_HOURS: amount("hours", "24", 24 * 365).transform((v) => v ?? 24),
  OUTBOX_RETRY_SECONDS: amount("seconds", "15", 60 * 60).transform((v) => v ?? 15),
  // DATABASE_URL, REDIS_URL, REDIS_PREFIX and RETENTION_DAYS are checked by the store (below).
  LOG_LEVEL: optional(
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")} (default info)` })),
  ).transform((v) => v ?? "info"),
});

export type HomeEscalations =
  | { kind: "everyone" }
  | { kind: "escalation-channel" }
  | { kind: "usergroup"; id: string };

export type SlackMode =
  | { kind: "http"; signingSecret: string; port: number }
  | { kind: "socket"; appToken: string; port: number };

export interface Config {
  botToken: string;
  mode: SlackMode;
  /** Undefined: the Web API client's default (https://slack.com/api/). */
  slackApiUrl: string | undefined;
  escalationChannel: string | undefined;
  allowPublicEscalation: boolean;
  /** Who sees the Escalations section of App Home. */
  homeEscalations: HomeEscalations;
  opVersion: OpVersion | undefined;
  retentionDays: number;
  /** How long stored questions and their 👍/👎 are kept (FEEDBACK_RETENTION_DAYS). */
  feedbackRetentionDays: number;
  logLevel: LogLevel;
  /** How long one Web API call may take before it counts as failed. */
  slackTimeoutMs: number;
  /** Unfinished conversations idle this long get one reminder in their thread... */
  staleRemindHours: number;
  /** ...and are escalated automatically after this long, with what is known and what is missing. */
  staleEscalateHours: number;
  /** How often the idle conversations are looked at. */
  staleScanMs: number;
  /**
   * A conversation waiting for a parent to confirm a change gets one reminder (with buttons to
   * confirm or reopen) after this long; it is never escalated automatically.
   */
  parentConfirmRemindHours: number;
  /** How often the escalation outbox is looked at (a failed post waits this long, doubling per failure). */
  outboxRetryMs: number;
}

/** Variables whose values must never appear in a message. */
const SECRETS = new Set(["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "REDIS_URL"]);

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(
      `the configuration has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems
        .map((p) => `  ${p}`)
        .join("\n")}`,
    );
  }
}

/**
 * Reads the whole configuration; throws ConfigError listing every problem at once. `opVersions`
 * are the OP versions the content covers (opVersionsOf): OP_VERSION must be one of them. Without
 * them (tests of other variables), OP_VERSION only has to look like a version.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
  opVersions?: readonly OpVersion[],
): Config {
  const parsed = Env.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      const given = SECRETS.has(name) || env[name] === undefined ? "" : ` (got "${env[name]}")`;
      problems.push(`${name}${given} ${issue.message}`);
    }
  }
  const opVersion = env.OP_VERSION?.trim() || undefined;
  if (
    opVersion !== undefined &&
    !(opVersions ? opVersions.includes(opVersion) : OpVersion.safeParse(opVersion).success)
  ) {
    const accepted = opVersions ? `one of ${opVersions.join(", ")}` : 'an OP version such as "14.19"';
    problems.push(
      `OP_VERSION (got "${opVersion}") must be ${accepted} (leave it unset to ask in each conversation)`,
    );
  }
  // The store owns these two formats; ask it rather than keeping a second copy of the rules.
  for (const check of [
    () => sqlitePathFrom(env.DATABASE_URL, cwd),
    () => redisUrlFrom(env.REDIS_URL),
    () => redisPrefixFrom(env.REDIS_PREFIX),
    () => retentionDaysFrom(env.RETENTION_DAYS),
    () => feedbackRetentionDaysFrom(env.FEEDBACK_RETENTION_DAYS),
    () => statsRetentionDaysFrom(env.STATS_RETENTION_DAYS),
  ]) {
    try {
      check();
    } catch (err) {
      if (!(err instanceof StoreConfigError)) throw err;
      problems.push(err.message);
    }
  }
  const set = (name: string) => (env[name] ?? "").trim() !== "";
  if (!set("SLACK_BOT_TOKEN")) {
    problems.unshift(
      "SLACK_BOT_TOKEN is missing: copy the Bot User OAuth Token from OAuth & Permissions; it looks like xoxb-1234-5678-AbCdEf",
    );
  }
  if (!set("SLACK_SIGNING_SECRET") && !set("SLACK_APP_TOKEN")) {
    problems.push(
      "SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is missing: set SLACK_SIGNING_SECRET (32 hexadecimal characters, Basic Information > App Credentials) to receive Slack's requests over HTTP, or SLACK_APP_TOKEN (xapp-..., with connections:write) for Socket Mode",
    );
  }
  const e = parsed.data;
  if (e) problems.push(...staleProblems(e.STALE_REMIND_HOURS, e.STALE_ESCALATE_HOURS, env.RETENTION_DAYS));
  if (e) problems.push(...parentReminderProblems(e.PARENT_CONFIRM_REMIND_HOURS, env.RETENTION_DAYS));
  if (e?.HOME_ESCALATIONS === "escalation-channel" && !e.ESCALATION_CHANNEL) {
    problems.push(
      "HOME_ESCALATIONS is escalation-channel but ESCALATION_CHANNEL is not set: set the channel id, or use everyone or a user group id",
    );
  }
  if (problems.length > 0 || !e?.SLACK_BOT_TOKEN) throw new ConfigError(problems);
  const mode: SlackMode = e.SLACK_APP_TOKEN
    ? { kind: "socket", appToken: e.SLACK_APP_TOKEN, port: e.PORT }
    : { kind: "http", signingSecret: e.SLACK_SIGNING_SECRET ?? "", port: e.PORT };
  return {
    botToken: e.SLACK_BOT_TOKEN,
    mode,
    slackApiUrl: e.SLACK_API_URL,
    escalationChannel: e.ESCALATION_CHANNEL,
    allowPublicEscalation: e.ALLOW_PUBLIC_ESCALATION,
    homeEscalations:
      e.HOME_ESCALATIONS === "everyone" || e.HOME_ESCALATIONS === "escalation-channel"
        ? { kind: e.HOME_ESCALATIONS }
        : { kind: "usergroup", id: e.HOME_ESCALATIONS },
    opVersion: e.OP_VERSION,
    retentionDays: retentionDaysFrom(env.RETENTION_DAYS),
    feedbackRetentionDays: feedbackRetentionDaysFrom(env.FEEDBACK_RETENTION_DAYS),
    logLevel: e.LOG_LEVEL,
    slackTimeoutMs: e.SLACK_TIMEOUT_SECONDS * 1000,
    staleRemindHours: e.STALE_REMIND_HOURS,
    staleEscalateHours: e.STALE_ESCALATE_HOURS,
    staleScanMs: e.STALE_SCAN_SECONDS * 1000,
    parentConfirmRemindHours: e.PARENT_CONFIRM_REMIND_HOURS,
    outboxRetryMs: e.OUTBOX_RETRY_SECONDS * 1000,
  };
}

/** The reminder comes before the automatic escalation, and both before the conversation expires. */
function staleProblems(remind: number, escalate: number, retention: string | undefined): string[] {
  const problems: string[] = [];
  if (escalate <= remind) {
    problems.push(
      `STALE_ESCALATE_HOURS (${escalate}) must be more than STALE_REMIND_HOURS (${remind}): the reminder comes first, e.g. 24 and 72`,
    );
  }
  let retentionDays: number;
  try {
    retentionDays = retentionDaysFrom(retention);
  } catch {
    return problems; // reported with the store's settings
  }
  if (escalate >= retentionDays * 24) {
    problems.push(
      `STALE_ESCALATE_HOURS (${escalate}) must be less than RETENTION_DAYS in hours (${retentionDays * 24}): the conversation would be deleted before it is escalated`,
    );
  }
  return problems;
}

/** The reminder to confirm with the parent comes before the conversation expires. */
function parentReminderProblems(remind: number, retention: string | undefined): string[] {
  let retentionDays: number;
  try {
    retentionDays = retentionDaysFrom(retention);
  } catch {
    return []; // reported with the store's settings
  }
  return remind >= retentionDays * 24
    ? [
        `PARENT_CONFIRM_REMIND_HOURS (${remind}) must be less than RETENTION_DAYS in hours (${retentionDays * 24}): the conversation would be deleted before the reminder`,
      ]
    : [];
}

/** The variables that only the Slack app reads, in the order the README introduces them. */
const SLACK_VARIABLES = [
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_APP_TOKEN",
  "ESCALATION_CHANNEL",
] as const;

/**
 * Which Slack-only variables are set (`npm start` decides with this): none means the terminal chat;
 * any means the Slack app was meant, so a half configuration is reported rather than ignored.
 */
export function slackVariablesSet(env: NodeJS.ProcessEnv): string[] {
  return SLACK_VARIABLES.filter((name) => (env[name] ?? "").trim() !== "");
}
