import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Figure } from "../report.js";

/**
 * Writes bench/results/<name>.json for a benchmark that runs on its own (`bench:rules`,
 * `bench:retrieval`); `npm run bench` takes its figures as they are, in the shape of every figure
 * (report.ts). Numbers without a target go elsewhere in the file.
 */
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
