import { hash30, IntColumn, TextColumn } from "./columns.js";
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
 * (A Map from email to rows was tried: it holds a key per distinct email on the heap, which cost
 * 40 MB more peak memory on a million rows and was no faster.)
 */
export class EmailIndex {
  private readonly store: Store = {
    text: new TextColumn(),
    hashes: new IntColumn(),
    lines: new IntColumn(),
    emails: new IntColumn(),
    names: new IntColumn(),
    contactIds: new IntColumn(),
    patients: new IntColumn(),
    patientKeys: new IntColumn(),
    patientLabels: new IntColumn(),
  };
  private lastPatient = { key: "", label: "", index: -1 };

  /**
   * The contacts of the last few rows with their texts' references. An export lists a parent once
   * per child, on rows close together: their texts are stored once, which saves about a third of
   * the index's memory. (A Map of recent texts did as well but cost twice the time per row.)
   */
  private readonly recent = {
    emails: new Array<string>(RECENT).fill(""),
    names: new Array<string>(RECENT).fill(""),
    ids: new Array<string | undefined>(RECENT).fill(undefined),
    refs: new Int32Array(RECENT * 3).fill(-1),
    next: 0,
  };

  add(record: ContactRecord): void {
    const email = record.email;
    if (!email) return;
    const { text, hashes, lines, emails, names, contactIds, patients } = this.store;
    const name = record.typed.contact ?? "";
    const id = record.contactId;
    const recent = this.recent;
    let slot = -1;
    for (let i = 0; i < RECENT; i++) {
      if (recent.emails[i] === email && recent.names[i] === name && recent.ids[i] === id) {
        slot = i;
        break;
      }
    }
    if (slot < 0) {
      slot = recent.next;
      recent.next = (slot + 1) % RECENT;
      recent.emails[slot] = email;
      recent.names[slot] = name;
      recent.ids[slot] = id;
      recent.refs[slot * 3] = text.put(email);
      recent.refs[slot * 3 + 1] = text.put(name);
      recent.refs[slot * 3 + 2] = id === undefined ? -1 : text.put(id);
    }
    hashes.push(hash30(email));
    lines.push(record.line);
    emails.push(recent.refs[slot * 3] as number);
    names.push(recent.refs[slot * 3 + 1] as number);
    contactIds.push(recent.refs[slot * 3 + 2] as number);
    patients.push(this.patientOf(record));
  }

  /** The index's storage, to join to another part's index (`append`), e.g. across threads. */
  part(): EmailIndexPart {
    const { text, ...ints } = this.store;
    const columns = Object.fromEntries(
      Object.entries(ints).map(([name, column]) => [name, column.parts()]),
    ) as EmailIndexPart["columns"];
    return { text: text.parts(), columns };
  }

  /**
   * Adds the rows of another part's index after this one's (the part that followed this one in the
   * input). Its text chunks are taken over as they are; the references into them are shifted.
   */
  append(part: EmailIndexPart): void {
    const store = this.store;
    const shift = store.text.append(part.text);
    const patientShift = store.patientKeys.length;
    const column = (name: IntName) => IntColumn.of(part.columns[name].chunks, part.columns[name].length);
    const moved = (name: IntName, by: number, keepNegative = false) => {
      const from = column(name);
      const to = store[name];
      for (let i = 0; i < from.length; i++) {
        const value = from.get(i);
        to.push(keepNegative && value < 0 ? value : value + by);
      }
    };
    moved("hashes", 0);
    moved("lines", 0);
    moved("emails", shift);
    moved("names", shift);
    moved("contactIds", shift, true);
    moved("patients", patientShift);
    moved("patientKeys", shift);
    moved("patientLabels", shift);
    // The next row starts a new patient entry; the last one may belong to the appended part.
    this.lastPatient = { key: "", label: "", index: -1 };
  }

