import nock from "nock";
import { expect } from "vitest";
import { blockKitProblems } from "./block-kit-limits.js";
import {
  type ArgsMatch,
  parseSlackArgs,
  type SlackFailure,
  type SlackMessage,
  slackWorld,
} from "./slack-world.js";

/**
 * Slack's Web API and response_url endpoints, mocked with nock at the network edge. Every call is
 * recorded, messages are kept as Slack would show them (posts and updates applied), and every
 * message and modal is checked against Block Kit's limits.
 */

/** Every Block Kit problem any mock found, with the name of the test that was running then. */
const problemsSeen: { test: string | undefined; problem: string }[] = [];

/** The Block Kit problems the mocks found while the test named `test` ran (see `it` in slack-app.ts). */
export function limitProblemsDuring(test: string | undefined): string[] {
  return problemsSeen.filter((seen) => seen.test === test).map((seen) => seen.problem);
}

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
}

export type ShownMessage = SlackMessage;
export type Failure = SlackFailure;

export interface SlackApiMock {
  apiUrl: string;
  hooksOrigin: string;
  calls: ApiCall[];
  /** Bodies posted to response_url (ephemeral replies). */
  responses: Array<Record<string, unknown>>;
  /** Block Kit problems found in anything captured by this mock (`it` from slack-app.ts asserts there are none). */
  limitProblems: string[];
  callsTo(method: string): ApiCall[];
  /** Messages by ts as they look now. */
  messages: Map<string, ShownMessage>;
  /** Messages posted in a thread (or in a channel when `thread` is undefined), in order. */
  inThread(channel: string, thread: string): ShownMessage[];
  /** The next `times` calls of `method` fail; with `match`, only calls whose arguments it accepts. */
  failNext(method: string, failure: Failure, times?: number, match?: ArgsMatch): void;
  /** Channels conversations.info reports as public. */
  publicChannels: Set<string>;
  /** conversations.members and usergroups.users.list answers, by channel / user group id. */
  channelMembers: Map<string, string[]>;
  groupMembers: Map<string, string[]>;
  done(): void;
}

export interface MockSlackOptions {
  apiOrigin?: string;
  hooksOrigin?: string;
  /** The WebSocket URL apps.connections.open hands out (Socket Mode tests). */
  socketUrl?: string;
}

export function mockSlack(options: MockSlackOptions = {}): SlackApiMock {
  const apiOrigin = options.apiOrigin ?? "http://slack.test";
  const hooksOrigin = options.hooksOrigin ?? "https://hooks.slack.test";
  const calls: ApiCall[] = [];
  const responses: Array<Record<string, unknown>> = [];
  const limitProblems: string[] = [];
  const checkLimits = (
    what: string,
    payload: Record<string, unknown>,
    kind: "message" | "modal" | "home",
  ) => {
    for (const p of blockKitProblems(payload, kind)) {
      limitProblems.push(`${what}: ${p}`);
      problemsSeen.push({ test: expect.getState().currentTestName, problem: `${what}: ${p}` });
    }
  };
  const publicChannels = new Set<string>();
  const channelMembers = new Map<string, string[]>();
  const groupMembers = new Map<string, string[]>();
  const world = slackWorld({
    publicChannels,
    socketUrl: options.socketUrl,
    inspect: checkLimits,
    channelMembers,
    groupMembers,
  });

  const api = nock(apiOrigin)
    .persist()
    .post(/^\/api\/[a-zA-Z.]+$/)
    .reply(async (uri, body) => {
      const method = uri.replace(/^\/api\//, "");
      const args = parseArgs(body);
      calls.push({ method, args });
      const { status, body: answer, headers } = await world.reply(method, args);
      return [status, answer, headers];
    });

  const hooks = nock(hooksOrigin)
    .persist()
    .post(/.*/)
    .reply((_uri, body) => {
      const payload = (typeof body === "string" ? JSON.parse(body) : body) as Record<string, unknown>;
      responses.push(payload);
      if (payload.blocks) checkLimits("response_url", payload, "message");
      return [200, "ok"];
    });

  return {
    apiUrl: `${apiOrigin}/api/`,
    hooksOrigin,
    calls,
    responses,
    limitProblems,
    messages: world.messages,
    publicChannels,
    channelMembers,
    groupMembers,
    callsTo: (method) => calls.filter((c) => c.method === method),
    inThread: (channel, thread) =>
      [...world.messages.values()].filter(
        (m) => m.channel === channel && (m.thread_ts === thread || m.ts === thread),
      ),
    failNext: (method, failure, times, match) => world.failNext(method, failure, times, match),
    done() {
      api.persist(false);
      hooks.persist(false);
      nock.cleanAll();
    },
  };
}

/** nock hands over the body parsed when it is JSON, else as text. */
function parseArgs(body: unknown): Record<string, unknown> {
  if (body && typeof body === "object") return body as Record<string, unknown>;
  return parseSlackArgs(String(body ?? ""));
}
