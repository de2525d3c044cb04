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
  const record: ContactRecord = { line: raw.line, typed, patientKey: "" };
  const problem = (field: Field, message: string) =>
    report({
      line: raw.cellLines?.[field] ?? raw.line,
      column: raw.labels[field] ?? field,
      message,
      text: typed[field],
    });
  // In the input's order, so a row's problems are reported column by column.
  for (const key in raw.cells) {
    const field = key as Field;
    const text = (raw.cells[field] as string).trim();
    typed[field] = text;
    switch (field) {
      case "contactId":
        if (text) record.contactId = text;
        break;
      case "contact": {
        const name = nameKey(text);
        if (name) {
          record.firstName = name.first;
          record.fullName = name.full;
        }
        break;
      }
      case "email": {
        const email = text.toLowerCase();
        if (email === "") record.email = null;
        else if (EMAIL.test(email)) record.email = email;
        else problem(field, "expected one email address, like name@example.com");
        break;
      }
      case "dob": {
        const dob =
          text === "" ? undefined : readDay(text, today, "birth", (message) => problem(field, message));
        if (dob && dob.iso > today.iso) problem(field, "the birth date is after the check date");
        else if (dob) record.dob = dob.iso;
        break;
      }
      case "status":
        record.status = text === "" ? null : text.toLowerCase();
        break;
      case "portal": {
        const portal = text === "" ? null : PORTAL[text.toLowerCase()];
        if (portal === undefined) problem(field, "expected None, Minor or Full");
        else record.portal = portal;
        break;
      }
      case "authority": {
        const authority = text === "" ? null : AUTHORITY[text.toLowerCase()];
        if (authority === undefined) problem(field, "expected Exclusive, Joint, None or blank");
        else record.authority = authority;
        break;
      }
      case "start":
      case "end": {
        if (text === "") record[field] = null;
        else {
          const day = readDay(text, today, "event", (message) => problem(field, message));
          if (day) record[field] = day.iso;
        }
        break;
      }
    }
  }
  record.patientKey = patientKey(typed.patientId, typed.patient, record.dob);
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
