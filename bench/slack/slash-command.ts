import { join } from "node:path";
import { startConversation } from "../../src/core/flow/engine.js";
import { renderPrompts } from "../../src/slack/blocks/prompt.js";
import type { BenchContext, BenchOutput } from "../context.js";
import { ackOnlyBolt, portalCheck, replayBolt, SIGNING_SECRET } from "./apps.js";
import { callsPerRequest, compareAtLevels } from "./compare.js";
import { startFakeSlackProcess } from "./fake-slack.js";
import { runRound } from "./load.js";
import { slashCommands } from "./requests.js";
import { type ServerProcess, startServer } from "./server-process.js";

/**
 * `/portal-check` under load: portal-check (SQLite in a temp file) against a minimal Bolt app making
 * the same Web API calls per command, and an ack-only Bolt app, all against one fake Slack API.
 */
export async function slashCommandBench(ctx: BenchContext): Promise<BenchOutput> {
  const { settings, log } = ctx;
  const slack = await startFakeSlackProcess();
  const servers: ServerProcess[] = [];
  try {
    const responseUrl = `${slack.url}response_url`;
    const app = await startServer(
      portalCheck(slack.url, { kind: "sqlite", path: join(ctx.tmp, "slash.db") }),
    );
    servers.push(app);
    const appRequests = slashCommands(SIGNING_SECRET, responseUrl);
    const warmup = await runRound({
      server: app,
      connections: settings.slack.connections[0] ?? 10,
      run: { requests: settings.slack.warmupRequests },
      next: appRequests,
      slack,
    });
    const perCommand = callsPerRequest(warmup.calls, warmup.acked);
    log(`  portal-check makes per command: ${JSON.stringify(perCommand)}`);

    // What the baseline posts: the first screen of a conversation, as the app draws it.
    const first = startConversation(ctx.content, { type: "start", at: new Date().toISOString() });
    const message = renderPrompts(first.prompts, {
      conversation: "00000000-0000-4000-8000-000000000000",
      turn: 0,
    });
    const baseline = await startServer(replayBolt(slack.url, perCommand, message, ctx.tmp));
    servers.push(baseline);
    const ceiling = await startServer(ackOnlyBolt(slack.url));
    servers.push(ceiling);
    const contenders = [
      { role: "app" as const, server: app, next: appRequests },
      { role: "baseline" as const, server: baseline, next: slashCommands(SIGNING_SECRET, responseUrl) },
      { role: "ceiling" as const, server: ceiling, next: slashCommands(SIGNING_SECRET, responseUrl) },
    ];
    const { figures, levels } = await compareAtLevels(ctx, contenders, slack, {
      group: "Slash command (SQLite)",
      prefix: "slash",
    });
    return { figures, details: { callsPerCommand: perCommand, levels } };
  } finally {
    for (const s of servers) await s.stop();
    await slack.close();
  }
}
