import { hash32, IntColumn, TextColumn } from "./columns.js";
import { type NameKey, nameKey } from "./names.js";
import type { EmailGroup, EmailRow, PatientRef } from "./rule.js";
import { patientLabel } from "./rule.js";
import type { ContactRecord } from "./schema.js";

/**
 * Every row that carries an email: what the shared-email and duplicate-contact rules need once
 * all rows are in. It is the one thing that grows with the input, so it is kept in columns
 * (columns.ts) rather than as objects: per row the email's hash, the line, and references to the
 * email, the contact's name and id, and the patient. At the end, rows are grouped by email by
 * sorting on the hash (and comparing the emails themselves, so a hash collision merges nothing).
 */
export class EmailIndex {
  private readonly text = new TextColumn();
  private readonly hashes = new IntColumn();
  private readonly lines = new IntColumn();
  private readonly emails = new IntColumn();
  private readonly names = new IntColumn();
  private readonly contactIds = new IntColumn();
  private readonly patients = new IntColumn();
  /** Patients, one entry per run of adjacent rows about the same patient. */
  private readonly patientKeys = new IntColumn();
  private readonly patientLabels = new IntColumn();
  private lastPatient = { key: "", label: "", index: -1 };

  add(record: ContactRecord): void {
    const email = record.email;
    if (!email) return;
    this.hashes.push(hash32(email));
    this.lines.push(record.line);
    this.emails.push(this.text.put(email));
    this.names.push(this.text.put(record.typed.contact ?? ""));
    this.contactIds.push(record.contactId === undefined ? -1 : this.text.put(record.contactId));
    this.patients.push(this.patientOf(record));
  }

  /** The emails found on more than one row, with their rows in input order. */
  *groups(): Generator<EmailGroup> {
    const count = this.hashes.length;
    // Hash in the high half, row number in the low half: one native sort puts each email's rows
    // together, in input order.
    const order = new BigUint64Array(count);
    for (let row = 0; row < count; row++) order[row] = (BigInt(this.hashes.get(row)) << 32n) | BigInt(row);
    order.sort();
    const rowAt = (i: number) => Number((order[i] as bigint) & 0xffffffffn);
    for (let start = 0; start < count; ) {
      const hash = this.hashes.get(rowAt(start));
      let end = start + 1;
      while (end < count && this.hashes.get(rowAt(end)) === hash) end++;
      if (end - start > 1) {
        const rows = Array.from({ length: end - start }, (_, i) => rowAt(start + i));
        for (const same of this.byEmail(rows)) if (same.length > 1) yield this.group(same);
      }
      start = end;
    }
  }

  /** Rows with one hash split by their actual email (nearly always one email). */
  private byEmail(rows: number[]): number[][] {
    const groups: number[][] = [];
    for (const row of rows) {
      const same = groups.find((group) =>
        this.text.equals(this.emails.get(group[0] as number), this.emails.get(row)),
      );
      if (same) same.push(row);
      else groups.push([row]);
    }
    return groups;
  }

  private group(rows: number[]): EmailGroup {
    const patients = new Map<number, PatientRef>();
    const emailRows = rows.map((row): EmailRow => {
      const index = this.patients.get(row);
      let patient = patients.get(index);
      if (!patient) {
        patient = {
          key: this.text.get(this.patientKeys.get(index)),
          label: this.text.get(this.patientLabels.get(index)),
        };
        patients.set(index, patient);
      }
      const id = this.contactIds.get(row);
      return {
        name: this.text.get(this.names.get(row)),
        contactId: id < 0 ? undefined : this.text.get(id),
        patient,
        line: this.lines.get(row),
      };
    });
    return new Group(this.text.get(this.emails.get(rows[0] as number)), emailRows);
  }

  private patientOf(record: ContactRecord): number {
    const label = patientLabel(record);
    const last = this.lastPatient;
    if (last.index < 0 || last.key !== record.patientKey || last.label !== label) {
      this.patientKeys.push(this.text.put(record.patientKey));
      this.lastPatient = {
        key: record.patientKey,
        label,
        index: this.patientLabels.push(this.text.put(label)),
      };
    }
    return this.lastPatient.index;
  }
}

/**
 * The rows of one email. Most such groups are one parent linked to several children, where no
 * rule has anything to compare, so the per-person view is only built when a rule asks for it.
 */
class Group implements EmailGroup {
  private people: { byFirstName: Map<string, EmailRow[]>; names: Map<string, NameKey> } | undefined;

  constructor(
    readonly email: string,
    readonly rows: EmailRow[],
  ) {}

  get oneContact(): boolean {
    const [first] = this.rows as [EmailRow];
    return this.rows.every((row) => row.name === first.name && row.contactId === first.contactId);
  }

  get byFirstName(): ReadonlyMap<string, readonly EmailRow[]> {
    this.people ??= people(this.rows);
    return this.people.byFirstName;
  }

  get names(): ReadonlyMap<string, NameKey> {
    this.people ??= people(this.rows);
    return this.people.names;
  }
}

/** Rows without a name cannot be told apart from anyone, so they are left out of `byFirstName`. */
function people(rows: readonly EmailRow[]) {
  const names = new Map<string, NameKey>();
  const byFirstName = new Map<string, EmailRow[]>();
  for (const row of rows) {
    let key = names.get(row.name);
    if (key === undefined) {
      key = nameKey(row.name);
      if (key === undefined) continue;
      names.set(row.name, key);
    }
    const same = byFirstName.get(key.first);
    if (same) same.push(row);
    else byFirstName.set(key.first, [row]);
  }
  return { byFirstName, names };
}
