import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { detectForm } from "../../src/core/rules/detect.js";
import { fieldFor } from "../../src/core/rules/fields.js";
import { fixStepsOf } from "../../src/core/rules/navigation.js";
import { tableOptions } from "../../src/core/rules/read-table.js";
import {
  TextValidationResult as ResultSchema,
  type TextValidationResult,
} from "../../src/core/rules/schema.js";
import { validateText } from "../../src/core/rules/validate.js";
import { TODAY } from "../support/rules.js";

// Fixes are made of the content's steps, as the CLI and Slack pass them (a rule may add nothing).
const options = { today: TODAY, steps: fixStepsOf(loadContent(), "14.19") };
const RUNS = { numRuns: 300 };

const KNOWN_HEADERS = [
  "Contact",
  "E-mail",
  "Portal Access",
  "Authority",
  "Start Date",
  "endDate",
  "Patient",
  "DOB",
  "Status",
  "ID",
  "Role",
];
const LINE_BREAK = /\r\n|\r|\n/;
const lineCount = (text: string) => text.split(LINE_BREAK).length;
const breaks = (text: string) => lineCount(text) - 1;

/** Cells staff type, cells that stress quoting and line counting, and anything at all (but NUL). */
const cell = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "Jane Smith",
    "Smith, Jane",
    "jane@example.com",
    " JANE@Example.com ",
    "not-an-email",
    "Minor",
    "none",
    "Full",
    "Joint",
    "Exclusive",
    "sometimes",
    "3/1/2024",
    "3/1/24 10:15 AM",
    "2/30/2024",
    "2007-06-01",
    "Active",
    "Inactive",
    `5'10"`,
    'say "hi"',
    "a\nb",
    "x\r\ny",
    "\r",
    "tab\there",
  ),
  fc.string({ unit: "binary", maxLength: 12 }).map((s) => s.replaceAll("\u0000", "")),
);

const unknownHeader = fc
  .string({ unit: "grapheme-ascii", minLength: 1, maxLength: 10 })
  .filter((name) => /^[A-Za-z][^",;:\t\r\n[{]*$/.test(name) && fieldFor(name) === undefined);

/** A header with at least one column the rules know, and rows that each have some text. */
const table = fc
  .tuple(
    fc.shuffledSubarray(KNOWN_HEADERS, { minLength: 1 }),
    fc.array(unknownHeader, { maxLength: 2 }),
    fc.constantFrom(",", "\t"),
    fc.constantFrom("\n", "\r\n"),
  )
  .chain(([known, unknown, delimiter, eol]) => {
    // One column and no delimiter in the header: a TSV cannot be told from a CSV, so use two or more.
    const headers = [...known, ...unknown, ...(known.length + unknown.length < 2 ? ["Notes"] : [])];
    const row = fc
      .array(cell, { minLength: headers.length, maxLength: headers.length })
      .filter((cells) => cells.some((c) => c.trim() !== ""));
    return fc.record({
      headers: fc.constant(headers),
      rows: fc.array(row, { maxLength: 15 }),
      delimiter: fc.constant(delimiter),
      eol: fc.constant(eol),
    });
  });

function quote(value: string, delimiter: string): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replaceAll('"', '""')}"` : value;
}

function serialize({
  headers,
  rows,
  delimiter,
  eol,
}: {
  headers: string[];
  rows: string[][];
  delimiter: string;
  eol: string;
}) {
  const lines = [headers, ...rows].map((cells) => cells.map((c) => quote(c, delimiter)).join(delimiter));
  return lines.join(eol) + eol;
}

/** Where each row starts, counting the line breaks inside its quoted cells. */
function startLines(rows: string[][]): number[] {
  let line = 2;
  return rows.map((cells) => {
    const start = line;
    line += 1 + cells.reduce((sum, c) => sum + breaks(c), 0);
    return start;
  });
}

/** What must hold for any input whatever: a result, never an exception, and lines that exist. */
function expectWellFormed(text: string, result: TextValidationResult) {
  expect(() => ResultSchema.parse(result)).not.toThrow();
  const last = lineCount(text);
  for (const error of result.errors) {
    expect(Number.isInteger(error.line)).toBe(true);
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.line).toBeLessThanOrEqual(last);
    expect(error.message.length).toBeGreaterThan(0);
  }
  const lines = result.records.map((r) => r.line);
  expect(lines).toEqual([...lines].sort((a, b) => a - b));
  expect(new Set(lines).size).toBe(lines.length);
  for (const finding of result.findings) {
    for (const line of finding.lines) expect(lines).toContain(line);
  }
  expect(result.records).toHaveLength(result.recordCount);
  expect(result.unusable !== undefined).toBe(result.recordCount === 0);
}

