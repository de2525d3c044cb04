/**
 * What Slack's Web API does with the calls the app makes, apart from how they arrive: messages
 * kept as Slack shows them (posts, updates and deletes applied), the answers Slack gives, and
 * failures queued by a test. Two transports serve it: nock for in-process tests
 * (test/support/slack-api.ts) and a loopback HTTP server for other processes
 * (test/support/fake-slack.ts).
 */

export interface SlackMessage {
  channel: string;
  ts: string;
  thread_ts: string | undefined;
  text: string;
  blocks: Array<Record<string, unknown>>;
  /** Message metadata (event_type, event_payload) as posted; Slack returns it with include_all_metadata. */
  metadata: unknown;
}

export type SlackFailure =
  | { status: 429 | 500; retryAfter?: number }
  | { error: string }
  /**
   * Answers normally, but only after this long (longer than the client's timeout: a timeout). With
   * `applied`, Slack did the work (the message is posted) and only the answer is lost.
   */
  | { delayMs: number; applied?: boolean };

export type ArgsMatch = (args: Record<string, unknown>) => boolean;

export interface SlackReply {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

export interface SlackWorldOptions {
  /** Channel ids (other than D… DMs and G… groups) conversations.info describes as public. */
  publicChannels?: Iterable<string>;
  /** The WebSocket URL apps.connections.open hands out (Socket Mode). */
  socketUrl?: string | undefined;
  /** Keep no messages (benchmarks: memory stays flat); updates of unknown messages then succeed. */
  countOnly?: boolean;
  /** Sees every message, modal and Home tab the app sends, e.g. to check Block Kit limits. */
  inspect?: (method: string, payload: Record<string, unknown>, kind: "message" | "modal" | "home") => void;
  /** conversations.members by channel id (default: nobody). */
  channelMembers?: Map<string, string[]>;
  /** usergroups.users.list by user group id (default: nobody). */
  groupMembers?: Map<string, string[]>;
}

export interface SlackWorld {
  /** Messages by ts as they look now. */
  messages: Map<string, SlackMessage>;
  /** Slack's reply to one call, after any queued failure for it (a late answer waits here). */
  reply(method: string, args: Record<string, unknown>): Promise<SlackReply>;
  /** The next `times` calls of `method` fail (Infinity: until stopFailing); with `match`, only calls it accepts. */
  failNext(method: string, failure: SlackFailure, times?: number, match?: ArgsMatch): void;
  stopFailing(method?: string): void;
}

export function slackWorld(options: SlackWorldOptions = {}): SlackWorld {
  const messages = new Map<string, SlackMessage>();
  const publicChannels = options.publicChannels ?? [];
  const isPublic = (channel: string) => [...publicChannels].includes(channel);
  const failures = new Map<string, { failure: SlackFailure; remaining: number; match?: ArgsMatch }[]>();
  let seq = 0;
  const nextTs = () => `1790000000.${String(++seq).padStart(6, "0")}`;
  const inspect = options.inspect ?? (() => undefined);
  const ok = (body: Record<string, unknown>): SlackReply => ({
    status: 200,
    body,
    headers: { "content-type": "application/json; charset=utf-8" },
  });

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args.channel ?? "");
    switch (method) {
      case "chat.postMessage": {
        inspect(method, args, "message");
        const ts = nextTs();
        if (!options.countOnly) {
          messages.set(ts, {
            channel,
            ts,
            thread_ts: args.thread_ts === undefined ? undefined : String(args.thread_ts),
            text: String(args.text ?? ""),
            blocks: (args.blocks ?? []) as Array<Record<string, unknown>>,
            metadata: args.metadata,
          });
        }
        return { ok: true, channel, ts, message: { text: args.text, thread_ts: args.thread_ts } };
      }
      case "chat.update": {
        inspect(method, args, "message");
        const ts = String(args.ts);
        const shown = messages.get(ts);
        if (shown) {
          messages.set(ts, {
            ...shown,
            text: String(args.text ?? ""),
            blocks: (args.blocks ?? []) as Array<Record<string, unknown>>,
          });
        } else if (!options.countOnly) return { ok: false, error: "message_not_found" };
        return { ok: true, channel, ts, text: args.text };
      }
      case "chat.delete":
        messages.delete(String(args.ts));
        return { ok: true, channel, ts: args.ts };
      case "chat.postEphemeral":
        inspect(method, args, "message");
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
        inspect(method, args.view as Record<string, unknown>, "modal");
        return { ok: true, view: { id: `V${nextTs().replace(".", "")}`, ...(args.view as object) } };
      case "views.publish":
        inspect(method, args.view as Record<string, unknown>, "home");
        return { ok: true, view: { id: `V${nextTs().replace(".", "")}`, ...(args.view as object) } };
      case "conversations.members":
        return {
          ok: true,
          members: options.channelMembers?.get(channel) ?? [],
          response_metadata: { next_cursor: "" },
        };
      case "usergroups.users.list":
        return { ok: true, users: options.groupMembers?.get(String(args.usergroup)) ?? [] };
      case "conversations.info": {
        const im = channel.startsWith("D");
        return {
          ok: true,
          channel: {
            id: channel,
            is_im: im,
            is_mpim: false,
            is_private: !im && !isPublic(channel),
            is_channel: channel.startsWith("C"),
          },
        };
      }
      case "conversations.replies":
      case "conversations.history": {
        // A thread (replies) oldest first, or the channel's top-level messages (history) newest first.
        const thread = method === "conversations.replies";
        const shown = [...messages.values()]
          .filter(
            (m) =>
              m.channel === channel &&
              (thread ? m.ts === args.ts || m.thread_ts === args.ts : m.thread_ts === undefined),
          )
          .sort((a, b) => (thread ? 1 : -1) * a.ts.localeCompare(b.ts));
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
        return {
          ok: true,
          user_id: "UBOT",
          bot_id: "BBOT",
          team_id: "T0TEAM",
          user: "portal-check",
          url: "https://practice.slack.test/",
        };
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  function takeFailure(method: string, args: Record<string, unknown>): SlackFailure | undefined {
    const rule = failures.get(method)?.find((r) => r.remaining > 0 && (!r.match || r.match(args)));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.failure;
  }

  return {
    messages,
    async reply(method, args) {
      const failure = takeFailure(method, args);
      if (!failure) return ok(answer(method, args));
      if ("delayMs" in failure) {
        const late = failure.applied ? answer(method, args) : { ok: true, note: "too late" };
        await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
        return ok(late);
      }
      if ("status" in failure) {
        return {
          status: failure.status,
          body: { ok: false, error: failure.status === 429 ? "ratelimited" : "internal_error" },
          headers: {
            "content-type": "application/json",
            ...(failure.retryAfter !== undefined ? { "retry-after": String(failure.retryAfter) } : {}),
          },
        };
      }
      return ok({ ok: false, error: failure.error });
    },
    failNext(method, failure, times = 1, match) {
      failures.set(method, [
        ...(failures.get(method) ?? []),
        { failure, remaining: times, ...(match ? { match } : {}) },
      ]);
    },
    stopFailing(method) {
      if (method) failures.delete(method);
      else failures.clear();
    },
  };
}

/** The Web API client posts form fields, with structured ones (blocks, view) as JSON strings; or JSON. */
export function parseSlackArgs(raw: string): Record<string, unknown> {
  if (raw === "") return {};
  if (raw.startsWith("{")) return JSON.parse(raw);
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) args[key] = /^[[{]/.test(value) ? json(value) : value;
  return args;
}

function json(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
