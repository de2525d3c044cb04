import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { generateExport } from "../../bench/rules/generate.js";
import { tempDir } from "../support/cli.js";

/** A generated practice export (bench/rules/generate.ts: findings of every rule, input problems). */
export async function generatedExport(rows: number): Promise<string> {
  const dir = tempDir("portal-check-export-");
  try {
    const file = join(dir, "export.csv");
    await generateExport(file, rows, new Date(2025, 5, 1));
    return readFileSync(file, "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same export shaped so the places a file is split at (`fractions` of its size) fall where a
 * split is hard: inside a quoted cell spanning many lines, among blank lines, or among the rows of
 * one patient with findings on each row (whose findings must come out as one group). Returns the text.
 */
export function withRowsAcross(
  text: string,
  fractions: readonly number[],
  kind: "quoted" | "blank" | "patient",
): string {
  const lines = text.split("\n");
  // About 6 kB each, so a split lands inside even where the placing is a line or two off.
  const awkward = {
    quoted: `999999,"Split, Sam",1/2/2015,Active,999999,"Split,\n${Array.from({ length: 300 }, (_, i) => `line ${i} of a long note`).join("\n")}",Mother,split@example.com,,Minor,Joint,,`,
    blank: "\n".repeat(300).slice(0, -1),
    // Each row: an end date (a warning); every third, no portal access (a blocker).
    patient: Array.from(
      { length: 60 },
      (_, i) =>
        `999998,"Long, Lee",3/4/2016,Active,${990000 + i},"Parent${i}, Pat",Guardian,p${i}@example.org,,${i % 3 ? "Minor" : "None"},Joint,,12/31/2030`,
    ).join("\n"),
  }[kind];
  const size = Buffer.byteLength(text) + fractions.length * Buffer.byteLength(`${awkward}\n`);
  const out: string[] = [];
  let bytes = 0;
  let next = 0;
  for (const line of lines) {
    const target = (fractions[next] ?? 2) * size - Buffer.byteLength(awkward) / 2;
    if (next < fractions.length && bytes >= target && out.length > 0) {
      out.push(awkward);
      bytes += Buffer.byteLength(`${awkward}\n`);
      next++;
    }
    out.push(line);
    bytes += Buffer.byteLength(`${line}\n`);
  }
  return out.join("\n");
}

export const crlf = (text: string) => text.replace(/\r?\n/g, "\r\n");
