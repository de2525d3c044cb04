import { nameKey } from "./names.js";
import type { EmailGroup, EmailRow, PatientRef } from "./rule.js";
import { patientLabel } from "./rule.js";
import type { ContactRecord } from "./schema.js";

/**
 * Every row that carries an email, by normalized email: what the shared-email and duplicate-contact
 * rules need once all rows are in. It is the one thing that grows with the input, so a row keeps
 * only its name, contact id, patient and line, and strings repeated on adjacent rows (a patient's
 * contacts, a parent's children) are stored once.
 */
export class EmailIndex {
  /** One row, or several: most emails are on one row, and a lone row needs no array. */
  private readonly byEmail = new Map<string, EmailRow | EmailRow[]>();
  private lastPatient: PatientRef = { key: "", label: "" };

  add(record: ContactRecord): void {
    const email = record.email;
    if (!email) return;
    const row: EmailRow = {
      name: record.typed.contact ?? "",
      contactId: record.contactId,
      patient: this.patientOf(record),
      line: record.line,
    };
    const seen = this.byEmail.get(email);
    if (seen === undefined) {
      this.byEmail.set(email, row);
      return;
    }
    // Equal text, but keep the copy already stored so this row's copy can be garbage-collected.
    const last = Array.isArray(seen) ? (seen.at(-1) as EmailRow) : seen;
    if (last.name === row.name) row.name = last.name;
    if (last.contactId === row.contactId) row.contactId = last.contactId;
    if (Array.isArray(seen)) seen.push(row);
    else this.byEmail.set(email, [seen, row]);
  }

  /** The emails found on more than one row, with their rows. */
  *groups(): Generator<EmailGroup> {
    for (const [email, rows] of this.byEmail) {
      if (Array.isArray(rows)) yield { email, rows, byFirstName: byFirstName(rows) };
    }
  }

  private patientOf(record: ContactRecord): PatientRef {
    const label = patientLabel(record);
    if (this.lastPatient.key !== record.patientKey || this.lastPatient.label !== label) {
      this.lastPatient = { key: record.patientKey, label };
    }
    return this.lastPatient;
  }
}

/** Rows without a name cannot be told apart from anyone, so they are left out. */
function byFirstName(rows: readonly EmailRow[]): Map<string, EmailRow[]> {
  const people = new Map<string, EmailRow[]>();
  for (const row of rows) {
    const first = nameKey(row.name)?.first;
    if (first === undefined) continue;
    const same = people.get(first);
    if (same) same.push(row);
    else people.set(first, [row]);
  }
  return people;
}
