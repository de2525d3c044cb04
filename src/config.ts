import { z } from "zod";
import { OP_VERSIONS, type OpVersion } from "./core/ids.js";
import {
  redisPrefixFrom,
  redisUrlFrom,
  retentionDaysFrom,
  StoreConfigError,
  sqlitePathFrom,
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
  OP_VERSION: optional(
    z.enum(OP_VERSIONS, {
      error: `must be one of ${OP_VERSIONS.join(", ")} (leave it unset to ask in each conversation)`,
    }),
  ),
  // DATABASE_URL, REDIS_URL, REDIS_PREFIX and RETENTION_DAYS are checked by the store (below).
  LOG_LEVEL: optional(
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")} (default info)` })),
  ).transform((v) => v ?? "info"),
});

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
  opVersion: OpVersion | undefined;
  retentionDays: number;
  logLevel: LogLevel;
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

/** Reads the whole configuration; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  const parsed = Env.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      const given = SECRETS.has(name) || env[name] === undefined ? "" : ` (got "${env[name]}")`;
      problems.push(`${name}${given} ${issue.message}`);
    }
  }
  // The store owns these two formats; ask it rather than keeping a second copy of the rules.
  for (const check of [
    () => sqlitePathFrom(env.DATABASE_URL, cwd),
    () => redisUrlFrom(env.REDIS_URL),
    () => redisPrefixFrom(env.REDIS_PREFIX),
    () => retentionDaysFrom(env.RETENTION_DAYS),
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
    opVersion: e.OP_VERSION,
    retentionDays: retentionDaysFrom(env.RETENTION_DAYS),
    logLevel: e.LOG_LEVEL,
  };
}

/** True when the environment holds enough to try the Slack app (`npm start` decides with this). */
export function hasSlackCredentials(env: NodeJS.ProcessEnv): boolean {
  const set = (name: string) => (env[name] ?? "").trim() !== "";
  return set("SLACK_BOT_TOKEN") && (set("SLACK_SIGNING_SECRET") || set("SLACK_APP_TOKEN"));
}
