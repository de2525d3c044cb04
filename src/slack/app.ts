import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, type Receiver, SocketModeReceiver } from "@slack/bolt";
import { type RetryOptions, WebClient } from "@slack/web-api";
import type { Config } from "../config.js";
import type { FlowContext } from "../core/flow/engine.js";
import { type Logger, slackLibraryLogger } from "../log.js";
import type { ConversationStore } from "../store/types.js";
import { useValueKey } from "./action-ids.js";
import { type Background, backgroundWork } from "./background.js";
import { MessageUpdates } from "./conversation/redraws.js";
import type { SlackDeps } from "./deps.js";
import { registerHome } from "./home/listener.js";
import { trackInFlight } from "./in-flight.js";
import { type KnowledgeHelp, knowledgeHelp } from "./knowledge-help.js";
import { registerActions } from "./listeners/actions.js";
import { registerCommands } from "./listeners/commands.js";
import { dropRetriedEvents } from "./listeners/dedupe.js";
import { reportListenerError } from "./listeners/errors.js";
import { registerEvents } from "./listeners/events.js";
import { registerViews } from "./listeners/views.js";
import { guardRequests } from "./request-guard.js";
import { logRequests } from "./request-log.js";

/**
 * Web API retries: a person is waiting on every call, so a few quick tries (about 10 seconds in
 * all) rather than the client's default half hour. 429s wait for Slack's Retry-After.
 */
export const INTERACTIVE_RETRIES: RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 4000,
  randomize: true,
};

export interface SlackAppOptions {
  config: Config;
  store: ConversationStore;
  content: FlowContext;
  logger: Logger;
  /** Default: the offline retriever and answerer over `content.knowledge` (serve passes an LLM when configured). */
  knowledge?: KnowledgeHelp;
  now?: () => Date;
  retryConfig?: RetryOptions;
  /** Web API request timeout in ms (default SLACK_TIMEOUT_SECONDS). */
  timeoutMs?: number;
  /** The bot's ids from auth.test (serve checks the token first); without them Bolt calls auth.test itself. */
  bot?: { botId: string; botUserId: string };
}

export interface SlackApp {
  app: App;
  deps: SlackDeps;
  /** Starts receiving; resolves with the HTTP port (the health port in Socket Mode). */
  start(): Promise<{ port: number }>;
  /** Stops receiving and waits for work in progress to finish. */
  stop(): Promise<void>;
  /** Resolves when no request is being processed (work continues after Slack's ack). */
  whenIdle(): Promise<void>;
  /** The escalation outbox and idle-conversation timers; serve starts them. */
  background: Background;
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { config, logger } = options;
  const libLogger = slackLibraryLogger(logger);
  const timeout = options.timeoutMs ?? config.slackTimeoutMs;
  const clientOptions = {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    retryConfig: options.retryConfig ?? INTERACTIVE_RETRIES,
    timeout,
  };
  const deps: SlackDeps = {
    config,
    store: options.store,
    content: options.content,
    knowledge: options.knowledge ?? knowledgeHelp(options.content.knowledge),
    logger,
    now: options.now ?? (() => new Date()),
    outbox: {
      client: new WebClient(config.botToken, {
        ...clientOptions,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        logger: libLogger,
      }),
      leaseMs: outboxLeaseMs(timeout),
      retryMs: config.outboxRetryMs,
    },
    redraws: new MessageUpdates(),
  };
  useValueKey(config.mode.kind === "http" ? config.mode.signingSecret : config.mode.appToken);
  const health = {
    path: "/healthz",
    method: ["GET"],
    handler: healthCheck(deps),
  };
  let server: Server | undefined;
  let warmUp: NodeJS.Timeout | undefined;
  const receiver: Receiver =
    config.mode.kind === "http"
      ? guardedReceiver(config.mode.signingSecret, health, deps)
      : new SocketModeReceiver({
          appToken: config.mode.appToken,
          logger: libLogger,
          customRoutes: [health],
          installerOptions: { port: config.mode.port, clientOptions },
        });
  const app = new App({
    token: config.botToken,
    receiver,
    logger: libLogger,
    clientOptions,
    extendedErrorHandler: true,
    ...(options.bot ? { botId: options.bot.botId, botUserId: options.bot.botUserId } : {}),
  });
  const inFlight = trackInFlight();
  app.use(inFlight.middleware);
  app.use(logRequests(logger));
  app.use(dropRetriedEvents(deps));
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);
  registerHome(app, deps);
  app.error(reportListenerError(deps, app.client));

  return {
    app,
    deps,
    async start() {
      if (config.mode.kind === "http") {
        server = (await app.start(config.mode.port)) as unknown as Server;
        const port = (server.address() as AddressInfo).port;
        logger.info({ mode: "http", port }, "Slack app listening");
        warmUp = warmKnowledgeSoon(deps);
        return { port };
      }
      await app.start();
      logger.info({ mode: "socket", healthPort: config.mode.port }, "Slack app connected in Socket Mode");
      warmUp = warmKnowledgeSoon(deps);
      return { port: config.mode.port };
    },
    async stop() {
      clearTimeout(warmUp);
      await app.stop();
      await inFlight.idle();
    },
    whenIdle: () => inFlight.idle(),
    background: backgroundWork(deps, app.client),
  };
}

