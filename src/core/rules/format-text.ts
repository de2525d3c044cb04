import type { OpVersion } from "../ids.js";
import { outcomeOf } from "./coverage.js";
import { showDay } from "./dates.js";
import { FIELD_NAMES } from "./fields.js";
import type { Columns, Finding, InputError, InputForm, NotChecked, ValidationResult } from "./schema.js";

export interface ReportContext {
  today: string;
  opVersion: OpVersion;
}

/** Up to this many findings, each patient's fixes are shown in place; beyond, once per rule at the end. */
const INLINE_FIXES_UP_TO = 50;

/**
 * Writes the findings part of a report one patient at a time, as they are found. A paste gets
 * each rule's fix under the patient; a whole-practice export, where the same few fixes would
 * repeat tens of thousands of times, gets every fix once in a "How to fix" section. Which one is
 * decided once more than INLINE_FIXES_UP_TO findings have come, so until then text is held back.
 */
export class ReportWriter {
  private held: Finding[][] = [];
  private heldCount = 0;
  private fixes: FixIndex | undefined;

  constructor(private readonly context: ReportContext) {}

  /** The text for one patient's findings ("" while the layout is not decided yet). */
  add(findings: Finding[]): string {
    if (this.fixes) return formatPatient(findings, this.fixes);
    this.held.push(findings);
    this.heldCount += findings.length;
    if (this.heldCount <= INLINE_FIXES_UP_TO) return "";
    const fixes = new FixIndex();
    this.fixes = fixes;
    const text = this.held.map((group) => formatPatient(group, fixes)).join("");
    this.held = [];
    return text;
  }

  /** The text after the last patient: what was held back, or the "How to fix" section. */
  end(): string {
    if (this.fixes) return this.fixes.format(this.context.opVersion);
    const text = this.held.map((group) => formatPatient(group, undefined)).join("");
    this.held = [];
    return text;
  }
}

function formatPatient(findings: Finding[], fixes: FixIndex | undefined): string {
  let text = (findings[0] as Finding).patient;
  findings.forEach((finding, i) => {
    const label = finding.severity === "blocker" ? "\n  BLOCKER  " : "\n  warning  ";
    if (fixes) {
      text += `${label}${finding.message} [fix ${fixes.labelOf(finding)}]`;
      return;
    }
    text += `${label}${finding.message}`;
    // A rule's findings for one patient are adjacent and share their fix: show it after the last.
    if (findings[i + 1]?.rule !== finding.rule) {
      text += `\n           Fix [${ruleAndCheck(finding)}]:`;
      finding.fix.forEach((step, n) => {
        text += `\n             ${n + 1}. ${step}`;
      });
    }
  });
  return `${text}\n\n`;
}

/** The distinct fixes of a large report, labelled by rule (and numbered where a rule has several). */
class FixIndex {
  private readonly byRule = new Map<string, { finding: Finding; fix: readonly string[] }[]>();
  /** Rules build each fix once, so the same fix is the same array: its label, once found. */
  private readonly labels = new Map<readonly string[], string>();
  /**
   * The same fix can also come as another array with the same steps (findings read on a worker
   * thread are copies): found by its text the first time each array is seen.
   */
  private readonly byText = new Map<string, string>();

  labelOf(finding: Finding): string {
    const known = this.labels.get(finding.fix);
    if (known !== undefined) return known;
    const text = `${finding.rule}\n${finding.fix.join("\n")}`;
    let label = this.byText.get(text);
    if (label === undefined) {
      const variants = this.byRule.get(finding.rule) ?? [];
      if (variants.length === 0) this.byRule.set(finding.rule, variants);
      label = `${finding.rule}${letter(variants.push({ finding, fix: finding.fix }) - 1)}`;
      this.byText.set(text, label);
    }
    this.labels.set(finding.fix, label);
    return label;
  }

  format(opVersion: OpVersion): string {
    const out = [`How to fix (OP ${opVersion}):`];
    for (const [rule, variants] of this.byRule) {
      variants.forEach(({ finding, fix }, index) => {
        const check = finding.check === rule ? "" : ` (check ${finding.check})`;
        out.push(`  ${rule}${letter(index)}${check}:`);
        fix.forEach((step, n) => {
          out.push(`    ${n + 1}. ${step}`);
        });
      });
    }
    return `${out.join("\n")}\n\n`;
  }
}

