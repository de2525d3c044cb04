import { type FileHandle, open } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import { loadContentQuickly } from "../../content/snapshot.js";
import type { OpVersion } from "../../core/ids.js";
import { type KnowledgeBase, opVersionsOf } from "../../core/knowledge/schema.js";
import { outcomeOf, type ValidationOutcome } from "../../core/rules/coverage.js";
import { dayOf, parseIsoDay } from "../../core/rules/dates.js";
import { ACCEPTED_FORMS } from "../../core/rules/detect.js";
import {
  coverageText,
  errorsHeading,
  formatError,
  notCheckedText,
  ReportWriter,
  summary,
} from "../../core/rules/format-text.js";
import { fixStepsOf } from "../../core/rules/navigation.js";
import { XLSX_LIMIT, xlsxToText } from "../../core/rules/read-xlsx.js";
import type { ValidationResult } from "../../core/rules/schema.js";
import { type StreamHandlers, validateStream } from "../../core/rules/validate-stream.js";
import { type CliIO, type Command, coveredVersion, parseCommandArgs, UsageError } from "../io.js";
import { type JoinedPart, splitFile } from "../validate/parts.js";
import type { OutputForm } from "../validate/protocol.js";
import { type Output, type Spool, SpoolDir } from "../validate/spool.js";

const MAX_THREADS = 8;
/**
 * Below this size a file is read in one part: a worker thread costs about 0.3 s to start (it loads
 * the rules and zod) and to join, which a 16 MB export (130,000 rows, 2-3 s) barely earns back.
 * A million-row export is about 120 MB; two parts take its time from about 17 s to 12 s.
 */
const AUTO_SPLIT_MB = 32;
/** By default at most this many parts: each thread holds its own parser and heap (about 100 MB). */
const AUTO_THREADS = 2;

const HELP = `Usage: portal-check validate [FILE|-] [--json] [--today YYYY-MM-DD] [--op-version V] [--legacy-portal] [--sheet NAME] [--threads N]

Checks family-contact records for the settings that keep a parent from seeing a child on the
former OP patient portal, and says how to fix each one. Reads FILE, or stdin when FILE is - or
is left out and stdin is not a terminal. Large exports are streamed.

${ACCEPTED_FORMS}
  - an Excel workbook (.xlsx) given as FILE: its first sheet, or the one --sheet names
Text may be UTF-8, UTF-16 (Excel's "Unicode Text") or Windows-1252 (Excel's plain "CSV").

Every report first says which columns were read (and as what), which were not, and which
checks could not run for want of a column; --json gives the same as "columns" and "notChecked".

Options:
  --json             print { records, findings, errors, columns, notChecked } as JSON
  --today DATE       check as of this day (YYYY-MM-DD); default: today
  --op-version V     write fixes for OP version V, one of knowledge/'s (default: its first)
  --legacy-portal    the practice had the portal in 2006-2010: a blank Authority is a blocker
  --sheet NAME       the sheet of an .xlsx workbook to check; default: the first
  --threads N        read a FILE in N parts at once, 1 to ${MAX_THREADS}; default: 2 for a file of
                     ${AUTO_SPLIT_MB} MB or more on a machine with 2 or more cores, otherwise 1

Exit status:
  0  every check ran on every record and nothing keeps a parent off the portal
  1  blockers found
  2  bad usage, or the input cannot be used at all
  3  no blocker found, but something could not be checked (a check lacked its column, or
     rows or cells could not be read): not an all clear
  4  internal failure (e.g. no temporary folder could be made); nothing was decided`;

/** The exit status of each outcome (HELP and README list them). */
const EXIT: Record<ValidationOutcome, number> = { clear: 0, blockers: 1, unusable: 2, incomplete: 3 };

interface ValidateArgs {
  file: string | undefined;
  json: boolean;
  today: string;
  opVersion: OpVersion;
  legacyPortal: boolean;
  /** Undefined: decided by the file's size. */
  threads: number | undefined;
  sheet: string | undefined;
}

