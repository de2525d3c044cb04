import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { main } from "../../src/cli/main.js";
import { Columns, ContactRecord, Finding, InputError, NotChecked } from "../../src/core/rules/schema.js";
import { runCli, tempDir } from "../support/cli.js";
import { FINE, TODAY, tsv } from "../support/rules.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/rules/${name}`, import.meta.url));

/** A directory holding the fixtures, as a practice admin's working directory. */
function workDir() {
  const dir = tempDir("portal-check-validate-");
  for (const name of ["contacts.tsv", "contacts.csv", "contacts.txt", "contacts.json"]) {
    copyFileSync(fixture(name), join(dir, name));
  }
  return dir;
}

const JsonOutput = z.strictObject({
  records: z.array(ContactRecord),
  findings: z.array(Finding),
  errors: z.array(InputError),
  unusable: z.string().optional(),
  columns: Columns,
  notChecked: z.array(NotChecked),
});

describe("portal-check validate", () => {
  it("prints a report grouped by patient as the file goes, blockers first, with fixes and input problems; exit 1", async () => {
    const { code, stdout, stderr } = await runCli(["validate", "contacts.csv", "--today", TODAY], {
      cwd: workDir(),
    });
    expect(stderr).toBe("");
    expect(code).toBe(1);
    // Coverage first (issue 13): every column of this export is read, so every check ran.
    const coverageEnd = stdout.indexOf("\n\n") + 2;
    expect(stdout.slice(0, coverageEnd)).toBe(
      "Columns read: Contact (contact name), Email (email), Relationship (relationship), Portal (portal access), Authority (authority), Start Date (start date), End Date (end date), Patient (patient name), DOB (birth date), Status (patient status).\nEvery check could run.\n\n",
    );
    const patients = stdout
      .slice(coverageEnd)
      .split("\n")
      .filter((line) => /^\S/.test(line));
    // Each patient's rows as they come, then what only the whole file shows (emails on several rows).
    expect(patients.slice(0, 6)).toEqual([
      "Tom Smith",
      "Leo Park",
      "Mia Chen",
      "Tom Smith and Amy Smith",
      "Leo Park and Mia Chen",
      "Input problems (4); what they concern was not checked:",
    ]);
    expect(stdout).toMatch(/BLOCKER {2}Line 2: "Smith, Jane" has Portal "Minor" for Tom Smith, who is 18/);
    // A fix: its check's steps for the version (knowledge/patient-age.md), then what the rule adds.
    expect(stdout).toMatch(
      /Fix \[minor-access-adult, check patient-age\]:\n {13}1\. Confirm the patient's date of birth.*\n(.*\n){3} {13}5\. Good to know: if the patient does not need a parent's help, leave Minor as it is\./,
    );
    expect(stdout).toMatch(/line 12, Email "pat@example": expected one email address/);
    expect(stdout.indexOf("BLOCKER  Line 11")).toBeLessThan(stdout.indexOf("warning  Line 7"));
    expect(stdout.trimEnd().split("\n").at(-1)).toBe(
      "10 records (CSV) checked as of 6/1/2025, fixes for OP 14.19: 10 blockers, 1 warning, 4 input problems. Not everything could be checked (see above).",
    );
  });

  it("shows each fix once, in a closing section, when a whole export has many findings", async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 120 }, (_, i) => ({
      ...FINE,
      Contact: `Parent ${i}`,
      Email: `parent${i}@example.com`,
      Portal: i % 2 ? "None" : "Minor",
      DOB: i % 3 ? "3/4/2015" : "1/1/2000",
      Patient: `Child ${i}`,
    }));
    writeFileSync(join(dir, "export.tsv"), tsv(rows));
    const { code, stdout } = await runCli(["validate", "export.tsv", "--today", TODAY], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout.match(/^ {2}BLOCKER/gm)).toHaveLength(80); // 60 Portal None, 20 Minor for an adult
    expect(stdout).toMatch(
      /^ {2}BLOCKER {2}Line 3: Parent 1 has Portal "None" for Child 1: .* \[fix portal-none\]$/m,
    );
    expect(stdout).toMatch(
      /^ {2}BLOCKER {2}Line 5: Parent 3 has Portal "None" .* \[fix portal-none \(2\)\]$/m,
    );
    const fixes = stdout.slice(stdout.indexOf("How to fix (OP 14.19):"));
    expect(fixes.match(/^ {2}portal-none.*/gm)).toEqual([
      "  portal-none (check portal-access):",
      "  portal-none (2) (check portal-access):",
    ]);
    expect(fixes).toMatch(
      /^ {2}minor-access-adult \(check patient-age\):\n {4}1\. Confirm the patient's date of birth/m,
    );
    // Each of the three fixes is printed once, with its check's steps in OP 14.19's menus.
    expect(stdout.match(/\d\. Click the Patient Chart button/g)).toHaveLength(3);
    const json = JSON.parse(
      (await runCli(["validate", "export.tsv", "--json", "--today", TODAY], { cwd: dir })).stdout,
    );
    expect(json.records).toHaveLength(120);
    expect(json.findings).toHaveLength(80);
  });

  it("shows a patient's findings of one rule each with its own fix where the fixes differ", async () => {
    const dir = tempDir();
    // Two parents with Portal None for Tom Smith, the birth date on one row only (read as two patients).
    const rows = [
      { ...FINE, Portal: "None" },
      { ...FINE, Contact: "John Smith", Email: "john@example.com", Portal: "None", DOB: "" },
    ];
    writeFileSync(join(dir, "two.tsv"), tsv(rows));
    const { stdout } = await runCli(["validate", "two.tsv", "--today", TODAY], { cwd: dir });
    expect(stdout.match(/Fix \[portal-none, check portal-access\]:/g)).toHaveLength(2);
    expect(stdout.indexOf("The patient is under 18 by the birth date given")).toBeLessThan(
      stdout.indexOf("Line 3: John Smith"),
    );
    expect(stdout.indexOf("Line 3: John Smith")).toBeLessThan(
      stdout.indexOf("The input gives no birth date"),
    );
  });

  it("prints { records, findings, errors } with --json, and the fixes of --op-version", async () => {
    const { code, stdout } = await runCli(
      ["validate", "contacts.json", "--json", "--today", TODAY, "--op-version", "14.10"],
      { cwd: workDir() },
    );
    expect(code).toBe(1);
    const output = JsonOutput.parse(JSON.parse(stdout));
    expect(output.records).toHaveLength(10);
    // 14.10 asks for both date fields to be empty: the two Start Dates are findings (start-date-set),
    // where 14.19 reports only the one in the future (start-date-future).
    expect(output.findings).toHaveLength(12);
    expect(output.findings.filter((f) => f.rule === "start-date-set")).toHaveLength(2);
    // An End Date today or later on a parent's contact prohibits access: a blocker, not a warning.
    expect(output.findings.find((f) => f.rule === "end-date-set")).toMatchObject({
      severity: "blocker",
      contacts: ["Kim Chen"],
    });
    expect(output.findings.some((f) => f.rule === "start-date-future")).toBe(false);
    expect(output.errors).toHaveLength(4);
    // The check's steps in OP 14.10's menus, from knowledge/ (duplicate-contact.md, portal-access.md).
    expect(output.findings.find((f) => f.rule === "duplicate-contact")?.fix[0]).toMatch(
      /Activities and pick Contact Manager/,
    );
    expect(output.findings.find((f) => f.rule === "portal-none")?.fix.join(" ")).toMatch(
      /Patient Register.*Contacts tab/,
    );
  });

  it("exits 0 when there are only warnings, and 1 for the same rows with --legacy-portal", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "ok.tsv"), tsv([{ ...FINE, Authority: "" }]));
    const plain = await runCli(["validate", "ok.tsv", "--today", TODAY], { cwd: dir });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/warning {2}Line 2: Jane Smith has a blank Authority/);
    const legacy = await runCli(["validate", "ok.tsv", "--today", TODAY, "--legacy-portal"], { cwd: dir });
    expect(legacy.code).toBe(1);
    expect(legacy.stdout).toMatch(/BLOCKER {2}Line 2: .*patient portal from 2006–2010/);
  });

  it("exits 0 and says so when nothing is wrong", async () => {
    const { code, stdout } = await runCli(["validate", "-", "--today", TODAY], { stdin: tsv([FINE]) });
    expect(code).toBe(0);
    expect(stdout).toBe(
      "Columns read: Contact (contact name), Email (email), Portal (portal access), Authority (authority), Start Date (start date), End Date (end date), Patient (patient name), DOB (birth date), Status (patient status).\nEvery check could run.\n\n" +
        "1 record (TSV) checked as of 6/1/2025, fixes for OP 14.19: nothing found that keeps a parent off the portal.\n",
    );
  });

  it("checks as of today in the process's time zone when --today is not given", async () => {
    const { code, stdout } = await runCli(["validate", "-"], {
      stdin: tsv([{ ...FINE, "End Date": "1/1/2000" }]),
    });
    expect(code).toBe(1);
    const now = new Date();
    expect(stdout).toContain(`as of ${now.getMonth() + 1}/${now.getDate()}/${now.getFullYear()}`);
    expect(stdout).toMatch(/End Date 1\/1\/2000 .* before/);
  });

  it("reads stdin when no FILE is given and stdin is not a terminal", async () => {
    const { code, stdout } = await runCli(["validate", "--json", "--today", TODAY], {
      stdin: "Contact: Jane\nPortal: None\n",
    });
    expect(code).toBe(1);
    expect(JSON.parse(stdout).findings[0].rule).toBe("portal-none");
  });

  it("asks for a FILE when stdin is a terminal", async () => {
    const stdin = Object.assign(Readable.from([]), { isTTY: true });
    const stderr = new PassThrough();
    let err = "";
    stderr.on("data", (d) => {
      err += d;
    });
    const code = await main(["validate"], {
      stdin,
      stdout: new PassThrough(),
      stderr,
      env: {},
      cwd: tempDir(),
    });
    expect(code).toBe(2);
    expect(err).toMatch(/give a FILE to check, or pipe the records in/);
  });

  it("exits 2 on unusable input, listing the accepted forms on stderr", async () => {
    const { code, stdout, stderr } = await runCli(["validate"], {
      stdin: "just some notes about a parent\n",
    });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/the input cannot be used\. The first line is not a header row/);
    expect(stderr).toMatch(/Accepted input:\n {2}- a table with a header row/);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("exits 2 with the rows listed when no record could be read", async () => {
    const { code, stderr } = await runCli(["validate", "--today", TODAY], { stdin: '[1, "two"]' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/No record could be read/);
    expect(stderr).toMatch(/line 1: item 1 of the array is not an object/);
  });

  it("--json still prints the JSON shape for unusable input", async () => {
    const { code, stdout } = await runCli(["validate", "--json"], { stdin: "" });
    expect(code).toBe(2);
    const output = JsonOutput.parse(JSON.parse(stdout));
    expect(output.records).toEqual([]);
    expect(output.unusable).toMatch(/The input is empty/);
  });

  it("exits 2 with one clear line for bad usage and files that cannot be opened", async () => {
    const dir = workDir();
    mkdirSync(join(dir, "exports"));
    const cases: [string[], RegExp][] = [
      [["validate", "missing.csv"], /cannot open missing\.csv: there is no such file/],
      [["validate", "exports"], /exports is a directory/],
      [["validate", "a.csv", "b.csv"], /one FILE/],
      [["validate", "contacts.csv", "--today", "2025-02-30"], /--today must be a real day as YYYY-MM-DD/],
      [["validate", "contacts.csv", "--today", "6/1/2025"], /--today must be a real day/],
      [["validate", "contacts.csv", "--op-version", "20"], /--op-version must be 14\.19 or 14\.10/],
      [["validate", "contacts.csv", "--strict"], /Unknown option '--strict'.*validate --help/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await runCli(args, { cwd: dir });
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr).toMatch(message);
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stdout).toBe("");
    }
  });

  it("--help describes input forms, options and exit codes", async () => {
    const { code, stdout } = await runCli(["validate", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: portal-check validate \[FILE\|-\]/);
    expect(stdout).toMatch(/--legacy-portal/);
    expect(stdout).toMatch(
      /Exit status:\n {2}0 {2}every check ran on every record and nothing keeps a parent off/,
    );
    expect(stdout).toMatch(/^ {2}1 {2}blockers found$/m);
    expect(stdout).toMatch(/^ {2}2 {2}bad usage, or the input cannot be used/m);
    expect(stdout).toMatch(/^ {2}3 {2}no blocker found, but something could not be checked/m);
    expect(stdout).toMatch(/^ {2}4 {2}internal failure/m);
  });

  it("is listed in the top-level usage", async () => {
    const { stdout } = await runCli(["--help"]);
    expect(stdout).toMatch(/validate {2}check contact records/);
  });
});
