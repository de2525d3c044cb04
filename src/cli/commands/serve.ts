import { WebClient } from "@slack/web-api";
import { millisecondsInDay } from "date-fns/constants";
import { type Config, ConfigError, loadConfig } from "../../config.js";
import { loadContentQuickly } from "../../content/snapshot.js";
import { chatModelFromEnv, LlmConfigError } from "../../core/knowledge/llm-provider.js";
import { opVersionsOf } from "../../core/knowledge/schema.js";
import { createLogger, type Logger } from "../../log.js";
import { createSlackApp } from "../../slack/app.js";
import { knowledgeHelp } from "../../slack/knowledge-help.js";
import { platformError } from "../../slack/slack-errors.js";
import { openStore, StoreConfigError } from "../../store/open.js";
import { type ConversationStore, StorePurgeIncompleteError } from "../../store/types.js";
import { type Command, UsageError, write } from "../io.js";
import { keepServing } from "../process-guard.js";

const HELP = `Usage: portal-check serve

Runs the Slack app until it is stopped (Ctrl+C or SIGTERM). Configured by environment variables:
  SLACK_BOT_TOKEN        xoxb-… (required)
  SLACK_SIGNING_SECRET   HTTP mode: Slack posts to http://<host>:PORT/slack/events
  SLACK_APP_TOKEN        xapp-… Socket Mode: the app connects out to Slack (no public URL)
  PORT                   HTTP port, also for GET /healthz in Socket Mode (default 3000)
  ESCALATION_CHANNEL, ALLOW_PUBLIC_ESCALATION, OP_VERSION, DATABASE_URL, REDIS_URL,
  RETENTION_DAYS, STALE_REMIND_HOURS, STALE_ESCALATE_HOURS, STALE_SCAN_SECONDS,
  OUTBOX_RETRY_SECONDS, SLACK_TIMEOUT_SECONDS, LOG_LEVEL, SLACK_API_URL, LLM_PROVIDER:
  see the README's configuration table.

While it runs it also posts escalations Slack did not take at first (at start-up and every
OUTBOX_RETRY_SECONDS), reminds and then escalates idle conversations, and purges expired ones
hourly. Several instances may share one REDIS_URL: each of these happens once.
`;

const HOUR_MS = 60 * 60 * 1000;

export const serve: Command = async (args, io) => {
  if (args.includes("--help") || args.includes("-h")) {
    await write(io.stdout, HELP);
    return 0;
  }
  if (args.length > 0) {
    throw new UsageError(
      `serve takes no arguments (got "${args.join(" ")}"); it is configured by environment variables. Run \`portal-check serve --help\`.`,
    );
  }
  const cannotStart = async (message: string, code = 2) => {
    await write(io.stderr, `portal-check: cannot start the Slack app: ${message}\n`);
    return code;
  };

  // The content says which OP versions OP_VERSION may name.
  const content = await loadContentQuickly();
  let config: Config;
  let llm: Awaited<ReturnType<typeof chatModelFromEnv>>;
  try {
    config = loadConfig(io.env, io.cwd, opVersionsOf(content.knowledge));
    llm = await chatModelFromEnv(io.env);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof LlmConfigError) return cannotStart(err.message);
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });

  const bot = await checkBotToken(config);
  if ("problem" in bot) return cannotStart(bot.problem, bot.exitCode);

  let store: ConversationStore;
  try {
    store = await openStore(io.env, io.cwd, {
      onRedisError: (err) => logger.error({ err }, "Redis connection problem"),
      backgroundCheckpoints: {
        onFailure: (err) =>
          logger.error({ err }, "SQLite checkpoint thread failed; checkpoints run in commits again"),
      },
    });
  } catch (err) {
    if (err instanceof StoreConfigError) return cannotStart(err.message);
    return cannotStart(`the conversation store did not open: ${(err as Error).message}`, 1);
  }

  // From here on a failure inside one request's work is logged instead of ending the process.
  const guard = keepServing(logger);
  const slack = createSlackApp({
    config,
    store,
    content,
    logger,
    knowledge: knowledgeHelp(content.knowledge, llm),
    bot: { botId: bot.botId, botUserId: bot.botUserId },
  });
  let port: number;
  try {
    ({ port } = await slack.start());
  } catch (err) {
    guard.uninstall();
    await store.close();
    return cannotStart(startFailure(err, config), 1);
  }
  // Listening for the stop signal before saying how to stop: a SIGTERM right after that line is a
  // clean stop, not Node's default (an abrupt exit).
  const stopped = stopSignal();
  await write(io.stderr, `portal-check: ${describeMode(config, port, bot.team)}. Stop with Ctrl+C.\n`);

  const purgeTimer = startPurging(store, config.retentionDays, logger);
  slack.background.start();
  await stopped;
  clearInterval(purgeTimer);
  logger.info("stopping: finishing the requests in progress");
  await slack.background.stop();
  await slack.stop();
  await store.close();
  guard.uninstall();
  await write(io.stderr, "portal-check: Slack app stopped.\n");
  return 0;
};

