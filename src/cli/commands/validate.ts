import { type FileHandle, open } from "node:fs/promises";
import { resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import { parseArgs } from "node:util";
import { format } from "date-fns";
import { OP_VERSIONS, OpVersion } from "../../core/ids.js";
import { parseIsoDay } from "../../core/rules/dates.js";
import { formatErrors, formatReport } from "../../core/rules/format-text.js";
import {
  ACCEPTED_FORMS,
  type ContactRecord,
  type ValidationResult,
  validateStream,
} from "../../core/rules/index.js";
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
  try {
    const options = { today: parsed.today, opVersion: parsed.opVersion, legacyPortal: parsed.legacyPortal };
    const result = parsed.json
      ? await printJson(source, options, out)
      : await printReport(source, options, out);
    if (result.unusable) {
      const errors = result.errors.length > 0 ? `\n${formatErrors(result.errors)}` : "\n";
      const what = parsed.file ?? "the input";
      await writer(io.stderr)(`portal-check: ${what} cannot be used. ${result.unusable}\n${errors}`);
      return 2;
    }
    return result.findings.some((finding) => finding.severity === "blocker") ? 1 : 0;
  } finally {
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
  const today = values.today ?? format(new Date(), "yyyy-MM-dd");
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
function writer(stream: Writable): (text: string) => Promise<void> {
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

async function printReport(source: Readable, options: Options, out: Output): Promise<ValidationResult> {
  const result = await validateStream(source, options);
  if (result.unusable) return result;
  for (const text of formatReport(result, options)) await out(text);
  return result;
}

/** `{ records, findings, errors }`, with the records written as they are read. */
async function printJson(source: Readable, options: Options, out: Output): Promise<ValidationResult> {
  let pending: string[] = ['{"records":['];
  let size = 0;
  let first = true;
  const record = (r: ContactRecord) => {
    const json = JSON.stringify(r);
    pending.push(first ? json : `,${json}`);
    first = false;
    size += json.length;
  };
  const drain = async () => {
    if (size < 64 * 1024) return;
    const text = pending.join("");
    pending = [];
    size = 0;
    await out(text);
  };
  const result = await validateStream(source, options, { record, drain });
  await out(`${pending.join("")}],"findings":[`);
  // In slices: a whole export can have a few hundred thousand findings.
  for (let i = 0; i < result.findings.length; i += 1000) {
    const slice = JSON.stringify(result.findings.slice(i, i + 1000)).slice(1, -1);
    await out(i === 0 ? slice : `,${slice}`);
  }
  const unusable = result.unusable ? `,"unusable":${JSON.stringify(result.unusable)}` : "";
  await out(`],"errors":${JSON.stringify(result.errors)}${unusable}}\n`);
  return result;
}
