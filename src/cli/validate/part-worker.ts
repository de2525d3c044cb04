// A worker thread reading one later part of a large table for `portal-check validate` (parts.ts):
// it counts the lines before its part, reads the part with the header the main thread found, and
// posts back what the main thread needs to join it. Output goes to spools in the run's folder.
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { transferables } from "../../core/rules/email-index.js";
import { formatError } from "../../core/rules/format-text.js";
import type { Finding } from "../../core/rules/schema.js";
import type { ValidationHandlers } from "../../core/rules/session.js";
import { validatePart } from "../../core/rules/validate-stream.js";
import type { PartDone, PartTask, SpooledFinding } from "./protocol.js";
import { spoolNames } from "./protocol.js";
import { Spool } from "./spool.js";

const task = workerData as PartTask;
const names = spoolNames(task.index);
const spool = (name: string) => Spool.of(join(task.dir, name));
const runs = spool(names.runs);
const records = spool(names.records);
const errors = spool(names.errors);
let recordsWritten = 0;
let errorsWritten = 0;

const fixes: string[][] = [];
const fixNumbers = new Map<readonly string[], number>();
const spooled = (finding: Finding): SpooledFinding => {
  let fix = fixNumbers.get(finding.fix);
  if (fix === undefined) {
    fix = fixes.push(finding.fix) - 1;
    fixNumbers.set(finding.fix, fix);
  }
  return { ...finding, fix };
};

const handlers: ValidationHandlers = {
  findings: (findings) => runs.write(`${JSON.stringify(findings.map(spooled))}\n`),
  error: (error) =>
    errors.write(
      task.output === "json"
        ? `${errorsWritten++ === 0 ? "" : ","}${JSON.stringify(error)}`
        : formatError(error),
    ),
};
if (task.output === "json") {
  handlers.record = (record) =>
    records.write(`${recordsWritten++ === 0 ? "" : ","}${JSON.stringify(record)}`);
}

// The main thread's descriptor, read at given positions; the main thread closes it.
const shared = { fd: task.fd, autoClose: false };
const linesBefore = await countLines(task.fd, task.start);
const chunks = drained(
  createReadStream("", { ...shared, start: task.start, end: task.end - 1, highWaterMark: 1024 * 1024 }),
);
const { end, session } = await validatePart(
  chunks,
  {
    header: task.header,
    delimiter: task.delimiter,
    start: task.start,
    linesBefore,
    // The last part reads to the end of the file: no end to check.
    ...(task.last ? {} : { end: task.end }),
  },
  task.options,
  handlers,
);
await Promise.all([runs.close(), records.close(), errors.close()]);
const done: PartDone = { linesBefore, ...(end ? { end } : {}), session, fixes };
parentPort?.postMessage(done, transferables(session.index));

/** The chunks, waiting between them while a spool is behind. */
async function* drained(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    yield chunk;
    await Promise.all([runs.drain(), records.drain(), errors.drain()]);
  }
}

/**
 * The line breaks in the file before `byte` (CRLF, LF or a lone CR each end a line, as for the
 * table reader), so this part's lines are numbered as in the whole file. The main thread checks
 * the count against where the part before ended, and reads the part itself when they differ.
 */
async function countLines(fd: number, byte: number): Promise<number> {
  if (byte === 0) return 0;
  let lines = 0;
  let crLast = false;
  for await (const chunk of createReadStream("", {
    fd,
    autoClose: false,
    end: byte - 1,
    highWaterMark: 1024 * 1024,
  })) {
    const bytes = chunk as Buffer;
    if (crLast && bytes[0] !== 0x0a) lines++;
    for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) lines++;
    for (let at = bytes.indexOf(0x0d); at >= 0; at = bytes.indexOf(0x0d, at + 1)) {
      if (at + 1 < bytes.length && bytes[at + 1] !== 0x0a) lines++;
    }
    crLast = bytes[bytes.length - 1] === 0x0d;
  }
  return crLast ? lines + 1 : lines;
}
