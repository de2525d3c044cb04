import type { OpVersion } from "../ids.js";
import { EMAIL_RULES, ROW_RULES } from "./catalog/index.js";
import { appliesTo } from "./rule.js";
import type { Columns, Field, NotChecked, RuleId, ValidationResult } from "./schema.js";

/**
 * What each rule needs from the input to run: every group must be present, a group by any one
 * of its fields. A rule whose needs the input lacks could not run, and the run says so (a
 * missing column is never an all clear). Kept here, beside the rules rather than in them, so the
 * catalog stays about the article's checks. Keyed by rule id; test/rules/coverage.test.ts checks
 * that every rule in the catalog has its entry.
 */
const CONTACT_IDENTITY: readonly Field[] = ["contact", "contactFirst", "contactLast", "contactId"];
export const RULE_NEEDS: Readonly<Record<string, readonly (readonly Field[])[]>> = {
  "shared-email": [["email"], CONTACT_IDENTITY],
  "duplicate-contact": [["email"], CONTACT_IDENTITY],
  "patient-inactive": [["status"]],
  "minor-access-adult": [["portal"], ["dob"]],
  "portal-none": [["portal"]],
  "missing-email": [["portal"], ["email"]],
  "authority-none": [["authority"]],
  "authority-blank": [["authority"]],
  "end-date-passed": [["end"]],
  "end-date-set": [["end"]],
  "start-date-future": [["start"]],
  "start-date-set": [["start"]],
};

/** How many of the records had each field (a table: every record has its columns). */
export interface FieldPresence {
  records: number;
  /** Records with the field; for a table, the record count for each of its columns. */
  count(field: Field): number;
  /** Records whose Portal said only yes (a yes/no column): Minor or Full not known. */
  portalLevelUnknown: number;
}

/** The rules of this OP version that could not run, in the catalog's order. */
export function notChecked(presence: FieldPresence, version: OpVersion): NotChecked[] {
  const out: NotChecked[] = [];
  if (presence.records === 0) return out;
  for (const rule of [...ROW_RULES, ...EMAIL_RULES]) {
    if (!appliesTo(rule, version)) continue;
    const missing: Field[] = [];
    let rowsWithout = 0;
    for (const group of RULE_NEEDS[rule.id] ?? []) {
      const present = Math.max(...group.map((field) => presence.count(field)));
      if (present === 0) missing.push(group[0] as Field);
      else rowsWithout = Math.max(rowsWithout, presence.records - present);
    }
    if (missing.length > 0) out.push({ rule: rule.id, missing });
    else if (rowsWithout > 0) {
      out.push({ rule: rule.id, missing: missingOnSome(rule.id, presence), rows: rowsWithout });
    } else if (rule.id === "minor-access-adult" && presence.portalLevelUnknown > 0) {
      out.push({
        rule: rule.id,
        missing: ["portal"],
        rows: presence.portalLevelUnknown,
        why: "the portal column says only yes or no, not Minor or Full",
      });
    }
  }
  return out;
}

function missingOnSome(rule: RuleId, presence: FieldPresence): Field[] {
  return (RULE_NEEDS[rule] ?? [])
    .filter((group) => Math.max(...group.map((field) => presence.count(field))) < presence.records)
    .map((group) => group[0] as Field);
}

/** How a validation run ended: what the exit status and the last line of a report say. */
export type ValidationOutcome = "blockers" | "clear" | "incomplete" | "unusable";

/**
 * "clear" only when every rule ran on every row and nothing blocks a parent; "incomplete" when
 * no blocker was found but something could not be checked (a rule could not run, or rows or
 * cells could not be read).
 */
export function outcomeOf(
  result: Pick<ValidationResult, "unusable" | "counts" | "notChecked">,
): ValidationOutcome {
  if (result.unusable) return "unusable";
  if (result.counts.blockers > 0) return "blockers";
  return result.counts.errors > 0 || result.notChecked.length > 0 ? "incomplete" : "clear";
}

/** The columns record a session keeps; bounded, as a key:value paste may use any number of keys. */
export class ColumnLog {
  private static readonly MAX = 200;
  readonly used: Record<string, Field> = Object.create(null);
  private readonly ignored = new Set<string>();
  private usedCount = 0;

  use(label: string, field: Field): void {
    if (label in this.used || this.usedCount >= ColumnLog.MAX) return;
    this.used[label] = field;
    this.usedCount++;
  }

  ignore(label: string): void {
    const trimmed = label.trim();
    if (trimmed !== "" && this.ignored.size < ColumnLog.MAX && !(trimmed in this.used))
      this.ignored.add(trimmed);
  }

  columns(): Columns {
    return { used: { ...this.used }, ignored: [...this.ignored] };
  }
}