describe("validateText on generated and mangled input (fast-check)", () => {
  it("never throws on any text, and every error names a line of it", () => {
    const anyText = fc.oneof(
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.string({ unit: "grapheme", maxLength: 300 }),
      fc
        .array(
          fc.constantFrom(
            "Contact",
            ",",
            "\t",
            ":",
            '"',
            "\n",
            "\r\n",
            "[",
            "{",
            "}",
            "]",
            " ",
            "x",
            "Email: a@b.co",
          ),
          {
            maxLength: 60,
          },
        )
        .map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        expectWellFormed(text, validateText(text, options));
      }),
      RUNS,
    );
  });

  it("validates every row of a well-formed table, on the line where it starts", () => {
    fc.assert(
      fc.property(table, (generated) => {
        const text = serialize(generated);
        const result = validateText(text, options);
        expectWellFormed(text, result);
        if (generated.rows.length === 0) {
          expect(result.unusable).toMatch(/no records after the header/);
          return;
        }
        expect(result.records.map((r) => r.line)).toEqual(startLines(generated.rows));
        expect(result.errors.filter((e) => e.column === undefined)).toEqual([]);
      }),
      RUNS,
    );
  });

  it("after mangling a table, still accounts for every row the CSV parser finds: validated or reported", () => {
    const mangled = table.chain((generated) =>
      fc.record({
        generated: fc.constant(generated),
        edits: fc.array(
          fc.tuple(
            fc.nat(),
            fc.constantFrom("delete", '"', "\t", ",", "\n", "\r", "\u0000", "\ufffd", "truncate"),
          ),
          { minLength: 1, maxLength: 4 },
        ),
      }),
    );
    fc.assert(
      fc.property(mangled, ({ generated, edits }) => {
        let text = serialize(generated);
        for (const [at, edit] of edits) {
          const i = text.length === 0 ? 0 : at % text.length;
          if (edit === "delete") text = text.slice(0, i) + text.slice(i + 1);
          else if (edit === "truncate") text = text.slice(0, i);
          else text = text.slice(0, i) + edit + text.slice(i);
        }
        const result = validateText(text, options);
        expectWellFormed(text, result);
        if (result.form !== "csv" && result.form !== "tsv") return;
        // The parser's own count of non-blank rows and unreadable ones, header included.
        let rows = 0;
        let skipped = 0;
        const detected = detectForm(text, true) as { delimiter: string };
        parse(text, {
          ...tableOptions(detected.delimiter),
          on_record: (cells: string[]) => {
            if (cells.some((c) => c.trim() !== "")) rows++;
            return null;
          },
          on_skip: () => {
            skipped++;
            return undefined;
          },
        });
        const unreadable = result.errors.filter((e) => /could not be read/.test(e.message)).length;
        expect(unreadable).toBe(skipped);
        if (rows > 0) expect(result.recordCount).toBe(rows - 1);
      }),
      RUNS,
    );
  });

  it("turns every key: value block into a record or an error on the line the block starts", () => {
    const line = fc.oneof(
      fc
        .tuple(fc.constantFrom(...KNOWN_HEADERS, "Note", "Phone"), cell)
        .map(([key, value]) => `${key}: ${value.replace(/\r\n|\r|\n/g, " ")}`),
      fc.constantFrom("no colon here", "Portal None"),
    );
    const blocks = fc.array(fc.array(line, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(blocks, fc.constantFrom("Contact: Jane"), (generated, first) => {
        const all = [[first], ...generated];
        const text = all.map((block) => block.join("\n")).join("\n\n");
        const result = validateText(text, options);
        expectWellFormed(text, result);
        let start = 1;
        const starts = all.map((block) => {
          const at = start;
          start += block.length + 1;
          return at;
        });
        const accounted = new Set([
          ...result.records.map((r) => r.line),
          ...result.errors.map((e) => e.line),
        ]);
        all.forEach((block, i) => {
          const blockLines = block.map((_, j) => (starts[i] as number) + j);
          expect(blockLines.some((l) => accounted.has(l))).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it("turns every JSON array item into a record or an error on the line the item starts", () => {
    const value = fc.oneof(
      cell,
      fc.integer(),
      fc.constant(null),
      fc.boolean(),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
    );
    const item = fc.oneof(
      fc.dictionary(fc.constantFrom(...KNOWN_HEADERS, "note", "phone"), value, { maxKeys: 6 }),
      fc.string(),
      fc.integer(),
    );
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 10 }), (items) => {
        const text = JSON.stringify(items, null, 2);
        const result = validateText(text, options);
        expectWellFormed(text, result);
        const itemLines = text.split("\n").flatMap((l, i) => (/^ {2}[^\s}\]]/.test(l) ? [i + 1] : []));
        const accounted = new Set([
          ...result.records.map((r) => r.line),
          ...result.errors.map((e) => e.line),
        ]);
        for (const l of itemLines) expect(accounted.has(l)).toBe(true);
        expect(result.records.length).toBeLessThanOrEqual(items.length);
      }),
      RUNS,
    );
  });
});
