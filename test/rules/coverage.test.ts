import { describe, expect, it } from "vitest";
import { EMAIL_RULES, ROW_RULES } from "../../src/core/rules/catalog/index.js";
import { RULE_NEEDS } from "../../src/core/rules/coverage.js";
import { FIELDS } from "../../src/core/rules/schema.js";
import { validateText } from "../../src/core/rules/validate.js";
import { runCli, tempDir } from "../support/cli.js";
import { TODAY } from "../support/rules.js";

const csv = (lines: string[]) => `${lines.join("\n")}\n`;

describe("coverage: every run says what it checked (issue 13)", () => {
  it("every rule of the catalog says which fields it needs, and only fields records have", () => {
    for (const rule of [...ROW_RULES, ...EMAIL_RULES]) {
      const needs = RULE_NEEDS[rule.id];
      expect(needs, rule.id).toBeDefined();
      for (const group of needs ?? []) for (const field of group) expect(FIELDS).toContain(field);
    }
  });

  it("Contact ID, Relationship, Email Address, Portal Access: two parents on one email are found; the rest is listed as not checked", async () => {
    const text = csv([
      "Contact ID,Relationship,Email Address,Portal Access",
      "101,Mother,family@example.com,Minor",
      "102,Father,family@example.com,Minor",
    ]);
    const result = validateText(text, { today: TODAY });
    expect(result.findings.map((f) => [f.rule, f.contacts])).toEqual([
      ["shared-email", ["contact ID 101", "contact ID 102"]],
    ]);
    expect(result.columns).toEqual({
      used: {
        "Contact ID": "contactId",
        Relationship: "relationship",
        "Email Address": "email",
        "Portal Access": "portal",
      },
      ignored: [],
    });
    expect(result.notChecked.map((n) => [n.rule, n.missing])).toEqual([
      ["patient-inactive", ["status"]],
      ["minor-access-adult", ["dob"]],
      ["authority-none", ["authority"]],
      ["authority-blank", ["authority"]],
      ["end-date-passed", ["end"]],
      ["end-date-set", ["end"]],
      ["start-date-future", ["start"]],
    ]);
    // Each version lists only its own date rule: start-date-set is 14.10's, start-date-future 14.19's.
    const older = validateText(text, { today: TODAY, opVersion: "14.10" });
    expect(older.notChecked.map((n) => n.rule)).toContain("start-date-set");
    expect(older.notChecked.map((n) => n.rule)).not.toContain("start-date-future");
    const run = await runCli(["validate", "-", "--today", TODAY], { stdin: text });
    expect(run.code).toBe(1);
    expect(run.stdout.indexOf("Not checked:")).toBeLessThan(run.stdout.indexOf("BLOCKER"));
    expect(run.stdout).toMatch(/^ {2}patient-inactive: no patient status column$/m);
  });

  it("Guardian First/Last Name, Guardian Email, Portal Enabled (Y/N), Custody: shared email, N and Custody None are all found", () => {
    const text = csv([
      "Guardian First Name,Guardian Last Name,Guardian Email,Portal Enabled (Y/N),Custody,Phone",
      "Ana,Lopez,home@example.com,Y,Joint,555-0100",
      "Luis,Lopez,home@example.com,N,None,555-0101",
    ]);
    const result = validateText(text, { today: TODAY });
    expect(result.findings.map((f) => f.rule).sort()).toEqual([
      "authority-none",
      "portal-none",
      "shared-email",
    ]);
    expect(result.findings.find((f) => f.rule === "shared-email")?.contacts).toEqual([
      "Ana Lopez",
      "Luis Lopez",
    ]);
    expect(result.columns.used).toEqual({
      "Guardian First Name": "contactFirst",
      "Guardian Last Name": "contactLast",
      "Guardian Email": "email",
      "Portal Enabled (Y/N)": "portal",
      Custody: "authority",
    });
    expect(result.columns.ignored).toEqual(["Phone"]);
    // Y says there is access, not whether it is Minor or Full.
    expect(result.notChecked.find((n) => n.rule === "minor-access-adult")).toEqual({
      rule: "minor-access-adult",
      missing: ["dob"],
    });
    expect(result.records[0]?.portal).toBe("Enabled");
    expect(result.records[1]?.portal).toBe("None");
  });

  it("a yes/no Portal column with a birth date: Minor-after-18 could not be checked on the yes rows", () => {
    const text = csv([
      "Contact,Email,Portal (Y/N),Authority,Start Date,End Date,Patient,DOB,Status",
      "Jane Smith,jane@example.com,Y,Joint,,,Tom Smith,3/4/2015,Active",
      "John Smith,john@example.com,N,Joint,,,Tom Smith,3/4/2015,Active",
    ]);
    const result = validateText(text, { today: TODAY });
    expect(result.notChecked).toEqual([
      {
        rule: "minor-access-adult",
        missing: ["portal"],
        rows: 1,
        why: "the portal column says only yes or no, not Minor or Full",
      },
    ]);
  });

  it("exit 0 only when every rule ran on every row; 3 when a column is missing and nothing blocks", async () => {
    const full = csv([
      "Contact ID,Contact,Email,Portal,Authority,Start Date,End Date,Patient,DOB,Status",
      "7,Jane Smith,jane@example.com,Minor,Joint,,,Tom Smith,3/4/2015,Active",
    ]);
    const all = await runCli(["validate", "-", "--today", TODAY], { stdin: full });
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/Every check could run\./);
    const partial = await runCli(["validate", "-", "--today", TODAY], {
      stdin: csv(["Contact,Email,Portal", "Jane Smith,jane@example.com,Minor"]),
    });
    expect(partial.code).toBe(3);
    expect(partial.stdout).toMatch(/no blocker found in what could be checked.*This is not an all clear/);
    expect(partial.stdout).not.toMatch(/nothing found that keeps a parent off/);
    const json = await runCli(["validate", "-", "--json", "--today", TODAY], {
      stdin: csv(["Contact,Email,Portal", "Jane Smith,jane@example.com,Minor"]),
    });
    expect(json.code).toBe(3);
    const output = JSON.parse(json.stdout);
    expect(output.columns).toEqual({
      used: { Contact: "contact", Email: "email", Portal: "portal" },
      ignored: [],
    });
    expect(output.notChecked).toContainEqual({ rule: "patient-inactive", missing: ["status"] });
  });

  it("a stray quote on the last row is never an all clear: exit 3, and the report says so", async () => {
    const text = csv([
      "Contact ID,Contact,Email,Portal,Authority,Start Date,End Date,Patient,DOB,Status",
      "7,Jane Smith,jane@example.com,Minor,Joint,,,Tom Smith,3/4/2015,Active",
      '8,"John Smith,john@example.com,Minor,Joint,,,Tom Smith,3/4/2015,Active',
    ]);
    const run = await runCli(["validate", "-", "--today", TODAY], { stdin: text });
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/1 input problem\. This is not an all clear/);
  });

  it("key: value blocks: a block without a key the others have leaves that rule unchecked on it", () => {
    const text = [
      "Contact: Jane Smith",
      "Email: jane@example.com",
      "Portal: Minor",
      "Status: Active",
      "Phone: 555",
      "",
      "Contact: John Smith",
      "Email: john@example.com",
      "Portal: Minor",
    ].join("\n");
    const result = validateText(text, { today: TODAY });
    expect(result.columns).toEqual({
      used: { Contact: "contact", Email: "email", Portal: "portal", Status: "status" },
      ignored: ["Phone"],
    });
    expect(result.notChecked).toContainEqual({ rule: "patient-inactive", missing: ["status"], rows: 1 });
  });

  it("an internal failure (no temporary folder) has its own exit status, never 1", async () => {
    const saved = process.env.TMPDIR;
    const cwd = tempDir();
    process.env.TMPDIR = "/nonexistent/portal-check-tmp";
    try {
      const run = await runCli(["validate", "-", "--today", TODAY], {
        stdin: csv(["Contact,Email", "Jane,not-an-email"]),
        cwd,
      });
      expect(run.code).toBe(4);
      expect(run.stderr).toMatch(/internal failure, nothing was decided/);
    } finally {
      process.env.TMPDIR = saved;
    }
  });
});

