import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SlackMessage } from "../../src/slack/blocks/prompt.js";
import { CLI, ROOT } from "../paths.js";
import type { ServerSpec } from "./server-process.js";

/** The credentials every app in the benchmark runs with (the fake Slack API accepts any token). */
export const SIGNING_SECRET = "be9c4be9c4be9c4be9c4be9c4be9c4aa";
const BOT_TOKEN = "xoxb-0000-bench-token";

/** Only what the processes need: no developer's LLM key, Redis URL or log level leaks in. */
function baseEnv(slackApiUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slackApiUrl,
  };
}

export type StoreChoice = { kind: "sqlite"; path: string } | { kind: "redis"; url: string; prefix: string };

/**
 * portal-check itself: `portal-check serve` from the build, HTTP mode, default log level.
 * BENCH_APP_NODE_ARGS adds node options, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
 */
export function portalCheck(slackApiUrl: string, store: StoreChoice): ServerSpec {
  const nodeArgs = process.env.BENCH_APP_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  return {
    name: `portal-check (${store.kind})`,
    args: [...nodeArgs, CLI, "serve"],
    env: {
      ...baseEnv(slackApiUrl),
      LOG_LEVEL: "info",
      ...(store.kind === "sqlite"
        ? { DATABASE_URL: store.path }
        : { REDIS_URL: store.url, REDIS_PREFIX: store.prefix }),
    },
  };
}

export function ackOnlyBolt(slackApiUrl: string): ServerSpec {
  return {
    name: "ack-only Bolt",
    args: [join(ROOT, "bench/baselines/ack-only.mjs")],
    env: baseEnv(slackApiUrl),
  };
}

/** The minimal Bolt app that makes `perRequest` Web API calls after each ack, posting `message`. */
export function replayBolt(
  slackApiUrl: string,
  perRequest: Record<string, number>,
  message: SlackMessage,
  dir: string,
): ServerSpec {
  const messageFile = join(dir, "replay-message.json");
  writeFileSync(messageFile, JSON.stringify(message));
  return {
    name: "Bolt, same Web API calls",
    args: [join(ROOT, "bench/baselines/replay.mjs")],
    env: {
      ...baseEnv(slackApiUrl),
      BENCH_REPLAY: JSON.stringify(perRequest),
      BENCH_MESSAGE_FILE: messageFile,
    },
  };
}