function letter(index: number): string {
  return index === 0 ? "" : ` (${index + 1})`;
}

function ruleAndCheck(finding: Finding): string {
  return finding.check === finding.rule ? finding.rule : `${finding.rule}, check ${finding.check}`;
}

export function errorsHeading(count: number): string {
  return `Input problems (${count.toLocaleString("en-US")}); what they concern was not checked:\n`;
}

export function formatError(error: InputError): string {
  const where = error.column === undefined ? `line ${error.line}` : `line ${error.line}, ${error.column}`;
  const typed = error.text === undefined ? "" : ` "${error.text}"`;
  return `  ${where}${typed}: ${error.message}\n`;
}

/**
 * What a report says before its findings: the columns read and as what, those not read, and the
 * rules that could not run for want of a column (or of a yes/no column's level).
 */
export function coverageText(columns: Columns, notChecked: readonly NotChecked[]): string {
  const used = Object.entries(columns.used).map(([label, field]) => `${label} (${FIELD_NAMES[field]})`);
  const lines = [`Columns read: ${used.length > 0 ? used.join(", ") : "none"}.`];
  if (columns.ignored.length > 0) {
    lines.push(`Columns not read (no check needs them): ${columns.ignored.join(", ")}.`);
  }
  if (notChecked.length > 0) lines.push(notCheckedText("Not checked:", notChecked).trimEnd());
  else lines.push("Every check could run.");
  return `${lines.join("\n")}\n\n`;
}

/** A heading and a line per check that could not run, with why. */
export function notCheckedText(heading: string, notChecked: readonly NotChecked[]): string {
  return `${[heading, ...notChecked.map((item) => `  ${item.rule}: ${notCheckedReason(item)}`)].join("\n")}\n`;
}

function notCheckedReason({ missing, rows, why }: NotChecked): string {
  const fields = missing.map((field) => FIELD_NAMES[field]).join(" and ");
  if (why) return `${why}, on ${plural(rows ?? 0, "record")}`;
  return rows === undefined ? `no ${fields} column` : `no ${fields} on ${plural(rows, "record")}`;
}

/**
 * The last line: what was checked, how many blockers, warnings and input problems there were, and
 * whether that is an all clear. It is one only when every rule ran on every record.
 */
export function summary(result: ValidationResult, { today, opVersion }: ReportContext): string {
  const { blockers, warnings, errors } = result.counts;
  const records = plural(result.recordCount, "record");
  const form = result.form === null ? "" : ` (${FORM_NAMES[result.form]})`;
  const head = `${records}${form} checked as of ${showDay(today)}, fixes for OP ${opVersion}`;
  const problems = errors > 0 ? `, ${plural(errors, "input problem")}` : "";
  const gaps = [
    ...(result.notChecked.length > 0
      ? [`${plural(result.notChecked.length, "check")} could not run on every record`]
      : []),
    ...(errors > 0 ? [`${plural(errors, "input problem")} left parts unchecked`] : []),
  ];
  switch (outcomeOf(result)) {
    case "clear":
      if (warnings === 0) return `${head}: nothing found that keeps a parent off the portal.\n`;
      return `${head}: 0 blockers, ${plural(warnings, "warning")}.\n`;
    case "incomplete":
      return `${head}: no blocker found in what could be checked, ${plural(warnings, "warning")}${problems}. This is not an all clear: ${gaps.join(" and ")} (see above).\n`;
    default: {
      const rest = gaps.length > 0 ? " Not everything could be checked (see above)." : "";
      return `${head}: ${plural(blockers, "blocker")}, ${plural(warnings, "warning")}${problems}.${rest}\n`;
    }
  }
}

const FORM_NAMES: Record<InputForm, string> = {
  tsv: "TSV",
  csv: "CSV",
  "key-value": "key: value",
  json: "JSON",
};

function plural(count: number, noun: string): string {
  return `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
}
