import { z } from "zod";
import { CheckId, OpVersion } from "../ids.js";

/**
 * Types of the rules module: what a contact record is once read, what a finding and an input
 * problem look like, and what validation returns. Each schema is the one source of its type.
 */

/** The fields a contact record can carry. Header names, keys and JSON keys map onto these (fields.ts). */
export const FIELDS = [
  "contactId",
  "contact",
  "email",
  "relationship",
  "patientId",
  "patient",
  "dob",
  "status",
  "portal",
  "authority",
  "start",
  "end",
  // Split name columns ("First Name", "Patient Last Name"): read into `contact` and `patient`.
  "contactFirst",
  "contactMiddle",
  "contactLast",
  "patientFirst",
  "patientLast",
] as const;
export const Field = z.enum(FIELDS);
export type Field = z.infer<typeof Field>;

/**
 * The Portal column of a family contact. "Enabled" is a yes/no column's yes (`Portal Enabled`,
 * `Portal (Y/N)`): some access, Minor or Full not said.
 */
export const PortalAccess = z.enum(["None", "Minor", "Full", "Enabled"]);
export type PortalAccess = z.infer<typeof PortalAccess>;

/** The Authority column. A blank Authority (the default) is `null` on the record. */
export const Authority = z.enum(["Exclusive", "Joint", "None"]);
export type Authority = z.infer<typeof Authority>;

const IsoDate = z.iso.date();

/**
 * One family-contact row: the link between one contact (a parent) and one patient.
 *
 * `typed` keeps what the user wrote (trimmed), for display. The other fields are normalized for
 * comparison. (Contact names are compared only across rows sharing an email, so their comparison
 * form is made there: names.ts.) For every normalized field: absent = the input had no such column/key, or its cell
 * could not be read (an input error says which); `null` = the cell was there but blank.
 */
export const ContactRecord = z.object({
  /** The input line the record starts on (1-based). */
  line: z.int().positive(),
  typed: z.partialRecord(Field, z.string().optional()),
  contactId: z.string().min(1).optional(),
  /** Trimmed and lower-cased. */
  email: z.string().min(3).nullable().optional(),
  /** Identifies the patient among the input's rows; "" when the input names no patient (one chart pasted). */
  patientKey: z.string(),
  dob: IsoDate.optional(),
  /** Lower-case patient status, e.g. "active". */
  status: z.string().min(1).nullable().optional(),
  portal: PortalAccess.nullable().optional(),
  authority: Authority.nullable().optional(),
  start: IsoDate.nullable().optional(),
  end: IsoDate.nullable().optional(),
});
export type ContactRecord = z.infer<typeof ContactRecord>;

/** Rule ids, in the order of the article's checks (docs/architecture.md, "Rule ids"). */
export const RULE_IDS = [
  "shared-email",
  "duplicate-contact",
  "patient-inactive",
  "minor-access-adult",
  "portal-none",
  "missing-email",
  "authority-none",
  "authority-blank",
  "end-date-passed",
  "end-date-set",
  "start-date-future",
  "start-date-set",
] as const;
export const RuleId = z.enum(RULE_IDS);
export type RuleId = z.infer<typeof RuleId>;

/** A blocker keeps the parent off the portal; a warning may, or will later. */
export const Severity = z.enum(["blocker", "warning"]);
export type Severity = z.infer<typeof Severity>;

export const Finding = z.object({
  rule: RuleId,
  severity: Severity,
  /** The article's check (and knowledge entry) this rule rests on. */
  check: CheckId,
  /** Display names of the contacts concerned, as typed. */
  contacts: z.array(z.string()).min(1),
  /** Display name of the patient concerned; for a cross-row finding, all of them joined. */
  patient: z.string(),
  /** Cross-row findings only: each patient concerned. */
  patients: z.array(z.string()).optional(),
  /** Cross-row findings only: the shared email (what to search for in the Contact Manager). */
  email: z.string().optional(),
  /** Input lines of the rows concerned, ascending. */
  lines: z.array(z.int().positive()).min(1),
  /** Names the contact(s), the patient and the line(s), and says why the parent is affected. */
  message: z.string().min(1),
  /** Steps to fix it in the chosen OP version. They name no one, so any renderer may show them. */
  fix: z.array(z.string().min(1)).min(1),
});
export type Finding = z.infer<typeof Finding>;

/** A cell, row or part of the input that could not be used as it is. */
export const InputError = z.object({
  line: z.int().positive(),
  /** The column header or key as the user wrote it. */
  column: z.string().optional(),
  /** What was wrong and what is expected. Does not repeat the cell's text. */
  message: z.string().min(1),
  /** The offending cell's text, for renderers that may show what was typed. */
  text: z.string().optional(),
});
export type InputError = z.infer<typeof InputError>;

export const INPUT_FORMS = ["tsv", "csv", "key-value", "json"] as const;
export const InputForm = z.enum(INPUT_FORMS);
export type InputForm = z.infer<typeof InputForm>;

export const ValidateOptions = z.object({
  /** The check date, YYYY-MM-DD. Callers pass today in their user's time zone. */
  today: IsoDate,
  opVersion: OpVersion.default("14.19"),
  /** The practice had the former portal in 2006–2010: a blank Authority becomes a blocker. */
  legacyPortal: z.boolean().default(false),
  /**
   * The content's steps each fix is built from, for `opVersion` (fixStepsOf in navigation.ts): the
   * rules write no menu paths, and most say only what the steps do not. Every caller passes them;
   * without them a fix is only what the rule adds, which may be nothing.
   */
  steps: z
    .object({ checks: z.record(z.string(), z.array(z.string())), after: z.array(z.string()) })
    .default({ checks: {}, after: [] }),
});
export type ValidateOptions = z.input<typeof ValidateOptions>;

/** A rule that could not run, on every row or on `rows` of them, for want of these fields. */
export const NotChecked = z.object({
  rule: RuleId,
  missing: z.array(Field).min(1),
  /** Set when the rule ran on the other rows. */
  rows: z.int().positive().optional(),
  /** Set when the column is there but does not say enough (a yes/no Portal column). */
  why: z.string().optional(),
});
export type NotChecked = z.infer<typeof NotChecked>;

/** The input's columns (or keys): which were read, as which field, and which were not. */
export const Columns = z.object({
  used: z.record(z.string(), Field),
  ignored: z.array(z.string()),
});
export type Columns = z.infer<typeof Columns>;

/** What validation gives back: what was read, what is wrong with it, and what could not be read. */
export const ValidationResult = z.object({
  /** The form detected, or null when the input could not be used at all. */
  form: InputForm.nullable(),
  /** Number of records read (validateText also returns the records themselves). */
  recordCount: z.int().nonnegative(),
  /** Blockers first, grouped by patient (order.ts). Empty when they were handed to a handler as found. */
  findings: z.array(Finding),
  /** Ordered by line. Empty when they were handed to a handler as found. */
  errors: z.array(InputError),
  /** How many of each there were, kept or handed over. */
  counts: z.object({
    blockers: z.int().nonnegative(),
    warnings: z.int().nonnegative(),
    errors: z.int().nonnegative(),
  }),
  /** Set when nothing could be checked: what was wrong and which forms are accepted. */
  unusable: z.string().optional(),
  /** What the input's columns were read as. */
  columns: Columns,
  /** Rules that could not run (on some or all rows). Empty only when every rule ran on every row. */
  notChecked: z.array(NotChecked),
});
export type ValidationResult = z.infer<typeof ValidationResult>;

export const TextValidationResult = ValidationResult.extend({ records: z.array(ContactRecord) });
export type TextValidationResult = z.infer<typeof TextValidationResult>;
