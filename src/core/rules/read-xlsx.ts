import type { CellValue, Workbook } from "exceljs";

/**
 * An Excel workbook (.xlsx), read with exceljs, as the TSV text of one sheet: the first, or the
 * one named. Each sheet row becomes one line, so line numbers in the report are Excel's row
 * numbers; a line break inside a cell becomes a space for the same reason. Dates become
 * M/D/YYYY, as the same sheet saved as CSV has them, so the findings are those of the CSV.
 * The workbook is held in memory whole (exceljs's tree is several times the file), hence XLSX_LIMIT.
 */
export const XLSX_LIMIT = 32 * 1024 * 1024;

export type SheetText = { text: string; sheet: string } | { problem: string };

export async function xlsxToText(bytes: Uint8Array, sheetName?: string): Promise<SheetText> {
  if (bytes.length > XLSX_LIMIT) {
    return {
      problem: `The workbook is larger than ${XLSX_LIMIT / 1024 / 1024} MB; save the sheet as CSV UTF-8 and check that instead.`,
    };
  }
  // Loaded on first use: most runs never read a workbook.
  const { default: ExcelJS } = await import("exceljs");
  const workbook: Workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never);
  } catch {
    return {
      problem:
        "The file could not be read as an Excel workbook (.xlsx): it may be damaged, password-protected, or another zip file such as an Apple Numbers file. Save it as CSV UTF-8 and check that instead.",
    };
  }
  const names = workbook.worksheets.map((sheet) => sheet.name);
  const sheet = sheetName === undefined ? workbook.worksheets[0] : workbook.getWorksheet(sheetName);
  if (!sheet) {
    return {
      problem:
        sheetName === undefined
          ? "The workbook has no sheets."
          : `The workbook has no sheet named "${sheetName}"; its sheets are ${names.map((name) => `"${name}"`).join(", ")}.`,
    };
  }
  const lines: string[] = [];
  for (let row = 1; row <= sheet.rowCount; row++) {
    const cells: string[] = [];
    const values = sheet.getRow(row);
    for (let column = 1; column <= values.cellCount; column++) {
      cells.push(tsvCell(cellText(values.getCell(column).value)));
    }
    lines.push(cells.join("\t"));
  }
  return { text: `${lines.join("\n")}\n`, sheet: sheet.name };
}

/** A cell's value as the same sheet saved as CSV shows it. */
function cellText(value: CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) {
    // exceljs gives dates at midnight UTC.
    return `${value.getUTCMonth() + 1}/${value.getUTCDate()}/${value.getUTCFullYear()}`;
  }
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((part) => part.text).join("");
    if ("formula" in value || "sharedFormula" in value)
      return cellText((value as { result?: CellValue }).result ?? null);
    if ("text" in value) return String(value.text);
    if ("error" in value) return "";
    return "";
  }
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return String(value);
}

/** A cell for a TSV line: one line per row, quoted where a tab or quote would break the row. */
function tsvCell(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, " ");
  return /[\t"]/.test(flat) ? `"${flat.replace(/"/g, '""')}"` : flat;
}