  /**
   * The rows that share an email, in input order, as candidates: rows whose emails share a hash.
   * A candidate nearly always holds one email; `byEmail()` splits it exactly.
   */
  *groups(): Generator<CandidateGroup> {
    const { hashes } = this.store;
    const count = hashes.length;
    // One native sort of numbers puts each email's rows together, in input order: the hash in the
    // high bits, the row number in the low ones (of the 53 a double holds exactly; with more rows
    // than 2^23 the hash keeps fewer bits, which only means more rows to compare by email).
    const rowBits = Math.max(23, Math.ceil(Math.log2(count + 1)));
    const hashShift = Math.max(0, 30 - (53 - rowBits));
    const scale = 2 ** rowBits;
    const order = new Float64Array(count);
    for (let row = 0; row < count; row++) order[row] = (hashes.get(row) >>> hashShift) * scale + row;
    order.sort();
    const rows = new Uint32Array(count);
    const keys = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const key = Math.floor((order[i] as number) / scale);
      keys[i] = key;
      rows[i] = (order[i] as number) - key * scale;
    }
    for (let start = 0; start < count; ) {
      let end = start + 1;
      while (end < count && keys[end] === keys[start]) end++;
      if (end - start > 1) yield new Group(this.store, Array.from(rows.subarray(start, end)));
      start = end;
    }
  }

  private patientOf(record: ContactRecord): number {
    const label = patientLabel(record);
    const last = this.lastPatient;
    if (last.index < 0 || last.key !== record.patientKey || last.label !== label) {
      const { text, patientKeys, patientLabels } = this.store;
      patientKeys.push(text.put(record.patientKey));
      this.lastPatient = { key: record.patientKey, label, index: patientLabels.push(text.put(label)) };
    }
    return this.lastPatient.index;
  }
}

/** How many rows back `add` looks for the same contact. */
const RECENT = 16;

type IntName = Exclude<keyof Store, "text">;

/** An index's storage as transferable arrays: what a worker thread hands back for its part. */
export interface EmailIndexPart {
  text: Uint8Array[];
  columns: Record<IntName, { chunks: Int32Array[]; length: number }>;
}

/** The buffers of a part, to transfer rather than copy when posting it to another thread. */
export function transferables(part: EmailIndexPart): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [...part.text, ...Object.values(part.columns).flatMap((c) => c.chunks)];
  // Only arrays that own their whole buffer can move; anything else is copied.
  return arrays
    .filter((array) => array.byteOffset === 0 && array.byteLength === array.buffer.byteLength)
    .map((array) => array.buffer as ArrayBuffer);
}

interface Store {
  text: TextColumn;
  hashes: IntColumn;
  lines: IntColumn;
  emails: IntColumn;
  names: IntColumn;
  contactIds: IntColumn;
  patients: IntColumn;
  /** Patients, one entry per run of adjacent rows about the same patient. */
  patientKeys: IntColumn;
  patientLabels: IntColumn;
}

/** The rows of one email (or, as a candidate, of emails sharing a hash). */
export interface CandidateGroup extends EmailGroup {
  /** The groups of rows that share the exact email (leaving out emails on one row only). */
  byEmail(): EmailGroup[];
}

/**
 * The rows of one email. Most such groups are one parent linked to several children, where no
 * rule finds anything; what those rules ask first (`oneContact`, `repeatedPatientRows`) is
 * answered from the stored bytes, and names are only decoded when a rule needs them.
 */
class Group implements CandidateGroup {
  private decoded: EmailRow[] | undefined;
  private people: { byFirstName: Map<string, EmailRow[]>; names: Map<string, NameKey> } | undefined;

  constructor(
    private readonly store: Store,
    private readonly at: number[],
  ) {}

  byEmail(): EmailGroup[] {
    const { text, emails } = this.store;
    const split: number[][] = [];
    for (const row of this.at) {
      const same = split.find((rows) => text.equals(emails.get(rows[0] as number), emails.get(row)));
      if (same) same.push(row);
      else split.push([row]);
    }
    if (split.length === 1) return [this];
    return split.filter((rows) => rows.length > 1).map((rows) => new Group(this.store, rows));
  }

  get email(): string {
    return this.store.text.get(this.store.emails.get(this.at[0] as number));
  }

  get rows(): readonly EmailRow[] {
    this.decoded ??= this.decode();
    return this.decoded;
  }

  private sameContact: boolean | undefined;

  get oneContact(): boolean {
    this.sameContact ??= this.allOneContact();
    return this.sameContact;
  }