/** Bolt's HTTP receiver behind the request checks of request-guard.ts. */
function guardedReceiver(
  signingSecret: string,
  health: NonNullable<ConstructorParameters<typeof HTTPReceiver>[0]["customRoutes"]>[number],
  deps: SlackDeps,
): HTTPReceiver {
  const endpoint = "/slack/events";
  const boltLogger = slackLibraryLogger(deps.logger);
  const receiver = new HTTPReceiver({
    signingSecret,
    endpoints: endpoint,
    // The guard below checks every signature first (request-guard.ts): Bolt need not again.
    signatureVerification: false,
    customRoutes: [health],
    logger: boltLogger,
  });
  guardRequests(receiver, {
    signingSecret,
    endpoint,
    store: deps.store,
    now: deps.now,
    logger: deps.logger,
    boltLogger,
  });
  return receiver;
}

/**
 * How long an instance holds an escalation while posting it. A post is sent only in the first half
 * of the lease and is answered or abandoned within one timeout, so it is settled before another
 * instance may look for it in the channel and try again.
 */
export function outboxLeaseMs(timeoutMs: number): number {
  return Math.max(4 * timeoutMs, 2000);
}

/**
 * After start-up settles. Loading the Q&A modules and building their index holds the event loop for
 * a few hundred milliseconds (about 0.6 s on Node 24 here); right after listening that would hold up
 * the health checks and the first clicks of a restart. A question asked before then loads it itself.
 */
const WARM_UP_DELAY_MS = 2000;

/** Loads the knowledge Q&A in the background a moment after start, so the first question need not wait. */
function warmKnowledgeSoon(deps: SlackDeps): NodeJS.Timeout {
  const timer = setTimeout(() => {
    deps.knowledge.warm?.().catch((err: unknown) => deps.logger.error({ err }, "knowledge Q&A did not load"));
  }, WARM_UP_DELAY_MS);
  // Never what keeps the process alive.
  timer.unref();
  return timer;
}

/** GET /healthz: 200 when the store answers, 503 otherwise (for load balancers and orchestrators). */
function healthCheck(deps: SlackDeps) {
  return (_req: unknown, res: import("node:http").ServerResponse) => {
    deps.store.get("healthz", deps.now()).then(
      () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: true }));
      },
      (err: unknown) => {
        deps.logger.error({ err }, "health check: store unavailable");
        res.writeHead(503, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: false, error: "store unavailable" }));
      },
    );
  };
}