export const validate: Command = async (args, io) => {
  // The OP versions --op-version accepts, and the steps each fix is made of, are the content's.
  const content = await loadContentQuickly();
  const parsed = parseValidateArgs(args, content.knowledge);
  const out = writer(io.stdout);
  if (parsed === "help") {
    await out(`${HELP}\n`);
    return 0;
  }
  const opened = await openInput(parsed.file, io);
  const spools = new SpoolDir();
  const unguard = spools.removeOnSignal();
  try {
    const options = {
      today: parsed.today,
      opVersion: parsed.opVersion,
      legacyPortal: parsed.legacyPortal,
      steps: fixStepsOf(content, parsed.opVersion),
    };
    const input: Input = {
      stdin: io.stdin,
      output: parsed.json ? "json" : "report",
      spools,
      errors: spools.spool("errors"),
      failures: [],
    };
    const workbook = opened
      ? await readWorkbook(opened.handle, parsed.file as string, parsed.sheet)
      : undefined;
    if (workbook !== undefined) input.text = workbook;
    else if (parsed.sheet !== undefined) {
      throw new UsageError("--sheet names a sheet of an Excel workbook (.xlsx); this input is not one.");
    } else if (opened) {
      const { handle, size } = opened;
      const threads = parsed.threads ?? (size >= AUTO_SPLIT_MB * 1024 * 1024 ? autoThreads() : 1);
      input.file = { handle, size, threads };
    }
    const result = parsed.json
      ? await printJson(input, options, out)
      : await printReport(input, options, out);
    const err = writer(io.stderr);
    for (const failure of input.failures) {
      await err(
        `portal-check: a worker thread could not read ${failure}; the main thread read it instead, so the result is complete.\n`,
      );
    }
    if (result.unusable) {
      await err(`portal-check: ${parsed.file ?? "the input"} cannot be used. ${result.unusable}\n\n`);
      if (!parsed.json && result.counts.errors > 0) {
        await err(errorsHeading(result.counts.errors));
        await input.errors.copyTo(err);
      }
      return 2;
    }
    return EXIT[outcomeOf(result)];
  } finally {
    spools.remove();
    unguard();
    await opened?.handle.close();
  }
};

/** Two parts where two cores can take them. */
function autoThreads(): number {
  return Math.min(AUTO_THREADS, availableParallelism());
}

function parseValidateArgs(args: string[], knowledge: KnowledgeBase): ValidateArgs | "help" {
  const { values, positionals } = parseOptions(args);
  if (values.help) return "help";
  if (positionals.length > 1) throw new UsageError("validate reads one FILE (or - for stdin).");
  const now = new Date(); // today in the process's time zone
  const today = values.today ?? dayOf(now.getFullYear(), now.getMonth() + 1, now.getDate()).iso;
  if (!parseIsoDay(today)) throw new UsageError(`--today must be a real day as YYYY-MM-DD, not "${today}".`);
  const version = coveredVersion(values["op-version"] ?? opVersionsOf(knowledge)[0] ?? "", knowledge);
  const file = positionals[0] === "-" ? undefined : positionals[0];
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS)) {
    throw new UsageError(
      `--threads must be a whole number from 1 to ${MAX_THREADS}, not "${values.threads}".`,
    );
  }
  return {
    file,
    json: values.json,
    today,
    opVersion: version,
    legacyPortal: values["legacy-portal"],
    threads,
    sheet: values.sheet,
  };
}

function parseOptions(args: string[]) {
  return parseCommandArgs(
    {
      args,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: "boolean", default: false },
        today: { type: "string" },
        "op-version": { type: "string" },
        "legacy-portal": { type: "boolean", default: false },
        threads: { type: "string" },
        sheet: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    },
    ". Run `portal-check validate --help`.",
  );
}

