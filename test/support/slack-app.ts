import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { expect, it as vitestIt } from "vitest";
import { loadConfig } from "../../src/config.js";
import { type Content, loadContent } from "../../src/content/load.js";
import { opVersionsOf } from "../../src/core/knowledge/schema.js";
import { createLogger } from "../../src/log.js";
import { createSlackApp, type SlackApp } from "../../src/slack/app.js";
import { openStore } from "../../src/store/open.js";
import type { ConversationStore } from "../../src/store/types.js";
import { limitProblemsDuring, mockSlack, type SlackApiMock } from "./slack-api.js";
import {
  blockActionBody,
  CHANNEL,
  type ClickTarget,
  commandBody,
  eventBody,
  type FieldValue,
  viewSubmissionBody,
  type Who,
} from "./slack-payloads.js";
import { signedHeaders } from "./slack-sign.js";

/**
 * vitest's `it` for a test that drives the Slack app (import it from here, not from vitest). After
 * the body, the test itself asserts that nothing the app sent Slack during it (messages, updates,
 * modals, Home views, response_url replies) broke one of Block Kit's limits: Slack would refuse
 * such a call, while the mock accepts it to keep the test going, so this is where it shows. The
 * assertion is part of the test, so a failure names the test and the afterEach clean-up still runs.
 */
export function it(name: string, body: () => unknown, timeout?: number): void {
  vitestIt(
    name,
    async () => {
      await body();
      expect(limitProblemsDuring(expect.getState().currentTestName), "Block Kit limits").toEqual([]);
    },
    timeout,
  );
}

export const SIGNING_SECRET = "8f742231b10e8888abcd99aaabbb85a5";

export interface TestApp {
  url: string;
  api: SlackApiMock;
  store: ConversationStore;
  slack: SlackApp;
  /** Every log line the app wrote (JSON). */
  logs: string[];
  /** POSTs a raw body to /slack/events, signed unless `headers` replace the signature. */
  send(raw: string, contentType: string, headers?: Record<string, string>): Promise<Response>;
  command(text: string, who?: Who): Promise<Response>;
  click(message: ClickTarget, actionId: string, who?: Who): Promise<Response>;
  submit(view: Record<string, unknown>, values: Record<string, FieldValue>, who?: Who): Promise<Response>;
  event(event: Record<string, unknown>, options?: { eventId?: string; retryNum?: number }): Promise<Response>;
  /** The view of the latest views.open. */
  lastModal(): Record<string, unknown>;
  /** Waits until the app has finished the work that follows each ack. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  now?: () => Date;
  /** Socket Mode: the WebSocket URL the mocked apps.connections.open returns. */
  socketUrl?: string;
  /** The Web API client's request timeout (ms). */
  timeoutMs?: number;
  /**
   * Share another test app's Slack: a second instance of the app (give it the first one's
   * DATABASE_URL too). The first app's close() ends the mock.
   */
  api?: SlackApiMock;
  /** Content other than the repository's (a copy of knowledge/ and flows/, loaded with loadContent). */
  content?: Content;
}

let triggerSeq = 0;

/**
 * The real Slack app (config from env, SQLite in a temp dir, the real HTTP receiver on an ephemeral
 * port) with Slack's side mocked by nock. Requests are signed exactly as Slack signs them.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  const api = options.api ?? mockSlack(options.socketUrl ? { socketUrl: options.socketUrl } : {});
  const dir = mkdtempSync(join(tmpdir(), "portal-check-slack-"));
  const env = {
    SLACK_BOT_TOKEN: "xoxb-0000-1111-testtoken",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: api.apiUrl,
    PORT: "0",
    DATABASE_URL: join(dir, "conversations.db"),
    LOG_LEVEL: "debug",
    ...options.env,
  };
  const content = options.content ?? loadContent();
  // As serve does: OP_VERSION must be a version the content covers.
  const config = loadConfig(env, dir, opVersionsOf(content.knowledge));
  const store = await openStore(env, dir);
  const logs: string[] = [];
  const logger = createLogger({
    level: config.logLevel,
    destination: { write: (line: string) => logs.push(line) },
  });
  const slack = createSlackApp({
    config,
    store,
    content,
    logger,
    ...(options.now ? { now: options.now } : {}),
    retryConfig: { retries: 2, factor: 1, minTimeout: 5, maxTimeout: 10 },
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    bot: { botId: "BBOT", botUserId: "UBOT" },
  });
  const { port } = await slack.start();
  const url = `http://127.0.0.1:${port}`;
  const responseUrl = () => `${api.hooksOrigin}/actions/${"T0TEAM"}/${++triggerSeq}/hook`;

  const send = async (raw: string, contentType: string, headers?: Record<string, string>) =>
    fetch(`${url}/slack/events`, {
      method: "POST",
      headers: headers ?? signedHeaders(SIGNING_SECRET, raw, contentType),
      body: raw,
    });
  const settle = async () => {
    // Work continues after the ack; wait until the app reports nothing in flight, twice in a row.
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      await slack.whenIdle();
    }
  };
  const form = "application/x-www-form-urlencoded";

  return {
    url,
    api,
    store,
    slack,
    logs,
    send,
    async command(text, who = {}) {
      const res = await send(commandBody(text, { ...who, responseUrl: responseUrl() }), form);
      await settle();
      return res;
    },
    async click(message, actionId, who = {}) {
      const body = blockActionBody(message, actionId, {
        ...who,
        responseUrl: responseUrl(),
        triggerId: `trigger-${++triggerSeq}`,
      });
      const res = await send(body, form);
      await settle();
      return res;
    },
    async submit(view, values, who = {}) {
      const res = await send(
        viewSubmissionBody(view, values, { ...who, triggerId: `trigger-${++triggerSeq}` }),
        form,
      );
      await settle();
      return res;
    },
    async event(event, opts = {}) {
      const raw = eventBody({ channel: CHANNEL, ...event }, opts.eventId);
      const headers = signedHeaders(SIGNING_SECRET, raw, "application/json");
      if (opts.retryNum !== undefined) {
        headers["x-slack-retry-num"] = String(opts.retryNum);
        headers["x-slack-retry-reason"] = "http_timeout";
      }
      const res = await send(raw, "application/json", headers);
      await settle();
      return res;
    },
    lastModal() {
      const opened = api.callsTo("views.open").at(-1);
      if (!opened) throw new Error("no modal was opened");
      return opened.args.view as Record<string, unknown>;
    },
    settle,
    async close() {
      await slack.stop();
      await store.close();
      if (!options.api) {
        api.done();
        nock.enableNetConnect();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
