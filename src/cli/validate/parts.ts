import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import type { Finding, ValidateOptions } from "../../core/rules/schema.js";
import type { Run, SessionPart } from "../../core/rules/session.js";
import type { InputParts, PartResult } from "../../core/rules/validate-stream.js";
import { startWorker } from "../../worker-thread.js";
import {
  type OutputForm,
  type PartDone,
  type PartTask,
  type SpooledFinding,
  spoolNames,
} from "./protocol.js";
import { Spool } from "./spool.js";

/** A worker's spools, for the command to output once its part is joined. */
export interface JoinedPart {
  session: SessionPart;
  records: Spool;
  errors: Spool;
}

export interface PartsPlan {
  handle: FileHandle;
  size: number;
  /** How many parts, the first read on the main thread. */
  threads: number;
  options: ValidateOptions;
  output: OutputForm;
  /** The run's private spool folder. */
  dir: string;
  joined: (part: JoinedPart) => Promise<void>;
}

/**
 * Splits a large file into `threads` parts of about equal size, each starting just after a line
 * break, and reads every part but the first on a worker thread (part-worker.ts) while validateStream
 * reads the first. Whether a split is usable (it may fall inside a quoted cell) is only known once
 * the part before it is read: validateStream checks, and reads on itself where a part cannot join.
 * Undefined when the file is too small to split.
 */
export async function splitFile(plan: PartsPlan): Promise<FileParts | undefined> {
  const starts: number[] = [];
  for (let part = 1; part < plan.threads; part++) {
    const start = await lineStartAfter(plan.handle, Math.floor((plan.size * part) / plan.threads));
    if (start === undefined || start >= plan.size) break;
    if (start > (starts.at(-1) ?? 0)) starts.push(start);
  }
  return starts.length === 0 ? undefined : new FileParts(plan, starts);
}

class FileParts implements InputParts {
  private readonly workers: (Worker | undefined)[] = [];
  private readonly done: Promise<PartDone | undefined>[] = [];
  /** Fixes arrive from workers as copies; each is made one array again (the report labels fixes by array). */
  private readonly fixes = new Map<string, readonly string[]>();
  /** Why parts could not be read on their worker threads (they were read on the main thread). */
  readonly failures: string[] = [];

  constructor(
    private readonly plan: PartsPlan,
    readonly starts: readonly number[],
  ) {}

  begin(header: readonly string[], delimiter: string): void {
    const { handle, size, options, output, dir } = this.plan;
    this.starts.forEach((start, at) => {
      const index = at + 1;
      const last = at === this.starts.length - 1;
      const task: PartTask = {
        fd: handle.fd,
        start,
        end: last ? size : (this.starts[at + 1] as number),
        last,
        header,
        delimiter,
        options,
        output,
        dir,
        index,
      };
      const worker = startPartWorker(task);
      this.workers[index] = worker;
      this.done[index] = new Promise((resolve) => {
        worker.once("message", (message: PartDone) => resolve(message));
        // A part that fails is read by the main thread instead; the result is the same, but the
        // command says so (a worker failing is a fault to report, not a way of working).
        worker.once("error", (err) => {
          this.failures.push(`part ${index + 1}: ${firstLine(err)}`);
          resolve(undefined);
        });
        worker.once("exit", (code) => {
          if (code !== 0 && this.workers[index]) this.failures.push(`part ${index + 1}: exit ${code}`);
          resolve(undefined);
        });
      });
    });
  }

  async result(index: number): Promise<PartResult | undefined> {
    const done = await this.done[index];
    if (!done) return undefined;
    const names = spoolNames(index);
    const spool = (name: string) => Spool.of(join(this.plan.dir, name));
    const session = { ...done.session };
    if (session.first) session.first = this.withFixes(session.first);
    if (session.open) session.open = this.withFixes(session.open);
    const records = spool(names.records);
    const errors = spool(names.errors);
    return {
      linesBefore: done.linesBefore,
      ...(done.end ? { end: done.end } : {}),
      session,
      handed: this.handed(spool(names.runs), done.fixes),
      joined: () => this.plan.joined({ session, records, errors }),
    };
  }

  abandon(index: number): void {
    for (let at = index; at < this.workers.length; at++) {
      void this.workers[at]?.terminate();
      this.workers[at] = undefined;
    }
  }

  rest(byte: number, end?: number): AsyncIterable<Uint8Array> {
    return this.plan.handle.createReadStream({
      start: byte,
      ...(end === undefined ? {} : { end: end - 1 }),
      highWaterMark: 1024 * 1024,
      autoClose: false,
    });
  }

  /** Stops any worker still running (the command ends, or failed), before the file is closed. */
  async stop(): Promise<void> {
    const running = this.workers.filter((worker) => worker !== undefined);
    this.abandon(1);
    await Promise.all(running.map((worker) => worker.terminate()));
  }

  private async *handed(runs: Spool, fixes: string[][]): AsyncGenerator<Finding[]> {
    // A fix number stands for one rule's array of steps in the worker: made one array here once.
    const arrays: string[][] = [];
    for await (const line of runs.lines()) {
      const findings = JSON.parse(line) as SpooledFinding[];
      yield findings.map((finding) => {
        let fix = arrays[finding.fix];
        if (!fix) {
          fix = this.fix({ ...finding, fix: fixes[finding.fix] as string[] });
          arrays[finding.fix] = fix;
        }
        return { ...finding, fix };
      });
    }
  }

  private withFixes(run: Run): Run {
    for (const finding of run.findings) finding.fix = this.fix(finding);
    return run;
  }

  /** One array per rule and fix, as the rules themselves build them. */
  private fix({ rule, fix }: Finding): string[] {
    const key = `${rule}\n${fix.join("\n")}`;
    let known = this.fixes.get(key);
    if (!known) {
      known = fix;
      this.fixes.set(key, known);
    }
    return known as string[];
  }
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split("\n")[0] ?? "").slice(0, 200);
}

/** Just after the first line break at or after `byte`; undefined when there is none. */
async function lineStartAfter(handle: FileHandle, byte: number): Promise<number | undefined> {
  const window = Buffer.alloc(64 * 1024);
  for (let at = byte; ; at += window.length) {
    const { bytesRead } = await handle.read(window, 0, window.length, at);
    if (bytesRead === 0) return undefined;
    const newline = window.subarray(0, bytesRead).indexOf(0x0a);
    if (newline >= 0) return at + newline + 1;
  }
}

/** The part worker (part-worker.ts) beside this module. */
function startPartWorker(task: PartTask): Worker {
  return startWorker(import.meta.url, "part-worker", { workerData: task });
}
