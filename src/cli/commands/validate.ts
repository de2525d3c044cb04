import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, type WriteStream } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { parseArgs } from "node:util";
import { OP_VERSIONS, OpVersion } from "../../core/ids.js";
import { dayOf, parseIsoDay } from "../../core/rules/dates.js";
import { errorsHeading, formatError, ReportWriter, summary } from "../../core/rules/format-text.js";
import { ACCEPTED_FORMS, type ValidationResult, validateStream } from "../../core/rules/index.js";
import { type CliIO, type Command, UsageError } from "../io.js";

const HELP = `Usage: portal-check validate [FILE|-] [--json] [--today YYYY-MM-DD] [--op-version 14.19|14.10] [--legacy-portal]

Checks family-contact records for the settings that keep a parent from seeing a child on the
former OP patient portal, and says how to fix each one. Reads FILE, or stdin when FILE is - or
is left out and stdin is not a terminal. Large exports are streamed.

${ACCEPTED_FORMS}

Options:
  --json             print { records, findings, errors } as JSON instead of a report
  --today DATE       check as of this day (YYYY-MM-DD); default: today
  --op-version V     write fixes for OP 14.19 (default) or 14.10
  --legacy-portal    the practice had the portal in 2006-2010: a blank Authority is a blocker

Exit status: 0 no blockers, 1 blockers found, 2 input unusable (or bad usage).`;

interface ValidateArgs {
  file: string | undefined;
  json: boolean;
  today: string;
  opVersion: OpVersion;
  legacyPortal: boolean;
}

export const validate: Command = async (args, io) => {
  const parsed = parseValidateArgs(args);
  const out = writer(io.stdout);
  if (parsed === "help") {
    await out(`${HELP}\n`);
    return 0;
  }
  const handle = await openInput(parsed.file, io);
  const source: Readable = handle ? handle.createReadStream({ highWaterMark: 1024 * 1024 }) : io.stdin;
  const errors = new Spool();
  try {
    const options = { today: parsed.today, opVersion: parsed.opVersion, legacyPortal: parsed.legacyPortal };
    const result = parsed.json
      ? await printJson(source, options, out, errors)
      : await printReport(source, options, out, errors);
    if (result.unusable) {
      const err = writer(io.stderr);
      await err(`portal-check: ${parsed.file ?? "the input"} cannot be used. ${result.unusable}\n\n`);
      if (!parsed.json && result.counts.errors > 0) {
        await err(errorsHeading(result.counts.errors));
        await errors.copyTo(err);
      }
      return 2;
    }
    return result.counts.blockers > 0 ? 1 : 0;
  } finally {
    errors.remove();
    await handle?.close();
  }
};

function parseValidateArgs(args: string[]): ValidateArgs | "help" {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(args);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}. Run \`portal-check validate --help\`.`);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals.length > 1) throw new UsageError("validate reads one FILE (or - for stdin).");
  const now = new Date(); // today in the process's time zone
  const today = values.today ?? dayOf(now.getFullYear(), now.getMonth() + 1, now.getDate()).iso;
  if (!parseIsoDay(today)) throw new UsageError(`--today must be a real day as YYYY-MM-DD, not "${today}".`);
  const version = OpVersion.safeParse(values["op-version"] ?? "14.19");
  if (!version.success) throw new UsageError(`--op-version must be ${OP_VERSIONS.join(" or ")}.`);
  const file = positionals[0] === "-" ? undefined : positionals[0];
  return { file, json: values.json, today, opVersion: version.data, legacyPortal: values["legacy-portal"] };
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: "boolean", default: false },
      today: { type: "string" },
      "op-version": { type: "string" },
      "legacy-portal": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

/** The file's handle, or undefined for stdin; problems opening it are usage errors (exit 2). */
async function openInput(file: string | undefined, io: CliIO): Promise<FileHandle | undefined> {
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
  if ((await handle.stat()).isDirectory()) {
    await handle.close();
    throw new UsageError(`${file} is a directory; give a file.`);
  }
  return handle;
}

type Options = { today: string; opVersion: OpVersion; legacyPortal: boolean };
type Output = (text: string) => Promise<void>;

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

/**
 * Text kept until the end of the run in a private temporary file (created on first use, removed
 * afterwards), so a report's input problems or a JSON output's findings do not fill memory on a
 * whole-practice export. It holds patient data only for the length of the run.
 */
class Spool {
  private dir: string | undefined;
  private file: WriteStream | undefined;

  write(text: string): void {
    if (!this.file) {
      this.dir = mkdtempSync(join(tmpdir(), "portal-check-"));
      this.file = createWriteStream(join(this.dir, "spool"), { mode: 0o600 });
    }
    this.file.write(text);
  }

  /** Waits while the file is behind, so the spool does not buffer in memory either. */
  async drain(): Promise<void> {
    if (this.file?.writableNeedDrain) await once(this.file, "drain");
  }

  async copyTo(out: Output): Promise<void> {
    if (!this.file || !this.dir) return;
    this.file.end();
    await finished(this.file);
    for await (const chunk of createReadStream(join(this.dir, "spool"), { encoding: "utf8" }))
      await out(chunk as string);
  }

  remove(): void {
    this.file?.destroy();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The report: each patient's findings as they are found, then fixes, input problems and a summary. */
async function printReport(
  source: Readable,
  options: Options,
  out: Output,
  errors: Spool,
): Promise<ValidationResult> {
  const report = new ReportWriter(options);
  const pending = new Pending();
  const result = await validateStream(source, options, {
    findings: (findings) => pending.add(report.add(findings)),
    error: (error) => errors.write(formatError(error)),
    drain: async () => {
      await pending.flush(out);
      await errors.drain();
    },
  });
  if (result.unusable) return result;
  pending.add(report.end());
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
async function printJson(
  source: Readable,
  options: Options,
  out: Output,
  errors: Spool,
): Promise<ValidationResult> {
  const pending = new Pending();
  const findings = new Spool();
  let records = 0;
  let found = 0;
  let problems = 0;
  pending.add('{"records":[');
  try {
    const result = await validateStream(source, options, {
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
    await out(`]${result.unusable ? `,"unusable":${JSON.stringify(result.unusable)}` : ""}}\n`);
    return result;
  } finally {
    findings.remove();
  }
}
