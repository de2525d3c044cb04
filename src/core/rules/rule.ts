import type { CheckId, OpVersion } from "../ids.js";
import type { Day } from "./dates.js";
import type { NameKey } from "./names.js";
import type { Advice, Fixes } from "./navigation.js";
import type { ContactRecord, Finding, RuleId, Severity } from "./schema.js";

/** What every rule is checked against. */
export interface RuleContext {
  today: Day;
  /** The latest birth date (YYYY-MM-DD) of a patient who is 18 on `today`. */
  adultBornBy: string;
  opVersion: OpVersion;
  legacyPortal: boolean;
  /** Each finding's fix: the rule's advice, its check's steps from the content, the steps after a change. */
  fixes: Fixes;
}

interface RuleBase {
  id: RuleId;
  /** The article's check this rule rests on. */
  check: CheckId;
  /**
   * The OP versions whose article states this rule (all when absent). A rule of another version
   * does not run and is not "not checked" either (coverage reads this too).
   */
  versions?: readonly OpVersion[];
  severity(ctx: RuleContext): Severity;
}

/** Whether a rule runs for this OP version. */
export function appliesTo(rule: { versions?: readonly OpVersion[] }, version: OpVersion): boolean {
  return rule.versions === undefined || rule.versions.includes(version);
}

/** A rule that looks at one row at a time. */
export interface RowRule extends RuleBase {
  find(record: ContactRecord, ctx: RuleContext): Finding | undefined;
}

/** The patient of a row, shared by that patient's rows where they are adjacent (to keep the email index small). */
export interface PatientRef {
  key: string;
  label: string;
}

/** A row that carried an email, as the email index keeps it. */
export interface EmailRow {
  /** The contact's name as typed ("" when not given). */
  name: string;
  contactId: string | undefined;
  patient: PatientRef;
  line: number;
}

/** All rows that carry one email, with the rows of each first name (one person, as far as the rules can tell). */
export interface EmailGroup {
  email: string;
  rows: readonly EmailRow[];
  /** Every row has the same name as typed and the same contact id: one contact record. */
  oneContact: boolean;
  /** The rows about a patient that another row of the group is about too. */
  repeatedPatientRows(): EmailRow[];
  byFirstName: ReadonlyMap<string, readonly EmailRow[]>;
  /** The comparison form of each name in the group, by the name as typed. */
  names: ReadonlyMap<string, NameKey>;
}

/** A rule that looks at every row sharing one email, once all rows are in. */
export interface EmailRule extends RuleBase {
  find(group: EmailGroup, ctx: RuleContext): Finding[];
}

/**
 * A contact as the report names them: by name and contact ID when the input has both, else by
 * whichever it has, else by email; only a row with none of these is "the contact on line N".
 */
export function contactLabel(name: string | undefined, line: number, id?: string, email?: string): string {
  if (name && id) return `${name} (contact ID ${id})`;
  if (name) return name;
  if (id) return `contact ID ${id}`;
  return email ? `the contact with email ${email}` : `the contact on line ${line}`;
}

/**
 * The contact as a message names them: "Smith, Jane" is quoted so lists of names stay readable.
 * Rules pass the name and line; rowFinding adds the contact ID and email of the record.
 */
export function mention(name: string | undefined, line: number, id?: string, email?: string): string {
  const label = contactLabel(name, line, id, email);
  return name?.includes(",") ? label.replace(name, `"${name}"`) : label;
}

export function patientLabel(record: ContactRecord): string {
  const { patient, patientId } = record.typed;
  if (patient) return patient;
  return patientId ? `patient #${patientId}` : "the patient";
}

/** The patient at the start of a sentence: "patient Tom Smith", "patient #10025", "the patient". */
export function patientSubject(record: ContactRecord): string {
  return record.typed.patient ? `patient ${record.typed.patient}` : patientLabel(record);
}

/**
 * What a rule adds to its check's steps for one kind of finding, and only that: `first`, what must
 * be read before the steps (a caution they do not give); `last`, what fits this finding once the
 * steps are read (which of their choices, a tip). Never what the steps already say, and never a
 * menu (where it is done is the check's steps, from knowledge/). Build it once, at module level:
 * the fix built from it is then shared by every finding it is given to.
 */
export function advice(parts: { first?: string[]; last?: string[] } = {}): Advice {
  return Object.freeze({
    first: Object.freeze([...(parts.first ?? [])]),
    last: Object.freeze([...(parts.last ?? [])]),
  });
}

/** A finding about one row. */
export function rowFinding(
  rule: RowRule,
  ctx: RuleContext,
  record: ContactRecord,
  message: string,
  fix: Advice,
): Finding {
  const { contact } = record.typed;
  const email = record.email ?? undefined;
  // Rules name the contact by name and line (`mention`); the finding names them in full.
  const short = mention(contact, record.line);
  const full = mention(contact, record.line, record.contactId, email);
  return {
    rule: rule.id,
    severity: rule.severity(ctx),
    check: rule.check,
    contacts: [contactLabel(contact, record.line, record.contactId, email)],
    patient: patientLabel(record),
    lines: [record.line],
    message: `Line ${record.line}: ${full === short ? message : message.replace(short, full)}`,
    fix: ctx.fixes.of(rule.check, fix),
  };
}

/** A finding about several rows that share an email. */
export function groupFinding(
  rule: EmailRule,
  ctx: RuleContext,
  email: string,
  rows: readonly EmailRow[],
  describe: (names: string, patients: string) => string,
  fix: Advice,
): Finding {
  const contacts = distinct(rows.map((row) => contactLabel(row.name, row.line, row.contactId)));
  const mentions = distinct(rows.map((row) => mention(row.name, row.line, row.contactId)));
  const patients = distinct(rows.map((row) => row.patient.label));
  const lines = rows.map((row) => row.line).sort((a, b) => a - b);
  return {
    rule: rule.id,
    severity: rule.severity(ctx),
    check: rule.check,
    contacts,
    patient: listOf(patients, "patients"),
    patients,
    email,
    lines,
    message: `${listLines(lines)}: ${describe(listOf(mentions, "contacts"), listOf(patients, "patients"))}`,
    fix: ctx.fixes.of(rule.check, fix),
  };
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

/** "A", "A and B", "A, B and C", "A, B, C and 7 more patients": long lists stay readable. */
function listOf(items: readonly string[], noun: string, max = 3): string {
  if (items.length <= max) {
    return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
  }
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more ${noun}`;
}

function listLines(lines: readonly number[], max = 6): string {
  if (lines.length === 1) return `Line ${lines[0]}`;
  const shown = lines.slice(0, max).join(", ");
  return lines.length <= max ? `Lines ${shown}` : `Lines ${shown} and ${lines.length - max} more`;
}