  private allOneContact(): boolean {
    const { text, names, contactIds } = this.store;
    const at = this.at;
    const first = at[0] as number;
    const name = names.get(first);
    const id = contactIds.get(first);
    for (let i = 1; i < at.length; i++) {
      const row = at[i] as number;
      const otherId = contactIds.get(row);
      if (otherId < 0 || id < 0 ? otherId !== id : !text.equals(otherId, id)) return false;
      // One contact ID is one contact, however its name was typed on each row.
      if (id < 0 && !text.equals(names.get(row), name)) return false;
    }
    return true;
  }

  repeatedPatientRows(): EmailRow[] {
    if (this.at.length > 16) return repeatedPatients(this.rows);
    const { text, patients, patientKeys } = this.store;
    const at = this.at;
    let repeated: Set<number> | undefined;
    for (let i = 0; i < at.length; i++) {
      const patient = patients.get(at[i] as number);
      for (let j = i + 1; j < at.length; j++) {
        const other = patients.get(at[j] as number);
        if (patient === other || text.equals(patientKeys.get(patient), patientKeys.get(other))) {
          repeated ??= new Set();
          repeated.add(i).add(j);
        }
      }
    }
    if (!repeated) return [];
    const rows = this.rows;
    return [...repeated].sort((a, b) => a - b).map((i) => rows[i] as EmailRow);
  }

  get byFirstName(): ReadonlyMap<string, readonly EmailRow[]> {
    this.people ??= people(this.rows);
    return this.people.byFirstName;
  }

  get names(): ReadonlyMap<string, NameKey> {
    this.people ??= people(this.rows);
    return this.people.names;
  }

  private decode(): EmailRow[] {
    const { text, names, contactIds, lines, patients, patientKeys, patientLabels } = this.store;
    const refs = new Map<number, PatientRef>();
    return this.at.map((row) => {
      const index = patients.get(row);
      let patient = refs.get(index);
      if (!patient) {
        patient = { key: text.get(patientKeys.get(index)), label: text.get(patientLabels.get(index)) };
        refs.set(index, patient);
      }
      const id = contactIds.get(row);
      return {
        name: text.get(names.get(row)),
        contactId: id < 0 ? undefined : text.get(id),
        patient,
        line: lines.get(row),
      };
    });
  }
}

/** The rows whose patient is also the patient of another of the rows. */
export function repeatedPatients(rows: readonly EmailRow[]): EmailRow[] {
  const byPatient = new Map<string, EmailRow[]>();
  for (const row of rows) {
    const same = byPatient.get(row.patient.key);
    if (same) same.push(row);
    else byPatient.set(row.patient.key, [row]);
  }
  return [...byPatient.values()]
    .filter((same) => same.length > 1)
    .flat()
    .sort((a, b) => a.line - b.line);
}

/**
 * The rows of each person, by first name. A contact is known by its contact ID where there is
 * one (its rows take the name of its first named row), else by name. A row with an ID but no
 * name anywhere stands for that ID alone ("#ID"). A row with neither cannot be told apart from
 * anyone, so it is left out: by email alone, all such rows are one contact.
 */
function people(rows: readonly EmailRow[]) {
  const names = new Map<string, NameKey>();
  const byFirstName = new Map<string, EmailRow[]>();
  const nameOfId = new Map<string, string>();
  for (const row of rows) {
    if (row.contactId !== undefined && row.name !== "" && !nameOfId.has(row.contactId)) {
      nameOfId.set(row.contactId, row.name);
    }
  }
  for (const row of rows) {
    const name = (row.contactId === undefined ? undefined : nameOfId.get(row.contactId)) ?? row.name;
    let person: string | undefined;
    let key = names.get(name);
    if (key === undefined) {
      key = nameKey(name);
      if (key !== undefined) names.set(name, key);
    }
    if (key !== undefined) person = key.first;
    else if (row.contactId !== undefined) person = `#${row.contactId}`;
    else continue;
    if (name !== row.name && key !== undefined) names.set(row.name, key);
    const same = byFirstName.get(person);
    if (same) same.push(row);
    else byFirstName.set(person, [row]);
  }
  return { byFirstName, names };
}