/** The file's handle and size, or undefined for stdin; problems opening it are usage errors (exit 2). */
async function openInput(
  file: string | undefined,
  io: CliIO,
): Promise<{ handle: FileHandle; size: number } | undefined> {
  if (file === undefined) {
    if ((io.stdin as { isTTY?: boolean }).isTTY) {
      throw new UsageError(
        "give a FILE to check, or pipe the records in (e.g. `pbpaste | portal-check validate`).",
      );
    }
    return undefined;
  }
  let handle: FileHandle;
  try {
    handle = await open(resolve(io.cwd, file), "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "there is no such file" : code === "EACCES" ? "permission denied" : code;
    throw new UsageError(`cannot open ${file}: ${why}.`);
  }
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    throw new UsageError(`${file} is a directory; give a file.`);
  }
  return { handle, size: stat.size };
}

type Options = { today: string; opVersion: OpVersion; legacyPortal: boolean };

/**
 * The sheet's text when FILE is an Excel workbook (a zip file, by its first bytes), else
 * undefined. An Apple Numbers file is a zip too, told by its name. What cannot be read is
 * unusable input (exit 2), said in one line.
 */
async function readWorkbook(
  handle: FileHandle,
  file: string,
  sheet: string | undefined,
): Promise<string | undefined> {
  const magic = Buffer.alloc(4);
  await handle.read(magic, 0, 4, 0);
  if (!magic.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return undefined;
  if (/\.numbers$/i.test(file)) {
    throw new UsageError(
      `${file} is an Apple Numbers file, which this check cannot read. In Numbers, use File > Export To > CSV, or Excel (.xlsx), and check that.`,
    );
  }
  if ((await handle.stat()).size > XLSX_LIMIT) {
    throw new UsageError(
      `${file} cannot be used. The workbook is larger than ${XLSX_LIMIT / 1024 / 1024} MB; save the sheet as CSV UTF-8 and check that instead.`,
    );
  }
  const read = await xlsxToText(await handle.readFile(), sheet);
  if ("problem" in read) throw new UsageError(`${file} cannot be used. ${read.problem}`);
  return read.text;
}

/** What a run reads, and where it keeps text for later. */
interface Input {
  stdin: Readable;
  /** The text of a workbook's sheet, when the FILE was one. */
  text?: string;
  /** The FILE given, if one was: it is read in `threads` parts. */
  file?: { handle: FileHandle; size: number; threads: number };
  output: OutputForm;
  spools: SpoolDir;
  /** The input problems, written at the end. */
  errors: Spool;
  /** Why worker threads could not read their parts, for the command to say. */
  failures: string[];
}

/**
 * Writes with back-pressure. Once the reader has gone (`| head` closes the pipe), further output
 * is dropped instead of failing: validation still ends with its exit status.
 */
function writer(stream: Writable): Output {
  let closed = false;
  stream.on("error", () => {
    closed = true;
  });
  return (text) =>
    new Promise((done) => {
      if (closed || stream.write(text)) return done();
      const finish = () => {
        stream.off("drain", finish);
        stream.off("error", finish);
        done();
      };
      stream.on("drain", finish);
      stream.on("error", finish);
    });
}

/** Text produced during validation, collected in order and written out between input chunks. */
class Pending {
  private parts: string[] = [];

  add(text: string): void {
    if (text !== "") this.parts.push(text);
  }

  async flush(out: Output): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join("");
    this.parts = [];
    await out(text);
  }
}

