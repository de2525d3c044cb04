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
 *
 * `calibrate` (`npm run bench:calibrate`) puts a second copy of that Bolt app where portal-check
 * was, everything else the same: the ratios it gets should be 1.0, and how far they stray is how
 * finely this machine can tell two apps apart.
 */
export async function slashCommandBench(ctx: BenchContext, { calibrate = false } = {}): Promise<BenchOutput> {
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
    // Unmeasured requests first (JIT warm-up); for portal-check also the count of its calls.
    const warm = (server: ServerProcess, next: typeof appRequests) =>
      runRound({
        server,
        connections: settings.slack.connections[0] ?? 10,
        run: { requests: settings.slack.warmupRequests },
        next,
        slack,
      });
    const warmup = await warm(app, appRequests);
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
    // The same Bolt app again, in place of portal-check (which has done its part: the calls to replay).
    const measured = calibrate ? await startServer(replayBolt(slack.url, perCommand, message, ctx.tmp)) : app;
    if (calibrate) {
      servers.push(measured);
      // Warmed as portal-check was above (compareAtLevels warms only the other two): a process
      // whose code is still being optimised would lose its first rounds for no reason of its own.
      await warm(measured, slashCommands(SIGNING_SECRET, responseUrl));
    }
    const contenders = [
      {
        role: "app" as const,
        server: measured,
        next: calibrate ? slashCommands(SIGNING_SECRET, responseUrl) : appRequests,
      },
      { role: "baseline" as const, server: baseline, next: slashCommands(SIGNING_SECRET, responseUrl) },
      { role: "ceiling" as const, server: ceiling, next: slashCommands(SIGNING_SECRET, responseUrl) },
    ];
    const { figures, levels } = await compareAtLevels(
      ctx,
      contenders,
      slack,
      calibrate
        ? { group: "Calibration: Bolt against the same Bolt (slash command)", prefix: "calibrate" }
        : { group: "Slash command (SQLite)", prefix: "slash" },
    );
    return { figures, details: { callsPerCommand: perCommand, levels } };
  } finally {
    for (const s of servers) await s.stop();
    await slack.close();
  }
}
