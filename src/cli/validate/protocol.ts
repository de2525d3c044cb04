import type { PartEnd } from "../../core/rules/read-table.js";
import type { Finding, ValidateOptions } from "../../core/rules/schema.js";
import type { SessionPart } from "../../core/rules/session.js";

/** How the command prints: a worker writes its records and input problems the same way. */
export type OutputForm = "report" | "json";

/** What the main thread gives a worker reading one later part of a file (part-worker.ts). */
export interface PartTask {
  /**
   * The open file's descriptor: threads share the process's descriptors, so every part reads the
   * file the command opened, even if it is renamed or replaced meanwhile.
   */
  fd: number;
  /** The part: bytes [start, end) of the file; `last` when it runs to the end of the file. */
  start: number;
  end: number;
  last: boolean;
  header: readonly string[];
  delimiter: string;
  options: ValidateOptions;
  output: OutputForm;
  /** Where the worker writes its spools, named by `spoolNames(index)`. */
  dir: string;
  index: number;
}

/** What a worker posts back when its part is read. */
export interface PartDone {
  linesBefore: number;
  end?: PartEnd;
  session: SessionPart;
  /**
   * The fixes of the findings in the runs spool, which carry a number into this list instead:
   * the same few lists of steps would otherwise be most of the spool.
   */
  fixes: string[][];
}

/** A finding as the runs spool holds it (see PartDone.fixes). */
export type SpooledFinding = Omit<Finding, "fix"> & { fix: number };

/** The worker's spools: the runs of findings it handed over (a JSON array per line), its records and input problems. */
export function spoolNames(index: number) {
  return { runs: `part-${index}-runs`, records: `part-${index}-records`, errors: `part-${index}-errors` };
}
