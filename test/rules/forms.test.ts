import { createReadStream, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ContactRecord, type ValidationResult } from "../../src/core/rules/schema.js";
import { validateText } from "../../src/core/rules/validate.js";
import { validateStream } from "../../src/core/rules/validate-stream.js";
import { rulesOf, TODAY } from "../support/rules.js";

const fixture = (name: string) => new URL(`../fixtures/rules/${name}`, import.meta.url);
const options = { today: TODAY };

/** The same ten rows in every form; the tenth has four bad cells. */
const EVERY_RULE_ONCE = [
  "authority-blank",
  "authority-none",
  "duplicate-contact",
  "end-date-passed",
  "end-date-set",
  "minor-access-adult",
  "missing-email",
  "patient-inactive",
  "portal-none",
  "shared-email",
  "start-date-future",
];

const FORMS = [
  // file, form, line of the bad row's email cell, its label, lines of the maiden/married pair
  { file: "contacts.tsv", form: "tsv", emailLine: 11, emailLabel: "Email", pair: [5, 6] },
  { file: "contacts.csv", form: "csv", emailLine: 12, emailLabel: "Email", pair: [5, 7] },
  { file: "contacts.txt", form: "key-value", emailLine: 101, emailLabel: "E-mail", pair: [34, 45] },
  { file: "contacts.json", form: "json", emailLine: 112, emailLabel: "email", pair: [38, 50] },
] as const;

describe.each(FORMS)("$file", ({ file, form, emailLine, emailLabel, pair }) => {
  const text = readFileSync(fixture(file), "utf8");

  it("is detected and gives every rule's finding once, with the bad row's cells reported", () => {
    const result = validateText(text, options);
    expect(result.form).toBe(form);
    expect(result.recordCount).toBe(10);
    expect(rulesOf(result)).toEqual(EVERY_RULE_ONCE);
    expect(result.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/email address/),
      expect.stringMatching(/None, Minor or Full/),
      expect.stringMatching(/no such day/),
      expect.stringMatching(/no such day/),
    ]);
    expect(result.errors[0]).toMatchObject({ line: emailLine, column: emailLabel, text: "pat@example" });
    expect(result.findings.find((f) => f.rule === "duplicate-contact")?.lines).toEqual(pair);
    expect(result.unusable).toBeUndefined();
  });

  it("keeps what was typed next to the normalized values", () => {
    const { records } = validateText(text, options);
    for (const record of records) expect(() => ContactRecord.parse(record)).not.toThrow();
    const john = records.find((r) => r.typed.contact === "John Smith");
    expect(john?.typed.email).toBe("Jane.Smith@Example.com");
    expect(john?.email).toBe("jane.smith@example.com");
    expect(john?.dob).toBe("2007-06-01");
    const kim = records.find((r) => r.typed.contact === "Kim Chen");
    expect(kim).toMatchObject({
      start: "2025-06-02",
      end: "2026-06-01",
      authority: "Joint",
      portal: "Minor",
    });
  });

  it("gives the same result streamed from the file as held in memory", async () => {
    const { records: _, ...inMemory } = validateText(text, options);
    const streamed = await validateStream(createReadStream(fixture(file), { highWaterMark: 7 }), options);
    expect(streamed).toEqual(inMemory);
  });
});

describe("tables", () => {
  it("match header synonyms ignoring case, spaces, _ and -", () => {
    const text = [
      "contact_name,E-Mail,PORTAL ACCESS,portalAuthority,start-date,endDate,Patient DOB,Role,ID,patient status,Child",
      "Jane Smith,jane@example.com,minor,joint,,5/31/2025,3/4/2015,Mother,17,Active,Tom Smith",
    ].join("\n");
    const result = validateText(text, options);
    expect(result.errors).toEqual([]);
    expect(result.records[0]).toMatchObject({
      contactId: "17",
      email: "jane@example.com",
      portal: "Minor",
      authority: "Joint",
      start: null,
      end: "2025-05-31",
      dob: "2015-03-04",
      status: "active",
      typed: { relationship: "Mother", patient: "Tom Smith" },
    });
    expect(rulesOf(result)).toEqual(["end-date-passed"]);
  });

  it("read semicolon-separated CSV and ignore columns no rule needs", () => {
    const result = validateText("Contact;Phone;Email;Portal\nJane;555-0100;;Full\n", options);
    expect(result.form).toBe("csv");
    expect(rulesOf(result)).toEqual(["missing-email"]);
  });

  it("say which of two columns for one field is checked", () => {
    const result = validateText("Email\tHome Email\tContact\nA@x.org\tb@x.org\tAnn\n", options);
    expect(result.errors).toEqual([
      {
        line: 1,
        column: "Home Email",
        message: expect.stringMatching(/same as "Email"; only "Email" is checked/),
      },
    ]);
    expect(result.records[0]?.email).toBe("a@x.org");
  });

  it("count lines through quoted cells with CRLF inside, so later rows keep their own line", () => {
    const text =
      'Contact,Email,Portal\r\n"Jane\r\nSmith",jane@x.org,None\r\n"Bob\r\n\r\nLee",bob@x.org,Minor\r\n\r\nAl,al@x.org,None\r\n';
    const result = validateText(text, options);
    expect(result.records.map((r) => r.line)).toEqual([2, 4, 8]);
    expect(result.findings.map((f) => f.lines[0])).toEqual([2, 8]);
  });

  it("are read from UTF-16 (Excel's Unicode Text) when streamed", async () => {
    const text = "\ufeffContact\tEmail\tPortal\nJosé Núñez\tjose@x.org\tNone\n";
    const bytes = Buffer.from(text, "utf16le");
    const result = await validateStream([bytes.subarray(0, 5), bytes.subarray(5)], options);
    expect(result.form).toBe("tsv");
    expect(result.findings[0]?.contacts).toEqual(["José Núñez"]);
  });
});

describe("key: value blocks", () => {
  it("split at the first colon, take blank lines between records, and ignore unknown keys", () => {
    const text =
      "Contact: Jane Smith\nEmail: jane@x.org\nNote: call after 5:30 PM\nEnd Date: 3/1/2024 10:15 AM\n\n\n\nName: Bob\nPortal: None\n";
    const result = validateText(text, options);
    expect(result.form).toBe("key-value");
    expect(result.records.map((r) => [r.line, r.typed.contact, r.end ?? r.portal])).toEqual([
      [1, "Jane Smith", "2024-03-01"],
      [8, "Bob", "None"],
    ]);
  });
});

describe("the streaming path", () => {
  it("gives the same result whatever the chunk boundaries (CRLF split, multi-byte characters)", async () => {
    const bytes = readFileSync(fixture("contacts.csv"));
    const expected: ValidationResult = (({ records: _, ...rest }) => rest)(
      validateText(bytes.toString("utf8"), options),
    );
    for (const size of [1, 2, 3, 64, 1000]) {
      const chunks = [];
      for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
      expect(await validateStream(chunks, options)).toEqual(expected);
    }
  });

  it("hands each record over as it is read", async () => {
    const seen: number[] = [];
    await validateStream(createReadStream(fixture("contacts.tsv")), options, {
      record: (r) => seen.push(r.line),
    });
    expect(seen).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});
