import { describe, expect, it } from "vitest";
import { ACCEPTED_FORMS } from "../../src/core/rules/detect.js";
import { validateText } from "../../src/core/rules/validate.js";
import { validateStream } from "../../src/core/rules/validate-stream.js";
import { FINE, rulesOf, TODAY, tsv } from "../support/rules.js";

const options = { today: TODAY };

describe("bad cells", () => {
  it("are reported with line, column (as the user wrote it) and what is expected; the row is still checked", () => {
    const text = tsv([
      FINE,
      { ...FINE, Email: "jane at example", Portal: "sometimes", "End Date": "5/31/2025", DOB: "31/12/2015" },
      {
        ...FINE,
        Contact: "John Smith",
        Email: "john@example.com",
        Authority: "Custody",
        "Start Date": "soon",
      },
    ]);
    const result = validateText(text, options);
    expect(result.errors).toEqual([
      { line: 3, column: "Email", text: "jane at example", message: expect.stringMatching(/email address/) },
      // (Y/yes is read as a yes/no column's "access": issue 13.)
      {
        line: 3,
        column: "Portal",
        text: "sometimes",
        message: "expected None, Minor or Full (or Y/N in a yes/no column)",
      },
      {
        line: 3,
        column: "DOB",
        text: "31/12/2015",
        message: expect.stringMatching(/no such day.*M\/D\/YYYY/),
      },
      { line: 4, column: "Authority", text: "Custody", message: "expected Exclusive, Joint, None or blank" },
      { line: 4, column: "Start Date", text: "soon", message: expect.stringMatching(/expected a date/) },
    ]);
    // The other cells of those rows are still checked.
    expect(result.findings.map((f) => [f.rule, f.lines])).toEqual([["end-date-passed", [3]]]);
    expect(result.recordCount).toBe(3);
    expect(result.unusable).toBeUndefined();
  });

  it("takes one address per email cell", () => {
    const emails = [
      "jane@mail.example.org",
      "j.o'neil+portal@example.co.uk",
      "a@b@example.com",
      "jane@example",
      "jane@.com",
      "jane;john@example.com",
      "<jane@example.com>",
    ];
    const result = validateText(tsv(emails.map((Email) => ({ ...FINE, Email }))), options);
    expect(result.records.map((r) => r.email ?? "invalid")).toEqual([
      "jane@mail.example.org",
      "j.o'neil+portal@example.co.uk",
      "invalid",
      "invalid",
      "invalid",
      "invalid",
      "invalid",
    ]);
  });

  it("messages never repeat what was typed (renderers may show `text` where that is allowed)", () => {
    const result = validateText(tsv([{ ...FINE, Email: "secret-person@nowhere" }]), options);
    expect(result.errors[0]?.message).not.toContain("secret-person");
  });

  it("a birth date after the check date is reported", () => {
    const result = validateText(tsv([{ ...FINE, DOB: "1/1/2030" }]), options);
    expect(result.errors).toEqual([
      expect.objectContaining({
        line: 2,
        column: "DOB",
        message: expect.stringMatching(/after the check date/),
      }),
    ]);
  });
});

