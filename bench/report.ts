import { cpus, totalmem } from "node:os";
import { z } from "zod";

/**
 * One measured figure beside its baseline from the same run. `ratio` is value / baseline, or, for
 * figures measured in paired rounds, the median of the rounds' own ratios (`unpairedRatio` then
 * keeps value / baseline); `target` says in words what `met` checks.
 */
export const Figure = z.object({
  group: z.string(),
  name: z.string(),
  unit: z.string(),
  value: z.number(),
  baseline: z.number(),
  baselineName: z.string(),
  ratio: z.number(),
  /** value / baseline, where `ratio` is the median of paired rounds' ratios (see compare.ts). */
  unpairedRatio: z.number().optional(),
  target: z.string(),
  met: z.boolean(),
  /** A reference with no target, e.g. a Bolt app that only acks: the most any Bolt app gets here. */
  ceiling: z.object({ name: z.string(), value: z.number() }).optional(),
});
export type Figure = z.infer<typeof Figure>;

export const Machine = z.object({
  cpus: z.number().int().positive(),
  cpuModel: z.string(),
  memoryGb: z.number(),
  node: z.string(),
  platform: z.string(),
});
export type Machine = z.infer<typeof Machine>;

/** bench/results.json. */
export const Results = z.object({
  mode: z.enum(["full", "quick", "tiny"]),
  measuredAt: z.iso.datetime(),
  seconds: z.number(),
  machine: Machine,
  figures: z.record(z.string(), Figure),
  /** Benchmarks that did not run here, and why (e.g. no Redis). */
  skipped: z.array(z.object({ benchmark: z.string(), reason: z.string() })),
  /** Benchmarks that failed: the run exits non-zero. */
  failed: z.array(z.object({ benchmark: z.string(), error: z.string() })),
  /** Per-round numbers, call counts and settings, for whoever wants to look closer. */
  details: z.record(z.string(), z.unknown()),
});
export type Results = z.infer<typeof Results>;

export type Target = { ratioAtLeast: number } | { ratioAtMost: number } | { valueBelow: number };

export function figure(args: {
  group: string;
  name: string;
  unit: string;
  value: number;
  baseline: number;
  baselineName: string;
  target: Target;
  ceiling?: { name: string; value: number };
  /** The median of per-round ratios, when app and baseline ran in pairs of rounds. */
  pairedRatio?: number;
}): Figure {
  const { target, ceiling, pairedRatio, ...rest } = args;
  const ratio = pairedRatio ?? args.value / args.baseline;
  const [words, met] =
    "ratioAtLeast" in target
      ? [`ratio >= ${target.ratioAtLeast}`, ratio >= target.ratioAtLeast]
      : "ratioAtMost" in target
        ? [`ratio <= ${target.ratioAtMost}`, ratio <= target.ratioAtMost]
        : [`value < ${target.valueBelow} ${args.unit}`, args.value < target.valueBelow];
  return {
    ...rest,
    value: round(args.value),
    baseline: round(args.baseline),
    ratio: round(ratio),
    ...(pairedRatio === undefined ? {} : { unpairedRatio: round(args.value / args.baseline) }),
    target: words,
    met,
    ...(ceiling ? { ceiling: { name: ceiling.name, value: round(ceiling.value) } } : {}),
  };
}

export function machine(): Machine {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? "unknown",
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** The results as a fixed-width table, one figure a line, grouped. */
export function table(results: Results): string {
  const header = ["figure", "value", "baseline", "ratio", "target", "met", "ceiling"];
  const rows: string[][] = [];
  let group = "";
  for (const f of Object.values(results.figures)) {
    if (f.group !== group) {
      group = f.group;
      rows.push([`${group}:`, "", "", "", "", "", ""]);
    }
    rows.push([
      `  ${f.name}`,
      `${fmt(f.value)} ${f.unit}`,
      `${fmt(f.baseline)} (${f.baselineName})`,
      `${f.ratio.toFixed(2)}x`,
      f.target,
      f.met ? "yes" : "NO",
      f.ceiling ? `${fmt(f.ceiling.value)} (${f.ceiling.name})` : "",
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i >= 4 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const m = results.machine;
  return [
    `portal-check benchmarks (${results.mode}), ${results.measuredAt}`,
    `machine: ${m.cpus} x ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}`,
    "",
    line(header),
    ...rows.map(line),
    ...results.skipped.map((s) => `skipped ${s.benchmark}: ${s.reason}`),
    ...results.failed.map((f) => `FAILED ${f.benchmark}: ${f.error}`),
  ].join("\n");
}

function fmt(n: number): string {
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString("en-US");
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
