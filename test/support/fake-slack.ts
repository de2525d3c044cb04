import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for Slack's Web API on loopback, answering like Slack does. For benchmarks and for
 * tests that run the app in other processes (where nock cannot reach). In-process tests use nock.
 */
export interface FakeSlackCall {
  method: string;
  args: Record<string, unknown>;
}

/** A message as Slack keeps it (posts and updates applied); not kept with `countOnly`. */
export interface FakeMessage {
  channel: string;
  ts: string;
  thread_ts: string | undefined;
  text: string;
  blocks: Array<Record<string, unknown>>;
  metadata: unknown;
}

export type FakeFailure =
  | { status: 429 | 500; retryAfter?: number }
  | { error: string }
  /** Answers after `delayMs`; with `applied`, Slack did the work at once and only the answer is late. */
  | { delayMs: number; applied?: boolean };

export interface FakeSlack {
  url: string;
  calls: FakeSlackCall[];
  messages: FakeMessage[];
  count(method?: string): number;
  /**
   * The next `times` calls of `method` (Infinity: until stopFailing) fail: 429 with Retry-After, 500,
   * a Slack error such as not_in_channel, or a late answer. With `match`, only calls whose
   * arguments it accepts.
   */
  failNext(
    method: string,
    failure: FakeFailure,
    times?: number,
    match?: (args: Record<string, unknown>) => boolean,
  ): void;
  stopFailing(method: string): void;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeSlackOptions {
  port?: number;
  /** Keep only counts, not call bodies (benchmarks: memory stays flat). */
  countOnly?: boolean;
  /** Channel ids (other than D… DMs) to describe as public channels in conversations.info. */
  publicChannels?: string[];
  /** The WebSocket URL apps.connections.open hands out (Socket Mode); without it the call fails. */
  socketUrl?: string;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: FakeSlackCall[] = [];
  const counts = new Map<string, number>();
  const messages: FakeMessage[] = [];
  type Rule = { failure: FakeFailure; remaining: number; match?: (args: Record<string, unknown>) => boolean };
  const failures = new Map<string, Rule[]>();
  const takeFailure = (method: string, args: Record<string, unknown>) => {
    const rule = failures.get(method)?.find((r) => r.remaining > 0 && (!r.match || r.match(args)));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.failure;
  };
  let seq = 0;
  const nextTs = () => {
    seq += 1;
    return `1790000000.${String(seq).padStart(6, "0")}`;
  };

  const keep = options.countOnly ? undefined : messages;

  const server: Server = createServer(async (req, res) => {
    const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0] ?? "";
    const args = await readArgs(req);
    counts.set(method, (counts.get(method) ?? 0) + 1);
    if (!options.countOnly) calls.push({ method, args });
    const failure = takeFailure(method, args);
    if (failure && "delayMs" in failure) {
      const late = failure.applied
        ? answer(method, args, nextTs, options.publicChannels ?? [], keep, options.socketUrl)
        : { ok: true, note: "too late" };
      await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
      if (!res.destroyed) {
        res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
        res.end(JSON.stringify(late));
      }
      return;
    }
    if (failure && "status" in failure) {
      res.writeHead(failure.status, {
        "content-type": "application/json",
        ...(failure.retryAfter !== undefined ? { "retry-after": String(failure.retryAfter) } : {}),
      });
      res.end(
        JSON.stringify({ ok: false, error: failure.status === 429 ? "ratelimited" : "internal_error" }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    if (failure) {
      res.end(JSON.stringify({ ok: false, error: failure.error }));
      return;
    }
    res.end(
      JSON.stringify(answer(method, args, nextTs, options.publicChannels ?? [], keep, options.socketUrl)),
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    messages,
    count: (method) => (method ? (counts.get(method) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0)),
    failNext(method, failure, times = 1, match) {
      failures.set(method, [
        ...(failures.get(method) ?? []),
        { failure, remaining: times, ...(match ? { match } : {}) },
      ]);
    },
    stopFailing(method) {
      failures.delete(method);
    },
    reset() {
      calls.length = 0;
      messages.length = 0;
      counts.clear();
      failures.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readArgs(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (raw === "") return {};
  if ((req.headers["content-type"] ?? "").includes("application/json")) return JSON.parse(raw);
  // The Web API client posts form-encoded fields; structured ones (blocks, view) are JSON strings.
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function answer(
  method: string,
  args: Record<string, unknown>,
  nextTs: () => string,
  publicChannels: string[],
  messages: FakeMessage[] | undefined,
  socketUrl: string | undefined,
) {
  const channel = String(args.channel ?? "C0FAKE");
  switch (method) {
    case "apps.connections.open":
      return socketUrl ? { ok: true, url: socketUrl } : { ok: false, error: "not_allowed_token_type" };
    case "auth.test":
      return { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T0FAKE", user: "portal-check" };
    case "chat.postMessage": {
      const ts = nextTs();
      messages?.push({
        channel,
        ts,
        thread_ts: args.thread_ts === undefined ? undefined : String(args.thread_ts),
        text: String(args.text ?? ""),
        blocks: (args.blocks ?? []) as Array<Record<string, unknown>>,
        metadata: args.metadata,
      });
      return { ok: true, channel, ts, message: { text: args.text, thread_ts: args.thread_ts } };
    }
    case "chat.update": {
      const shown = messages?.find((m) => m.channel === channel && m.ts === args.ts);
      if (shown) {
        shown.text = String(args.text ?? "");
        shown.blocks = (args.blocks ?? []) as Array<Record<string, unknown>>;
      }
      return { ok: true, channel, ts: args.ts, text: args.text };
    }
    case "conversations.replies":
    case "conversations.history": {
      // A thread (replies) oldest first, or the channel's top-level messages (history) newest first.
      const thread = method === "conversations.replies";
      const found = (messages ?? [])
        .filter(
          (m) =>
            m.channel === channel && (thread ? m.ts === args.ts || m.thread_ts === args.ts : !m.thread_ts),
        )
        .sort((a, b) => (thread ? 1 : -1) * a.ts.localeCompare(b.ts));
      const withMetadata = String(args.include_all_metadata) === "true";
      return {
        ok: true,
        messages: found.map((m) => ({
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
    case "chat.postEphemeral":
      return { ok: true, message_ts: nextTs() };
    case "chat.getPermalink":
      return {
        ok: true,
        channel,
        permalink: `https://example.slack.com/archives/${channel}/p${String(args.message_ts).replace(".", "")}`,
      };
    case "views.open":
    case "views.update":
    case "views.push":
      return { ok: true, view: { id: `V${nextTs().replace(".", "")}`, ...(args.view as object) } };
    case "conversations.info":
      return {
        ok: true,
        channel: {
          id: channel,
          is_im: channel.startsWith("D"),
          is_private: !channel.startsWith("D") && !publicChannels.includes(channel),
          is_channel: publicChannels.includes(channel),
        },
      };
    default:
      return { ok: true };
  }
}
