import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseSlackArgs, type SlackFailure, type SlackMessage, slackWorld } from "./slack-world.js";

/**
 * Slack's Web API on loopback (what it does is slack-world.ts, shared with the nock harness). For benchmarks and for
 * tests that run the app in other processes (where nock cannot reach). In-process tests use nock.
 */
export interface FakeSlackCall {
  method: string;
  args: Record<string, unknown>;
}

export type FakeMessage = SlackMessage;
export type FakeFailure = SlackFailure;

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
  /**
   * Holds the next call of `method` that `match` accepts: it gets no answer until release(), or
   * ever if its caller dies first. With `applied`, Slack does the work first (a post is stored) and
   * only the answer is held. `arrived` resolves when the call comes in: a point a test can wait
   * for, e.g. to kill the caller in the middle of that call.
   */
  hold(method: string, options?: HoldOptions): Held;
  reset(): void;
  close(): Promise<void>;
}

export interface HoldOptions {
  match?: (args: Record<string, unknown>) => boolean;
  applied?: boolean;
}

export interface Held {
  arrived: Promise<Record<string, unknown>>;
  release(): void;
}

interface Hold extends Required<Pick<HoldOptions, "applied">> {
  method: string;
  match: (args: Record<string, unknown>) => boolean;
  arrive: (args: Record<string, unknown>) => void;
  released: Promise<void>;
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
  const world = slackWorld({
    publicChannels: options.publicChannels ?? [],
    socketUrl: options.socketUrl,
    countOnly: options.countOnly ?? false,
  });

  const holds: Hold[] = [];

  const server: Server = createServer(async (req, res) => {
    const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0] ?? "";
    const args = parseSlackArgs(await readBody(req));
    counts.set(method, (counts.get(method) ?? 0) + 1);
    if (!options.countOnly) calls.push({ method, args });
    const held = holds.find((h) => h.method === method && h.match(args));
    let reply: Awaited<ReturnType<typeof world.reply>> | undefined;
    if (held) {
      holds.splice(holds.indexOf(held), 1);
      if (held.applied) reply = await world.reply(method, args);
      const gone = new Promise<void>((resolve) => res.once("close", () => resolve()));
      held.arrive(args);
      if (!res.destroyed) await Promise.race([held.released, gone]);
      if (res.destroyed) return; // the caller died while held: a call never answered (nor applied)
    }
    const { status, body, headers } = reply ?? (await world.reply(method, args));
    if (res.destroyed) return; // the client gave up waiting (a late answer)
    res.writeHead(status, headers);
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    get messages() {
      return [...world.messages.values()];
    },
    count: (method) => (method ? (counts.get(method) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0)),
    failNext: (method, failure, times, match) => world.failNext(method, failure, times, match),
    stopFailing: (method) => world.stopFailing(method),
    hold(method, hold = {}) {
      let arrive: (args: Record<string, unknown>) => void = () => undefined;
      let release: () => void = () => undefined;
      const arrived = new Promise<Record<string, unknown>>((resolve) => {
        arrive = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      holds.push({
        method,
        match: hold.match ?? (() => true),
        applied: hold.applied ?? false,
        arrive,
        released,
      });
      return { arrived, release };
    },
    reset() {
      calls.length = 0;
      world.messages.clear();
      counts.clear();
      world.stopFailing();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
