import { type Day, parseDay, type TwoDigitYears } from "./dates.js";
import { nameKey } from "./names.js";
import type { RawRecord } from "./raw-record.js";
import type { Authority, ContactRecord, Field, InputError, PortalAccess } from "./schema.js";

/**
 * Reads a raw record's cells as a ContactRecord: trims what was typed (kept for display) and
 * normalizes values for comparison. A cell that cannot be read is reported with its line and
 * column and left off the record, so the rules that need it stay silent and the rest still run.
 */

const PORTAL: Record<string, PortalAccess> = { none: "None", minor: "Minor", full: "Full" };
const AUTHORITY: Record<string, Authority | null> = {
  exclusive: "Exclusive",
  joint: "Joint",
  none: "None",
  blank: null,
  "(blank)": null,
};
const EMAIL = /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/;

export function normalizeRecord(
  raw: RawRecord,
  today: Day,
  report: (error: InputError) => void,
): ContactRecord {
  const typed: Partial<Record<Field, string>> = {};
  for (const field in raw.cells) {
    typed[field as Field] = (raw.cells[field as Field] as string).trim();
  }
  const record: ContactRecord = { line: raw.line, typed, patientKey: "" };
  const problem = (field: Field, message: string) =>
    report({
      line: raw.cellLines?.[field] ?? raw.line,
      column: raw.labels[field] ?? field,
      message,
      text: typed[field],
    });

  if (typed.contactId) record.contactId = typed.contactId;
  if (typed.contact) {
    const name = nameKey(typed.contact);
    if (name) {
      record.firstName = name.first;
      record.fullName = name.full;
    }
  }
  if (typed.email !== undefined) {
    const email = typed.email.toLowerCase();
    if (email === "") record.email = null;
    else if (EMAIL.test(email)) record.email = email;
    else problem("email", "expected one email address, like name@example.com");
  }
  if (typed.dob) {
    const dob = readDay(typed.dob, today, "birth", (message) => problem("dob", message));
    if (dob && dob.iso > today.iso) problem("dob", "the birth date is after the check date");
    else if (dob) record.dob = dob.iso;
  }
  record.patientKey = patientKey(typed.patientId, typed.patient, record.dob);
  if (typed.status !== undefined) record.status = typed.status === "" ? null : typed.status.toLowerCase();
  if (typed.portal !== undefined) {
    const portal = typed.portal === "" ? null : PORTAL[typed.portal.toLowerCase()];
    if (portal === undefined) problem("portal", "expected None, Minor or Full");
    else record.portal = portal;
  }
  if (typed.authority !== undefined) {
    const authority = typed.authority === "" ? null : AUTHORITY[typed.authority.toLowerCase()];
    if (authority === undefined) problem("authority", "expected Exclusive, Joint, None or blank");
    else record.authority = authority;
  }
  for (const field of ["start", "end"] as const) {
    const text = typed[field];
    if (text === undefined) continue;
    if (text === "") record[field] = null;
    else {
      const day = readDay(text, today, "event", (message) => problem(field, message));
      if (day) record[field] = day.iso;
    }
  }
  return record;
}

function readDay(text: string, today: Day, years: TwoDigitYears, onProblem: (message: string) => void) {
  const day = parseDay(text, today, years);
  if (typeof day === "string") {
    onProblem(day);
    return undefined;
  }
  return day;
}

/**
 * One patient's rows share this key: the patient id when given, else name and birth date.
 * Without either, every row is taken to be about the one patient whose chart was pasted.
 */
function patientKey(id: string | undefined, name: string | undefined, dob: string | undefined): string {
  if (id) return `#${id}`;
  const full = name ? (nameKey(name)?.full ?? "") : "";
  return full || dob ? `${full}|${dob ?? ""}` : "";
}
