import type { Content } from "../src/content/load.js";
import type { Figure } from "./report.js";
import type { Settings } from "./settings.js";

/** What every benchmark gets from bench/run.ts. */
export interface BenchContext {
  settings: Settings;
  content: Content;
  /** A temporary folder for this run (databases, generated files), removed afterwards. */
  tmp: string;
  /** Where the rules and retrieval benchmarks write their own JSON. */
  resultsDir: string;
  log: (line: string) => void;
}

export interface BenchOutput {
  figures: Record<string, Figure>;
  details: unknown;
}

/** A benchmark that cannot run here (e.g. no Redis) says why instead of failing. */
export class BenchSkipped extends Error {
  override name = "BenchSkipped";
}
