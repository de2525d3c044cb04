import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { round } from "../report.js";

/**
 * One measured figure, side by side with its baseline from the same run. `target` says what
 * `met` checks, e.g. "ratio <= 1.5" or "value < 300".
 */
export interface Figure {
  value: number;
  baseline: number;
  ratio: number;
  unit: string;
  target: string;
  met: boolean;
}

export function figure(
  value: number,
  baseline: number,
  unit: string,
  target: string,
  met: (f: { value: number; ratio: number }) => boolean,
): Figure {
  const ratio = value / baseline;
  return {
    value: round(value),
    baseline: round(baseline),
    ratio: round(ratio),
    unit,
    target,
    met: met({ value, ratio }),
  };
}

/** Writes bench/results/<name>.json, which `npm run bench` can gather with the other benchmarks. */
export function writeResults(
  file: string,
  results: { benchmark: string; figures: Record<string, Figure> } & Record<string, unknown>,
) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify({ ...results, node: process.version, measuredAt: new Date().toISOString() }, null, 2)}\n`,
  );
}
