import { loadContent } from "../../src/content/load.js";
import { fixStepsOf } from "../../src/core/rules/navigation.js";
import type { TextValidationResult, ValidateOptions } from "../../src/core/rules/schema.js";
import { validateText } from "../../src/core/rules/validate.js";

/** The check date most tests use. */
export const TODAY = "2025-06-01";

/** A contact row for a test: header → cell. Only the columns a test cares about. */
export type Row = Record<string, string>;

/** The rows as TSV with a header row, as copied from a grid. */
export function tsv(rows: readonly Row[]): string {
  const headers = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return [headers, ...rows.map((row) => headers.map((h) => row[h] ?? ""))]
    .map((cells) => cells.join("\t"))
    .join("\n");
}

export function check(rows: readonly Row[], options: Partial<ValidateOptions> = {}): TextValidationResult {
  // Fixes are made of the content's steps for the version, as the CLI and Slack pass them.
  const steps = fixStepsOf(loadContent(), options.opVersion ?? "14.19");
  return validateText(tsv(rows), { today: TODAY, steps, ...options });
}

/** Rule ids of the findings, sorted, for set-like comparison. */
export function rulesOf(result: Pick<TextValidationResult, "findings">): string[] {
  return result.findings.map((finding) => finding.rule).sort();
}

/** One parent on one child, with every setting fine on TODAY. Tests override what they probe. */
export const FINE: Row = {
  Contact: "Jane Smith",
  Email: "jane@example.com",
  Portal: "Minor",
  Authority: "Joint",
  "Start Date": "",
  "End Date": "",
  Patient: "Tom Smith",
  DOB: "3/4/2015",
  Status: "Active",
};

/**
 * Rows on which every rule fires once (and both duplicate-contact fixes come up): under 14.19
 * start-date-future, under 14.10 start-date-set. For tests that look at every rule's text.
 */
export const ONE_ROW_PER_RULE: readonly Row[] = [
  { ...FINE, Status: "Inactive" },
  { ...FINE, Contact: "Ann Lee", Email: "ann@example.com", DOB: "1/1/2000" },
  { ...FINE, Contact: "Bo Lee", Email: "bo@example.com", Portal: "None" },
  { ...FINE, Contact: "Cy Lee", Email: "", Portal: "Full" },
  { ...FINE, Contact: "Di Lee", Email: "di@example.com", Authority: "None" },
  { ...FINE, Contact: "Ed Lee", Email: "ed@example.com", Authority: "" },
  { ...FINE, Contact: "Flo Lee", Email: "flo@example.com", "End Date": "1/1/2020" },
  { ...FINE, Contact: "Gus Lee", Email: "gus@example.com", "End Date": "1/1/2030" },
  { ...FINE, Contact: "Hal Lee", Email: "hal@example.com", "Start Date": "1/1/2030" },
  { ...FINE, Contact: "John Smith" },
  { ...FINE, Contact: "Smith, Kim", Email: "kim@example.com" },
  { ...FINE, Contact: "Kim Doe", Email: "kim@example.com", Patient: "Amy Smith" },
  { ...FINE, Contact: "Lou Lee", Email: "lou@example.com" },
  { ...FINE, Contact: "Lou Lee", Email: "lou@example.com" },
];