/** The report: each patient's findings as they are found, then fixes, input problems and a summary. */
async function printReport(input: Input, options: Options, out: Output): Promise<ValidationResult> {
  const { errors } = input;
  const report = new ReportWriter(options);
  const pending = new Pending();
  // A table's coverage is known from its header, before any finding. Other forms say which keys
  // they used only at the end: their findings wait in a spool so the coverage still comes first.
  let early: Spool | undefined;
  let coverageShown = false;
  let shownNotChecked: string[] = [];
  const joined = async (part: JoinedPart) => errors.append(part.errors);
  const result = await validateInput(input, options, joined, {
    header: (columns, notChecked) => {
      pending.add(coverageText(columns, notChecked));
      coverageShown = true;
      shownNotChecked = notChecked.map((item) => JSON.stringify(item));
    },
    findings: (findings) => {
      const text = report.add(findings);
      if (coverageShown) pending.add(text);
      else if (text !== "") {
        early ??= input.spools.spool("report");
        early.write(text);
      }
    },
    error: (error) => errors.write(formatError(error)),
    drain: async () => {
      await pending.flush(out);
      await early?.drain();
      await errors.drain();
    },
  });
  if (result.unusable) return result;
  if (!coverageShown) {
    await out(coverageText(result.columns, result.notChecked));
    await early?.copyTo(out);
  }
  pending.add(report.end());
  // What only the records showed (a yes/no Portal on some rows), after the header's list.
  const more = result.notChecked.filter((item) => !shownNotChecked.includes(JSON.stringify(item)));
  if (coverageShown && more.length > 0) pending.add(`${notCheckedText("Also not checked:", more)}\n`);
  await pending.flush(out);
  if (result.counts.errors > 0) {
    await out(errorsHeading(result.counts.errors));
    await errors.copyTo(out);
    await out("\n");
  }
  await out(summary(result, options));
  return result;
}

/** `{ records, findings, errors }`: records written as they are read, findings and errors after them. */
async function printJson(input: Input, options: Options, out: Output): Promise<ValidationResult> {
  const { errors } = input;
  const pending = new Pending();
  const findings = input.spools.spool("findings");
  let records = 0;
  let found = 0;
  let problems = 0;
  pending.add('{"records":[');
  // A worker's records and problems are JSON items already, separated among themselves.
  const joined = async (part: JoinedPart) => {
    if (part.session.recordCount > 0) {
      await pending.flush(out);
      if (records > 0) await out(",");
      await part.records.copyTo(out);
      records += part.session.recordCount;
    }
    if (part.session.counts.errors > 0) {
      if (problems > 0) errors.write(",");
      await errors.append(part.errors);
      problems += part.session.counts.errors;
    }
  };
  const result = await validateInput(input, options, joined, {
    record: (record) => pending.add(`${records++ === 0 ? "" : ","}${JSON.stringify(record)}`),
    findings: (group) => {
      for (const finding of group) findings.write(`${found++ === 0 ? "" : ","}${JSON.stringify(finding)}`);
    },
    error: (error) => errors.write(`${problems++ === 0 ? "" : ","}${JSON.stringify(error)}`),
    drain: async () => {
      await pending.flush(out);
      await findings.drain();
      await errors.drain();
    },
  });
  await pending.flush(out);
  await out('],"findings":[');
  await findings.copyTo(out);
  await out('],"errors":[');
  await errors.copyTo(out);
  const coverage = `,"columns":${JSON.stringify(result.columns)},"notChecked":${JSON.stringify(result.notChecked)}`;
  await out(`]${result.unusable ? `,"unusable":${JSON.stringify(result.unusable)}` : ""}${coverage}}\n`);
  return result;
}

/**
 * Validates stdin, or the FILE in parts: the first here, the later ones on worker threads, each
 * handed to `joined` to output what it kept aside once it is joined (see validate/parts.ts).
 */
async function validateInput(
  input: Input,
  options: Options,
  joined: (part: JoinedPart) => Promise<void>,
  handlers: StreamHandlers,
): Promise<ValidationResult> {
  const { file } = input;
  if (input.text !== undefined) return validateStream([input.text], options, handlers);
  if (!file) return validateStream(input.stdin, options, handlers);
  const parts =
    file.threads > 1
      ? await splitFile({ ...file, options, output: input.output, dir: input.spools.path, joined })
      : undefined;
  try {
    // The first part, when split; the whole file otherwise.
    const end = parts ? (parts.starts[0] as number) - 1 : undefined;
    const source = file.handle.createReadStream({
      highWaterMark: 1024 * 1024,
      start: 0,
      end,
      autoClose: false,
    });
    return await validateStream(source, options, handlers, parts);
  } finally {
    await parts?.stop();
    input.failures.push(...(parts?.failures ?? []));
  }
}
