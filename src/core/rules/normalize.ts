import { blankOf } from "./blank.js";
import { type Day, parseDay, type TwoDigitYears } from "./dates.js";
import { nameKey } from "./names.js";
import type { RawRecord } from "./raw-record.js";
import { type Authority, ContactRecord, type Field, type InputError, type PortalAccess } from "./schema.js";

/**
 * Reads a raw record's cells as a ContactRecord: trims what was typed (kept for display) and
 * normalizes values for comparison. A cell that cannot be read is reported with its line and
 * column and left off the record, so the rules that need it stay silent and the rest still run.
 *
 * Runs once per row of a whole-practice export, hence plain property access field by field and
 * the raw cells (already trimmed by the readers) reused as the typed text rather than copied.
 */

/** OP's three settings, and a yes/no column's answers (Portal Enabled, Portal (Y/N)): no is None. */
const PORTAL = new Map<string, PortalAccess>([
  ["none", "None"],
  ["minor", "Minor"],
  ["full", "Full"],
  ["y", "Enabled"],
  ["yes", "Enabled"],
  ["true", "Enabled"],
  ["enabled", "Enabled"],
  ["n", "None"],
  ["no", "None"],
  ["false", "None"],
  ["disabled", "None"],
]);
const AUTHORITY = new Map<string, Authority | null>([
  ["exclusive", "Exclusive"],
  ["joint", "Joint"],
  ["none", "None"],
  ["blank", null],
  ["(blank)", null],
]);
const STATUS = new Map<string, string>();

/**
 * Looks a setting up ignoring case. The cells of a column repeat a few spellings a million times,
 * so each spelling is remembered as typed: no lower-cased copy per row.
 */
function lookUp<T>(known: Map<string, T>, text: string): T | undefined {
  const found = known.get(text);
  if (found !== undefined || known.has(text)) return found;
  const value = known.get(text.toLowerCase());
  if (value !== undefined || known.has(text.toLowerCase())) known.set(text, value as T);
  return value;
}

/** A status in lower case, remembered per spelling (see lookUp), for the first hundred spellings. */
function statusOf(text: string): string {
  let status = STATUS.get(text);
  if (status === undefined) {
    status = text.toLowerCase();
    if (STATUS.size < 100) STATUS.set(text, status);
  }
  return status;
}
/**
 * One address, like name@example.com: something, one @, a domain with a dot, no spaces or list
 * separators. A scan rather than a regular expression: it runs on every row of an export.
 */
function isEmail(text: string): boolean {
  const at = text.indexOf("@");
  if (at < 1 || text.indexOf("@", at + 1) >= 0) return false;
  const dot = text.lastIndexOf(".");
  if (dot < at + 2 || dot === text.length - 1) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // space and other controls, and , ; < >
    if (code <= 32 || code === 44 || code === 59 || code === 60 || code === 62) return false;
  }
  return true;
}

type Problems = [Field, string][];

/** A ContactRecord with every field undefined, in the schema's order (see blankOf). */
const NO_RECORD = blankOf(Object.keys(ContactRecord.shape) as (keyof ContactRecord)[]);

/** What a decoder puts where bytes were not text in the encoding it read them as. */
const REPLACEMENT = "\uFFFD";
const NOT_UTF8 =
  "this name has bytes that are not UTF-8 text (the file may be saved as Windows-1252 partway); save the export as CSV UTF-8";

export function normalizeRecord(
  raw: RawRecord,
  today: Day,
  report: (error: InputError) => void,
): ContactRecord {
  const typed = raw.cells;
  // Split name columns make the name the rules and the report use ("Jane A. Smith").
  if (typed.contact === undefined && (typed.contactFirst !== undefined || typed.contactLast !== undefined)) {
    typed.contact = joinName(typed.contactFirst, typed.contactMiddle, typed.contactLast);
  }
  if (typed.patient === undefined && (typed.patientFirst !== undefined || typed.patientLast !== undefined)) {
    typed.patient = joinName(typed.patientFirst, undefined, typed.patientLast);
  }
  // Every field set from the start, in one order: all records share one shape, which keeps the
  // rules' property reads fast. Undefined fields are left out of JSON as if absent.
  const record: ContactRecord = { ...NO_RECORD, line: raw.line, typed, patientKey: "" };
  let problems: Problems | undefined;
  const problem = (field: Field, message: string) => {
    problems ??= [];
    problems.push([field, message]);
  };

  if (typed.contactId) record.contactId = typed.contactId;
  if (typed.email !== undefined) {
    const email = typed.email.toLowerCase();
    if (email === "") record.email = null;
    else if (isEmail(email)) record.email = email;
    else problem("email", "expected one email address, like name@example.com");
  }
  if (typed.dob) {
    const dob = parseDay(typed.dob, today, "birth");
    if (typeof dob !== "string") problem("dob", dob.problem);
    else if (dob > today.iso) problem("dob", "the birth date is after the check date");
    else record.dob = dob;
  }
  if (typed.status !== undefined) record.status = typed.status === "" ? null : statusOf(typed.status);
  if (typed.portal !== undefined) {
    const portal = typed.portal === "" ? null : lookUp(PORTAL, typed.portal);
    if (portal === undefined) problem("portal", "expected None, Minor or Full (or Y/N in a yes/no column)");
    else record.portal = portal;
  }
  if (typed.authority !== undefined) {
    const authority = typed.authority === "" ? null : lookUp(AUTHORITY, typed.authority);
    if (authority === undefined) problem("authority", "expected Exclusive, Joint, None or blank");
    else record.authority = authority;
  }
  if (typed.start !== undefined) record.start = eventDay(typed.start, today, "event", "start", problem);
  if (typed.end !== undefined) record.end = eventDay(typed.end, today, "event", "end", problem);
  record.patientKey = patientKey(typed.patientId, typed.patient, record.dob);
  if (typed.contact?.includes(REPLACEMENT)) problem("contact", NOT_UTF8);
  if (typed.patient?.includes(REPLACEMENT)) problem("patient", NOT_UTF8);
  if (problems) reportInColumnOrder(raw, problems, report);
  return record;
}

function joinName(first = "", middle = "", last = ""): string {
  return [first, middle, last].filter((part) => part !== "").join(" ");
}

/** A start or end date: null when blank, undefined (and a problem) when it is not a date. */
function eventDay(
  text: string,
  today: Day,
  years: TwoDigitYears,
  field: Field,
  problem: (field: Field, message: string) => void,
): string | null | undefined {
  if (text === "") return null;
  const day = parseDay(text, today, years);
  if (typeof day === "string") return day;
  problem(field, day.problem);
  return undefined;
}

/** A row's problems in the order of its columns (or keys), each with its line and column label. */
function reportInColumnOrder(raw: RawRecord, problems: Problems, report: (error: InputError) => void) {
  const order: readonly string[] = raw.order ?? Object.keys(raw.cells);
  problems.sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  for (const [field, message] of problems) {
    report({
      line: raw.cellLines?.[field] ?? raw.line,
      column: raw.labels[field] ?? field,
      message,
      text: raw.cells[field],
    });
  }
}

/**
 * One patient's rows share this key: the patient id when given, else name and birth date.
 * Without either, every row is taken to be about the one patient whose chart was pasted.
 */
function patientKey(id: string | undefined, name: string | undefined, dob: string | undefined): string {
  // The id as it is (no copy per row); name keys start with a control character no id has.
  if (id) return id;
  const full = name ? (nameKey(name)?.full ?? "") : "";
  return full || dob ? `\u0001${full}|${dob ?? ""}` : "";
}