describe("contacts are identified the way exports identify them (issue 13)", () => {
  it("one Contact ID on rows of several patients is one contact, however its name is typed", () => {
    const text = csv([
      "Contact ID,Contact,Email,Patient ID,Patient",
      "101,Jane Smith,jane@example.com,1,Tom Smith",
      "101,Jane A. Smith,jane@example.com,2,Amy Smith",
      '101,"Smith, Jane",jane@example.com,3,Leo Smith',
    ]);
    expect(validateText(text, { today: TODAY }).findings).toEqual([]);
  });

  it("names a contact by name and ID, never as 'the contact on line N' when it has either, nor 'patient patient #'", () => {
    const text = csv([
      "Contact ID,First Name,Middle Name,Last Name,Email,Patient ID,Status,Portal",
      "101,Jane,A.,Smith,jane@example.com,10025,Inactive,None",
      "102,,,,x@example.com,10026,Active,None",
      "103,Ann,,Lee,shared@example.com,10027,Active,Minor",
      "104,Bo,,Lee,shared@example.com,10027,Active,Minor",
    ]);
    const { findings } = validateText(text, { today: TODAY });
    const messages = findings.map((f) => f.message).join("\n");
    expect(messages).toMatch(
      /patient #10025 has status "Inactive", not Active, so Jane A\. Smith \(contact ID 101\)/,
    );
    expect(messages).toMatch(/Line 3: contact ID 102 has Portal "None"/);
    expect(messages).toMatch(/Ann Lee \(contact ID 103\) and Bo Lee \(contact ID 104\) share the email/);
    expect(messages).not.toMatch(/patient patient|the contact on line/);
    expect(findings.find((f) => f.rule === "shared-email")?.contacts).toEqual([
      "Ann Lee (contact ID 103)",
      "Bo Lee (contact ID 104)",
    ]);
  });

  it("without a name or an ID, a contact is named by its email", () => {
    const { findings } = validateText(csv(["Email,Portal", "pat@example.com,None"]), { today: TODAY });
    expect(findings[0]?.message).toBe(
      'Line 2: the contact with email pat@example.com has Portal "None" for the patient: this contact has no portal access to this patient. (The input does not say how this contact is related to the patient; this assumes a parent or guardian.)',
    );
  });
});
