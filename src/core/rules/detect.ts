import { parse } from "csv-parse/sync";
import { EXAMPLE_HEADERS, fieldFor } from "./fields.js";
import type { InputForm } from "./schema.js";

/** Told to the user whenever input cannot be used, so they know what to give instead. */
export const ACCEPTED_FORMS = [
  "Accepted input:",
  `  - a table with a header row, as TSV (cells copied from a grid) or CSV; headers such as ${EXAMPLE_HEADERS}`,
  "  - key: value lines (e.g. Contact: Jane Smith), one record per block, blocks separated by a blank line",
  "  - a JSON array of objects with those keys",
].join("\n");

export type Detection =
  | { form: Exclude<InputForm, "tsv" | "csv"> }
  | { form: "tsv" | "csv"; delimiter: string }
  | { form: null; problem: string };

/** How much text to look at before deciding; a header line longer than this is not one. */
const DETECT_LIMIT = 64 * 1024;
/** The start searched for NUL characters, which text never has and binary files (.xlsx) soon do. */
const SNIFF = 8 * 1024;

/**
 * Decides the input form from its beginning, `start`. While more text may come (`complete`
 * false), returns undefined until it has the sniffed start and the first non-blank line.
 */
export function detectForm(start: string, complete: boolean): Detection | undefined {
  if (!complete && start.length < SNIFF) return undefined;
  const text = start.charCodeAt(0) === 0xfeff ? start.slice(1) : start;
  if (text.slice(0, SNIFF).includes("\u0000")) {
    return {
      form: null,
      problem:
        "The input is not text; it looks like a binary file, such as an Excel workbook. Save it as CSV, or copy the cells and paste them.",
    };
  }
  const firstChar = /\S/.exec(text);
  if (!firstChar) {
    if (complete) return { form: null, problem: "The input is empty." };
    return text.length < DETECT_LIMIT
      ? undefined
      : { form: null, problem: "The first 64 KB of the input are blank." };
  }
  if (firstChar[0] === "[" || firstChar[0] === "{") return { form: "json" };

  const from = text.lastIndexOf("\n", firstChar.index) + 1;
  const end = text.slice(from).search(/\r|\n/);
  if (end < 0 && !complete && text.length < DETECT_LIMIT) return undefined;
  const line = end < 0 ? text.slice(from) : text.slice(from, from + end);

  const keyValue = /^\s*([^:\t,;]{1,60}):/.exec(line);
  if (keyValue && fieldFor(keyValue[1] as string) && !line.includes("\t")) return { form: "key-value" };
  const delimiter = line.includes("\t") ? "\t" : count(line, ";") > count(line, ",") ? ";" : ",";
  if (headerCells(line, delimiter).some((cell) => fieldFor(cell) !== undefined)) {
    return { form: delimiter === "\t" ? "tsv" : "csv", delimiter };
  }
  const equals = /^\s*([^=:\t,;]{1,60})=/.exec(line);
  if (equals && fieldFor(equals[1] as string)) {
    return {
      form: null,
      problem: `The first line looks like "${(equals[1] as string).trim()} = …": write each detail with a colon instead, as Key: value (for example "Contact: Jane Smith").`,
    };
  }
  return {
    form: null,
    problem: "The first line is not a header row: none of its names is a column this check knows.",
  };
}

/**
 * What a file that is not text is, by its first bytes, and what to give instead; undefined for
 * anything else (text, or binary this cannot name: the NUL check in detectForm catches that).
 */
export function binaryProblem(start: Uint8Array): string | undefined {
  const begins = (...bytes: number[]) => bytes.every((byte, i) => start[i] === byte);
  if (begins(0x50, 0x4b, 0x03, 0x04)) {
    return "The input is a zip file, such as an Excel workbook (.xlsx) or an Apple Numbers file. Give an .xlsx workbook as a FILE (`portal-check validate export.xlsx`), or save the sheet as CSV; from Numbers, use File > Export To > CSV.";
  }
  if (begins(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) {
    return "The input is an old-style Excel workbook (.xls), which this check cannot read. In Excel, use File > Save As and choose CSV UTF-8 (or Excel Workbook .xlsx).";
  }
  if (begins(0x25, 0x50, 0x44, 0x46, 0x2d)) {
    return "The input is a PDF: a printed report, not data. Export the contacts from the practice system as CSV instead (or copy the rows from Family Contacts).";
  }
  return undefined;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

function headerCells(line: string, delimiter: string): string[] {
  try {
    const [cells] = parse(line, {
      delimiter,
      relax_quotes: true,
      relax_column_count: true,
      to_line: 1,
    }) as string[][];
    return cells ?? [];
  } catch {
    // An unclosed quote in the header: not a header we can use.
    return [];
  }
}
