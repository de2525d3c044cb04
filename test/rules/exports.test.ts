import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { TODAY } from "../support/rules.js";

/**
 * The fixture corpus (issue 13): synthetic exports in the shapes practices really send, each
 * with the findings, input problems and unchecked fields written down in expected.json.
 */
const DIR = fileURLToPath(new URL("../fixtures/exports/", import.meta.url));

interface Expected {
  exit: number;
  args?: string[];
  findings?: [string, number[]][];
  errors?: number[];
  notChecked?: string[];
  unusable?: string;
  contacts?: string[];
  ignored?: string[];
  sameAs?: string;
}

const EXPECTED = JSON.parse(readFileSync(`${DIR}expected.json`, "utf8")) as Record<string, Expected>;
const FILES = readdirSync(DIR).filter((name) => name !== "expected.json");

async function check(file: string, args: string[] = [], json = true) {
  return runCli(["validate", file, "--today", TODAY, ...(json ? ["--json"] : []), ...args], { cwd: DIR });
}

describe("the export corpus", () => {
  it("holds at least 20 differently shaped exports, each with its expectations", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(20);
    expect(FILES.sort()).toEqual(
      Object.keys(EXPECTED)
        .filter((key) => !key.startsWith("_"))
        .sort(),
    );
  });

  it.each(FILES)("%s", async (file) => {
    const expected = EXPECTED[file] as Expected;
    const run = await check(file, expected.args);
    expect(run.code, run.stderr).toBe(expected.exit);
    const report = await check(file, expected.args, false);
    expect(report.code).toBe(expected.exit);
    if (expected.unusable !== undefined) {
      expect(run.stderr).toMatch(new RegExp(expected.unusable));
      expect(run.stderr).not.toMatch(/\n\s+at /);
      return;
    }
    const output = JSON.parse(run.stdout);
    const findings = (output.findings as { rule: string; lines: number[] }[])
      .map((f) => [f.rule, f.lines])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(findings).toEqual(expected.findings);
    expect((output.errors as { line: number }[]).map((e) => e.line)).toEqual(expected.errors);
    const missing = new Set((output.notChecked as { missing: string[] }[]).flatMap((n) => n.missing));
    expect([...missing].sort()).toEqual(expected.notChecked);
    if (expected.contacts) {
      expect(output.records.map((r: { typed: { contact: string } }) => r.typed.contact)).toEqual(
        expected.contacts,
      );
    }
    if (expected.ignored) expect(output.columns.ignored).toEqual(expected.ignored);
    // An all clear only when everything ran on every row and nothing blocks.
    if (run.code === 0) {
      expect(output.notChecked).toEqual([]);
      expect(output.errors).toEqual([]);
      expect(output.findings.filter((f: { severity: string }) => f.severity === "blocker")).toEqual([]);
    }
    // The text report states coverage before the first finding.
    const coverage = report.stdout.indexOf("Columns read:");
    expect(coverage).toBe(0);
    if (expected.sameAs) {
      const other = await check(expected.sameAs);
      expect(output.findings).toEqual(JSON.parse(other.stdout).findings);
    }
  });

  it("an .xlsx is read from its first sheet unless --sheet names another; an unknown sheet is named", async () => {
    const first = await check("21-workbook.xlsx");
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/not a header row/);
    const unknown = await check("21-workbook.xlsx", ["--sheet", "Nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no sheet named "Nope"; its sheets are "Read me", "Contacts"/);
    const notWorkbook = await check("05-parent-prefix.csv", ["--sheet", "Contacts"]);
    expect(notWorkbook.code).toBe(2);
    expect(notWorkbook.stderr).toMatch(/--sheet names a sheet of an Excel workbook/);
  });
});
