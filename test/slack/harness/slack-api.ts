import nock from "nock";
import { blockKitProblems } from "./block-kit-limits.js";

/**
 * Slack's Web API and response_url endpoints, mocked with nock at the network edge. Every call is
 * recorded, messages are kept as Slack would show them (posts and updates applied), and every
 * message and modal is checked against Block Kit's limits.
 */

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
}

export interface ShownMessage {
  channel: string;
  ts: string;
  thread_ts: string | undefined;
  text: string;
  blocks: Array<Record<string, unknown>>;
  /** Message metadata (event_type, event_payload) as posted; Slack returns it with include_all_metadata. */
  metadata: unknown;
}

export type Failure =
  | { status: 429; retryAfter: number }
  | { status: 500 }
  | { error: string }
  /**
   * Answers normally, but only after this long (longer than the client's timeout: a timeout). With
   * `applied`, Slack did the work (the message is posted) and only the answer is lost.
   */
  | { delayMs: number; applied?: boolean };

export interface SlackApiMock {
  apiUrl: string;
  hooksOrigin: string;
  calls: ApiCall[];
  /** Bodies posted to response_url (ephemeral replies). */
  responses: Array<Record<string, unknown>>;
  /** Block Kit problems found in anything captured; a test asserts this stays empty. */
  limitProblems: string[];
  callsTo(method: string): ApiCall[];
  /** Messages by ts as they look now. */
  messages: Map<string, ShownMessage>;
  /** Messages posted in a thread (or in a channel when `thread` is undefined), in order. */
  inThread(channel: string, thread: string): ShownMessage[];
  /** The next `times` calls of `method` fail; with `match`, only calls whose arguments it accepts. */
  failNext(
    method: string,
    failure: Failure,
    times?: number,
    match?: (args: Record<string, unknown>) => boolean,
  ): void;
  /** Channels conversations.info reports as public. */
  publicChannels: Set<string>;
  done(): void;
}

let seq = 0;
const nextTs = () => `1790000000.${String(++seq).padStart(6, "0")}`;

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
  const messages = new Map<string, ShownMessage>();
  const failures = new Map<
    string,
    { failure: Failure; match?: (args: Record<string, unknown>) => boolean }[]
  >();
  const publicChannels = new Set<string>();

  const checkLimits = (what: string, payload: Record<string, unknown>, kind: "message" | "modal") => {
    for (const p of blockKitProblems(payload, kind)) limitProblems.push(`${what}: ${p}`);
  };

  const api = nock(apiOrigin)
    .persist()
    .post(/^\/api\/[a-zA-Z.]+$/)
    .reply(async (uri, body) => {
      const method = uri.replace(/^\/api\//, "");
      const args = parseArgs(body);
      calls.push({ method, args });
      const queued = failures.get(method) ?? [];
      const at = queued.findIndex((f) => !f.match || f.match(args));
      const failure = at < 0 ? undefined : queued.splice(at, 1)[0]?.failure;
      if (failure && "delayMs" in failure) {
        const late = failure.applied ? answer(method, args) : { ok: true, note: "too late" };
        await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
        return [200, late];
      }
      if (failure && "status" in failure) {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (failure.status === 429) headers["retry-after"] = String(failure.retryAfter);
        return [
          failure.status,
          { ok: false, error: failure.status === 429 ? "ratelimited" : "internal_error" },
          headers,
        ];
      }
      if (failure) return [200, { ok: false, error: failure.error }];
      return [200, answer(method, args)];
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

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args.channel ?? "");
    switch (method) {
      case "chat.postMessage": {
        checkLimits(method, args, "message");
        const ts = nextTs();
        messages.set(ts, {
          channel,
          ts,
          thread_ts: args.thread_ts as string | undefined,
          text: String(args.text ?? ""),
          blocks: (args.blocks ?? []) as Array<Record<string, unknown>>,
          metadata: args.metadata,
        });
        return { ok: true, channel, ts, message: { text: args.text } };
      }
      case "chat.update": {
        checkLimits(method, args, "message");
        const ts = String(args.ts);
        const shown = messages.get(ts);
        if (!shown) return { ok: false, error: "message_not_found" };
        messages.set(ts, {
          ...shown,
          text: String(args.text ?? ""),
          blocks: (args.blocks ?? []) as Array<Record<string, unknown>>,
        });
        return { ok: true, channel, ts };
      }
      case "chat.delete":
        messages.delete(String(args.ts));
        return { ok: true, channel, ts: args.ts };
      case "chat.postEphemeral":
        checkLimits(method, args, "message");
        return { ok: true, message_ts: nextTs() };
      case "chat.getPermalink":
        return {
          ok: true,
          channel,
          permalink: `https://practice.slack.test/archives/${channel}/p${String(args.message_ts).replace(".", "")}`,
        };
      case "views.open":
      case "views.update":
      case "views.push":
        checkLimits(method, args.view as Record<string, unknown>, "modal");
        return { ok: true, view: { id: `V${seq}`, ...(args.view as object) } };
      case "conversations.info":
        return {
          ok: true,
          channel: {
            id: channel,
            is_im: channel.startsWith("D"),
            is_mpim: false,
            is_private: channel.startsWith("G") || (channel.startsWith("C") && !publicChannels.has(channel)),
            is_channel: channel.startsWith("C"),
          },
        };
      case "conversations.replies":
      case "conversations.history": {
        // A thread (replies) oldest first, or the channel's top-level messages (history) newest first.
        const shown = [...messages.values()]
          .filter((m) =>
            method === "conversations.replies"
              ? m.channel === channel && (m.ts === args.ts || m.thread_ts === args.ts)
              : m.channel === channel && m.thread_ts === undefined,
          )
          .sort((a, b) => (method === "conversations.replies" ? 1 : -1) * a.ts.localeCompare(b.ts));
        const withMetadata = String(args.include_all_metadata) === "true";
        return {
          ok: true,
          messages: shown.map((m) => ({
            type: "message",
            ts: m.ts,
            ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
            text: m.text,
            ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
          })),
          has_more: false,
          response_metadata: { next_cursor: "" },
        };
      }
      case "apps.connections.open":
        return options.socketUrl
          ? { ok: true, url: options.socketUrl }
          : { ok: false, error: "not_allowed_token_type" };
      case "auth.test":
        return { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T0TEAM", user: "portal-check" };
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  return {
    apiUrl: `${apiOrigin}/api/`,
    hooksOrigin,
    calls,
    responses,
    limitProblems,
    messages,
    publicChannels,
    callsTo: (method) => calls.filter((c) => c.method === method),
    inThread: (channel, thread) =>
      [...messages.values()].filter(
        (m) => m.channel === channel && (m.thread_ts === thread || m.ts === thread),
      ),
    failNext(method, failure, times = 1, match) {
      failures.set(method, [
        ...(failures.get(method) ?? []),
        ...Array.from({ length: times }, () => (match ? { failure, match } : { failure })),
      ]);
    },
    done() {
      api.persist(false);
      hooks.persist(false);
      nock.cleanAll();
    },
  };
}

/** The Web API client posts form fields; structured ones (blocks, view) are JSON strings. */
function parseArgs(body: unknown): Record<string, unknown> {
  if (body && typeof body === "object") return body as Record<string, unknown>;
  const raw = String(body ?? "");
  if (raw.startsWith("{")) return JSON.parse(raw);
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return args;
}
