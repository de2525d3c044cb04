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

export interface FakeSlack {
  url: string;
  calls: FakeSlackCall[];
  count(method?: string): number;
  /** The next `times` calls of `method` fail: 429 with Retry-After, 500, or a Slack error such as not_in_channel. */
  failNext(
    method: string,
    failure: { status: 429 | 500; retryAfter?: number } | { error: string },
    times?: number,
  ): void;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeSlackOptions {
  port?: number;
  /** Keep only counts, not call bodies (benchmarks: memory stays flat). */
  countOnly?: boolean;
  /** Channel ids (other than D… DMs) to describe as public channels in conversations.info. */
  publicChannels?: string[];
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: FakeSlackCall[] = [];
  const counts = new Map<string, number>();
  const failures = new Map<string, Array<{ status: 429 | 500; retryAfter?: number } | { error: string }>>();
  let seq = 0;
  const nextTs = () => {
    seq += 1;
    return `1790000000.${String(seq).padStart(6, "0")}`;
  };

  const server: Server = createServer(async (req, res) => {
    const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0] ?? "";
    const args = await readArgs(req);
    counts.set(method, (counts.get(method) ?? 0) + 1);
    if (!options.countOnly) calls.push({ method, args });
    const queued = failures.get(method);
    const failure = queued?.shift();
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
    res.end(JSON.stringify(answer(method, args, nextTs, options.publicChannels ?? [])));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    count: (method) => (method ? (counts.get(method) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0)),
    failNext(method, failure, times = 1) {
      failures.set(method, [
        ...(failures.get(method) ?? []),
        ...Array.from({ length: times }, () => failure),
      ]);
    },
    reset() {
      calls.length = 0;
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
) {
  const channel = String(args.channel ?? "C0FAKE");
  switch (method) {
    case "auth.test":
      return { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T0FAKE", user: "portal-check" };
    case "chat.postMessage":
      return { ok: true, channel, ts: nextTs(), message: { text: args.text, thread_ts: args.thread_ts } };
    case "chat.update":
      return { ok: true, channel, ts: args.ts, text: args.text };
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
