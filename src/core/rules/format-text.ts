import type { OpVersion } from "../ids.js";
import { showDay } from "./dates.js";
import type { Finding, InputError, InputForm, ValidationResult } from "./schema.js";

export interface ReportContext {
  today: string;
  opVersion: OpVersion;
}

/**
 * The validation result as text for a terminal: findings grouped by patient (blockers first, as
 * ordered), each rule's fix once per patient, then the input problems by line, then a summary.
 * Yields one patient at a time so a large report can be written with back-pressure.
 */
export function* formatReport(result: ValidationResult, context: ReportContext): Generator<string> {
  const findings = result.findings;
  for (let start = 0; start < findings.length; ) {
    let end = start + 1;
    while (
      end < findings.length &&
      (findings[end] as Finding).patient === (findings[start] as Finding).patient
    )
      end++;
    yield formatPatient(findings.slice(start, end));
    start = end;
  }
  if (result.errors.length > 0) yield formatErrors(result.errors);
  yield `${summary(result, context)}\n`;
}

function formatPatient(findings: Finding[]): string {
  const out = [(findings[0] as Finding).patient];
  findings.forEach((finding, i) => {
    const label = finding.severity === "blocker" ? "BLOCKER" : "warning";
    out.push(`  ${label.padEnd(8)} ${finding.message}`);
    // A rule's findings for one patient are adjacent and share their fix: show it after the last.
    if (findings[i + 1]?.rule !== finding.rule) {
      const check = finding.check === finding.rule ? "" : `, check ${finding.check}`;
      out.push(`           Fix [${finding.rule}${check}]:`);
      finding.fix.forEach((step, n) => {
        out.push(`             ${n + 1}. ${step}`);
      });
    }
  });
  return `${out.join("\n")}\n\n`;
}

export function formatErrors(errors: readonly InputError[]): string {
  const out = [`Input problems (${errors.length}); what they concern was not checked:`];
  for (const error of errors) {
    const where = error.column === undefined ? `line ${error.line}` : `line ${error.line}, ${error.column}`;
    const typed = error.text === undefined ? "" : ` "${error.text}"`;
    out.push(`  ${where}${typed}: ${error.message}`);
  }
  return `${out.join("\n")}\n\n`;
}

function summary(result: ValidationResult, { today, opVersion }: ReportContext): string {
  const blockers = result.findings.filter((finding) => finding.severity === "blocker").length;
  const warnings = result.findings.length - blockers;
  const records = plural(result.recordCount, "record");
  const form = result.form === null ? "" : ` (${FORM_NAMES[result.form]})`;
  const head = `${records}${form} checked as of ${showDay(today)}, fixes for OP ${opVersion}`;
  const problems = result.errors.length > 0 ? `, ${plural(result.errors.length, "input problem")}` : "";
  if (result.findings.length === 0) {
    return `${head}: nothing found that keeps a parent off the portal${problems}.`;
  }
  return `${head}: ${plural(blockers, "blocker")}, ${plural(warnings, "warning")}${problems}.`;
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