type BotCheck = { botId: string; botUserId: string; team: string } | { problem: string; exitCode: number };

/** auth.test before anything listens: a wrong token is a start-up message, not a failure on the first click. */
async function checkBotToken(config: Config): Promise<BotCheck> {
  const client = new WebClient(config.botToken, {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    retryConfig: { retries: 2, minTimeout: 500, maxTimeout: 2000 },
    timeout: 10_000,
  });
  try {
    const auth = await client.auth.test();
    if (!auth.bot_id || !auth.user_id) {
      return {
        problem:
          "SLACK_BOT_TOKEN is not a bot token: use the Bot User OAuth Token (xoxb-…) from OAuth & Permissions",
        exitCode: 2,
      };
    }
    return {
      botId: auth.bot_id,
      botUserId: auth.user_id,
      team: auth.team ?? auth.team_id ?? "the workspace",
    };
  } catch (err) {
    const platform = platformError(err);
    if (platform) {
      return {
        problem: `Slack rejected SLACK_BOT_TOKEN (${platform}): copy the Bot User OAuth Token again from OAuth & Permissions, and reinstall the app if it was revoked`,
        exitCode: 2,
      };
    }
    return {
      problem: `could not reach Slack at ${config.slackApiUrl ?? "https://slack.com/api/"} to check SLACK_BOT_TOKEN (${(err as Error).message}); check the network or SLACK_API_URL`,
      exitCode: 1,
    };
  }
}

function startFailure(err: unknown, config: Config): string {
  const code = (err as { code?: string }).code;
  if (code === "EADDRINUSE") return `PORT ${config.mode.port} is already in use; set PORT to a free port`;
  if (code === "EACCES") return `PORT ${config.mode.port} needs privileges; use a port above 1024`;
  const platform =
    platformError(err) ?? /An API error occurred: (\w+)/.exec(String((err as Error).message))?.[1];
  if (config.mode.kind === "socket" && platform) {
    return `Slack rejected SLACK_APP_TOKEN (${platform}): create an app-level token with the connections:write scope (Basic Information > App-Level Tokens), and turn on Socket Mode`;
  }
  return `Slack could not be reached or refused the connection: ${(err as Error).message}`;
}

function describeMode(config: Config, port: number, team: string): string {
  return config.mode.kind === "http"
    ? `Slack app for ${team} listening on port ${port} (POST /slack/events, GET /healthz)`
    : `Slack app for ${team} connected in Socket Mode (GET /healthz on port ${port})`;
}

/**
 * Conversations expire by themselves; this also removes them from disk/Redis, hourly, with
 * everything they hold (drafts and findings in the conversation, outbox entries, claims).
 */
function startPurging(store: ConversationStore, retentionDays: number, logger: Logger): NodeJS.Timeout {
  const run = () => {
    const now = new Date();
    store.purge(new Date(now.getTime() - retentionDays * millisecondsInDay), now).then(
      (count) => {
        if (count > 0) logger.info({ count }, "expired conversations purged");
      },
      (err: unknown) =>
        err instanceof StorePurgeIncompleteError
          ? logger.warn(
              { count: err.count },
              "expired conversations purged; another process holds the old data on disk until the next purge",
            )
          : logger.error({ err }, "purge failed"),
    );
  };
  run();
  const timer = setInterval(run, HOUR_MS);
  timer.unref();
  return timer;
}

function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
