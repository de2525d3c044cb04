import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { surfaceOf } from "../../src/slack/surface.js";
import { openStore } from "../../src/store/open.js";
import { type BenchContext, type BenchOutput, BenchSkipped } from "../context.js";
import { ackOnlyBolt, portalCheck, replayBolt, SIGNING_SECRET, type StoreChoice } from "./apps.js";
import { callsPerRequest, compareAtLevels } from "./compare.js";
import { startFakeSlackProcess } from "./fake-slack.js";
import { runRound } from "./load.js";
import {
  type ClickableConversation,
  conversationClicks,
  sampleCheckMessage,
  slashCommands,
} from "./requests.js";
import { type ServerProcess, startServer } from "./server-process.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Check-button clicks under load: each a block_actions request that moves a real conversation one
 * turn (compare-and-set in the store), then chat.update of its messages at the fake Slack API.
 * Against a minimal Bolt app that acks and makes the same updates, and an ack-only Bolt app.
 */
export async function buttonClickBench(
  ctx: BenchContext,
  storeKind: "sqlite" | "redis",
): Promise<BenchOutput> {
  const redis = storeKind === "redis" ? await redisForBench() : undefined;
  const store: StoreChoice = redis
    ? { kind: "redis", url: redis.url, prefix: redis.newPrefix() }
    : { kind: "sqlite", path: join(ctx.tmp, "clicks.db") };
  const { settings, log } = ctx;
  const slack = await startFakeSlackProcess();
  const servers: ServerProcess[] = [];
  try {
    const responseUrl = `${slack.url}response_url`;
    const app = await startServer(portalCheck(slack.url, store));
    servers.push(app);

    // Conversations to click on, started the way staff start them.
    const n = settings.slack.conversations;
    await runRound({
      server: app,
      connections: 10,
      run: { requests: n },
      next: slashCommands(SIGNING_SECRET, responseUrl),
      slack,
    });
    const conversations = await storedConversations(store, n);
    if (conversations.length !== n)
      throw new Error(`expected ${n} stored conversations, found ${conversations.length}`);
    const appClicks = conversationClicks(ctx.content, conversations, SIGNING_SECRET, responseUrl);
    // Two clicks each (the version, then the first answer, which posts the transcript): from here on
    // every click updates the check and the transcript.
    await runRound({ server: app, connections: 10, run: { requests: 2 * n }, next: appClicks, slack });
    const warmup = await runRound({
      server: app,
      connections: 10,
      run: { requests: settings.slack.warmupRequests },
      next: appClicks,
      slack,
    });
    assertNoStaleClicks(warmup.calls);
    const perClick = callsPerRequest(warmup.calls, warmup.acked);
    log(`  portal-check makes per click: ${JSON.stringify(perClick)}`);

    const baseline = await startServer(
      replayBolt(slack.url, perClick, sampleCheckMessage(ctx.content), ctx.tmp),
    );
    servers.push(baseline);
    const ceiling = await startServer(ackOnlyBolt(slack.url));
    servers.push(ceiling);
    // The baselines get the same requests, on conversations that exist only in the request.
    const otherClicks = () =>
      conversationClicks(
        ctx.content,
        Array.from({ length: n }, () => ({ id: randomUUID(), turn: 3 })),
        SIGNING_SECRET,
        responseUrl,
      );
    const contenders = [
      { role: "app" as const, server: app, next: appClicks },
      { role: "baseline" as const, server: baseline, next: otherClicks() },
      { role: "ceiling" as const, server: ceiling, next: otherClicks() },
    ];
    const { figures, levels } = await compareAtLevels(
      ctx,
      contenders,
      slack,
      {
        group: `Button click (${storeKind === "sqlite" ? "SQLite" : "Redis"})`,
        prefix: `click.${storeKind}`,
      },
      (r) => assertNoStaleClicks(r.calls),
    );
    return { figures, details: { store: storeKind, conversations: n, callsPerClick: perClick, levels } };
  } finally {
    for (const s of servers) await s.stop();
    await slack.close();
    await redis?.stop();
  }
}

/**
 * Every click must move its conversation: a stale one (the app answers "already answered" through
 * the response URL) would mean the benchmark measured something else.
 */
function assertNoStaleClicks(calls: Record<string, number>) {
  const stale = calls.response_url ?? 0;
  if (stale > 0) {
    throw new Error(
      `${stale} clicks were answered through the response URL (stale or failed), so not every click moved its conversation; raise slack.conversations in bench/settings.ts`,
    );
  }
}

/** The conversations the app stored, read through the same store the app uses. */
async function storedConversations(store: StoreChoice, limit: number): Promise<ClickableConversation[]> {
  const env =
    store.kind === "sqlite"
      ? { DATABASE_URL: store.path }
      : { REDIS_URL: store.url, REDIS_PREFIX: store.prefix };
  const opened = await openStore(env);
  try {
    const now = new Date();
    const records = await opened.listIdle(new Date(now.getTime() + DAY_MS), now, limit);
    return records.map((r) => ({ id: r.id, turn: surfaceOf(r).turn }));
  } finally {
    await opened.close();
  }
}

/** REDIS_URL, or a redis-server of our own on a free port (test/support/redis-server.ts). */
async function redisForBench() {
  const helper = await import("../../test/support/redis-server.js");
  if (helper.redisUnavailable) throw new BenchSkipped(helper.redisUnavailable);
  return helper.startRedis();
}
