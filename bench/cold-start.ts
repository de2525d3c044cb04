import { join } from "node:path";
import type { BenchContext, BenchOutput } from "./context.js";
import { figure, median, round } from "./report.js";
import { ackOnlyBolt, portalCheck } from "./slack/apps.js";
import { startFakeSlackProcess } from "./slack/fake-slack.js";
import { type ServerSpec, startServer } from "./slack/server-process.js";

/**
 * Process start to ready for requests (spawn to the first 200 from GET /healthz): `portal-check
 * serve` (SQLite, an existing database, as after a restart) against the minimal Bolt app,
 * alternating, after one unmeasured start of each (file caches warm for both). The ratio is the
 * median of each run's own ratio.
 */
export async function coldStartBench(ctx: BenchContext): Promise<BenchOutput> {
  const slack = await startFakeSlackProcess();
  try {
    const specs: Record<"app" | "baseline", ServerSpec> = {
      app: portalCheck(slack.url, { kind: "sqlite", path: join(ctx.tmp, "cold-start.db") }),
      baseline: ackOnlyBolt(slack.url),
    };
    const startOnce = async (spec: ServerSpec) => {
      const server = await startServer(spec);
      await server.stop();
      return server.startupMs;
    };
    await startOnce(specs.app);
    await startOnce(specs.baseline);
    const runs: Record<"app" | "baseline", number[]> = { app: [], baseline: [] };
    for (let i = 0; i < ctx.settings.coldStartRuns; i++) {
      const order = i % 2 === 0 ? (["app", "baseline"] as const) : (["baseline", "app"] as const);
      for (const role of order) runs[role].push(await startOnce(specs[role]));
      ctx.log(
        `    run ${i + 1}: portal-check ${Math.round(runs.app[i] ?? 0)} ms, minimal Bolt ${Math.round(runs.baseline[i] ?? 0)} ms`,
      );
    }
    return {
      figures: {
        "cold_start.ms": figure({
          group: "Cold start",
          name: "spawn to first 200 from /healthz (median)",
          unit: "ms",
          value: median(runs.app),
          baseline: median(runs.baseline),
          // Each run's two starts are back to back, as the Slack rounds' pairs are (see compare.ts).
          pairedRatio: median(runs.app.map((ms, i) => ms / (runs.baseline[i] as number))),
          baselineName: "minimal Bolt",
          target: { ratioAtMost: 1.5 },
        }),
      },
      details: { runs: { app: runs.app.map(round), baseline: runs.baseline.map(round) } },
    };
  } finally {
    await slack.close();
  }
}