describe("bad rows", () => {
  it("a row with too few or too many cells is checked as far as it goes and reported", () => {
    const text = "Contact,Email,Portal,Authority\nJane,jane@x.org,None\nBob,bob@x.org,Minor,Joint,extra\n";
    const result = validateText(text, options);
    expect(result.errors).toEqual([
      {
        line: 2,
        message: expect.stringMatching(/3 cells but the header has 4; the missing cells were not checked/),
      },
      {
        line: 3,
        message: expect.stringMatching(/5 cells but the header has 4; the extra cells were ignored/),
      },
    ]);
    expect(rulesOf(result)).toEqual(["portal-none"]);
  });

  it("an unclosed quote is reported on the row where it opens; the rows before it are checked", () => {
    const text = 'Contact,Email,Portal\nJane,jane@x.org,None\n\n"Bob,bob@x.org,Minor\nAl,al@x.org,None\n';
    const result = validateText(text, options);
    expect(result.errors).toEqual([{ line: 4, message: expect.stringMatching(/quote.*never closed/) }]);
    expect(result.records.map((r) => r.line)).toEqual([2]);
  });

  it("a stray quote inside an unquoted cell is kept as typed", () => {
    const result = validateText('Contact,Portal\nJ"Bo" Lee,Full\n', options);
    expect(result.records[0]?.typed.contact).toBe('J"Bo" Lee');
    expect(result.errors).toEqual([]);
  });

  it("blank and whitespace-only rows are skipped without shifting line numbers", () => {
    const result = validateText("Contact\tPortal\n\n \t \nJane\tNone\n\t\n", options);
    expect(result.findings[0]?.lines).toEqual([4]);
    expect(result.errors).toEqual([]);
  });

  it("key: value lines without a colon, repeated keys and blocks with no known key are reported by line", () => {
    const text = "Contact: Jane\nPortal None\nportal: None\nPortal: Full\n\nColor: blue\nSize: 3\n";
    const result = validateText(text, options);
    expect(result.errors).toEqual([
      { line: 2, message: expect.stringMatching(/Key: value/) },
      { line: 4, column: "Portal", message: expect.stringMatching(/already has "portal" \(line 3\)/) },
      { line: 6, message: expect.stringMatching(/no key this check knows/) },
    ]);
    expect(result.records.map((r) => r.portal)).toEqual(["None"]);
  });

  it("JSON items that are not objects, nested values and unknown-only objects are reported by line", () => {
    const text =
      '[\n  {"contact": "Jane", "portal": "None"},\n  "Bob",\n  {"contact": {"first": "Al"}, "portal": "Full"},\n  {"color": "blue"}\n]';
    const result = validateText(text, options);
    expect(result.errors).toEqual([
      { line: 3, message: expect.stringMatching(/item 2 .* not an object/) },
      { line: 4, column: "contact", message: expect.stringMatching(/expected text, a number or null/) },
      { line: 5, message: expect.stringMatching(/no key this check knows/) },
    ]);
    expect(result.records.map((r) => [r.line, r.portal])).toEqual([
      [2, "None"],
      [4, "Full"],
    ]);
  });
});

describe("unusable input", () => {
  const unusable = (text: string) => {
    const result = validateText(text, options);
    expect(result.recordCount).toBe(0);
    expect(result.unusable).toContain(ACCEPTED_FORMS);
    return result.unusable;
  };

  it("says what was wrong and lists the accepted forms", () => {
    expect(unusable("")).toMatch(/^The input is empty/);
    expect(unusable(" \n\t\n")).toMatch(/^The input is empty/);
    expect(unusable("PK\u0003\u0004\u0014\u0000\u0006\u0000")).toMatch(/not text/);
    expect(unusable("Jane Smith\tjane@x.org\tMinor\n")).toMatch(/not a header row/);
    expect(unusable("hello, how do I fix the portal?")).toMatch(/not a header row/);
    expect(unusable("Contact,Email,Portal\n")).toMatch(/no records after the header/);
    expect(unusable('[{"contact": "Jane",\n "portal": }]')).toMatch(
      /JSON is not valid at line 2, column \d+/,
    );
    expect(unusable('"just a string"')).toMatch(/not a header row/);
    expect(unusable("Color: blue\n")).toMatch(/not a header row/);
  });

  it("rows that cannot be read are listed by line, also when no row can", () => {
    const some = validateText("Contact: Jane\n\nPortal None\n", options);
    expect(some.recordCount).toBe(1);
    expect(some.errors.map((e) => e.line)).toEqual([3]);
    expect(some.unusable).toBeUndefined();
    const none = validateText("[1, 2]", options);
    expect(none.unusable).toMatch(/No record could be read/);
    expect(none.errors.map((e) => e.line)).toEqual([1, 1]);
  });

  it("a binary file is refused on the streaming path too", async () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]);
    const result = await validateStream([zip], options);
    expect(result.form).toBeNull();
    // Named by its first bytes, with what to give instead (issue 13).
    expect(result.unusable).toMatch(/zip file, such as an Excel workbook \(\.xlsx\)/);
  });
});
