import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { validateText } from "../../src/core/rules/validate.js";
import { validateStream } from "../../src/core/rules/validate-stream.js";
import { runCli, tempDir } from "../support/cli.js";
import { TODAY } from "../support/rules.js";
import { generatedExport } from "./export-variants.js";

/** Inputs fuzzing found to break validate (issue 13), each reproduced here, then generalized. */

const options = { today: TODAY };

describe("nested JSON", () => {
  it("a deeply nested paste is refused before any parser sees it, twice in one process", () => {
    const nested = "[".repeat(1000) + "]".repeat(1000);
    for (let i = 0; i < 2; i++) {
      const result = validateText(nested, options);
      expect(result.unusable).toMatch(
        /^The JSON nests arrays or objects more than 8 deep \(line 1, column 9\)/,
      );
    }
    expect(validateText("[".repeat(200_000), options).unusable).toMatch(/more than 8 deep/);
    expect(validateText(`[{"contact": ${"{".repeat(50)}`, options).unusable).toMatch(/more than 8 deep/);
  });

  it("brackets inside strings do not count as nesting", () => {
    const result = validateText(`[{"contact": "${"[".repeat(100)}", "portal": "None"}]`, options);
    expect(result.unusable).toBeUndefined();
    expect(result.findings.map((f) => f.rule)).toEqual(["portal-none"]);
  });

  it("any mix of brackets, braces, strings and commas: never throws, and the answer is a result or a reason", () => {
    const token = fc.constantFrom(
      "[",
      "]",
      "{",
      "}",
      ",",
      ":",
      '"a"',
      '"contact"',
      "1",
      "null",
      " ",
      "\n",
      '"\\"',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 400 }), (tokens) => {
        const result = validateText(`[${tokens.join("")}`, options);
        expect(result.unusable !== undefined || result.recordCount + result.errors.length >= 0).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("a key written twice in one object is reported on its second line; the last value is checked", () => {
    const result = validateText('[{"contact": "Jane",\n  "portal": "Minor",\n  "portal": "None"}]', options);
    expect(result.errors).toEqual([
      {
        line: 3,
        column: "portal",
        message: 'this object has "portal" more than once; only the last one is checked',
      },
    ]);
    expect(result.findings.map((f) => f.rule)).toEqual(["portal-none"]);
  });

  it("a syntax error is placed where the parser found it, not where the text says 'position'", () => {
    expect(validateText('["position 1",x]', options).unusable).toMatch(
      /^The JSON is not valid at line 1, column 15: unexpected text/,
    );
    expect(validateText('[\n  {"contact": "Jane",\n   "portal": }]', options).unusable).toMatch(
      /^The JSON is not valid at line 3, column 14: expected a value/,
    );
    expect(validateText('[{"contact": "Jane",}]', options).unusable).toMatch(
      /line 1, column 21: expected a double-quoted key/,
    );
  });
});

describe("misleading messages", () => {
  it("00/00/0000 is no such day, not a year before 1900", () => {
    const result = validateText("Contact\tDOB\nJane\t00/00/0000\n", options);
    expect(result.errors[0]?.message).toMatch(/^there is no such day/);
  });

  it("'Contact = Jane' is told to use a colon, not that it is no header row", () => {
    const result = validateText("Contact = Jane Smith\nPortal = None\n", options);
    expect(result.unusable).toMatch(
      /^The first line looks like "Contact = …": write each detail with a colon/,
    );
  });
});

describe("key: value input", () => {
  it("one line longer than 1 MB is reported, not held, and the blocks after it are read", async () => {
    const long = `Contact: ${"x".repeat(3 * 1024 * 1024)}`;
    const chunks = (text: string) =>
      Array.from({ length: Math.ceil(text.length / 65_536) }, (_, i) =>
        text.slice(i * 65_536, (i + 1) * 65_536),
      );
    const text = `${long}\r\nPortal: None\r\n\r\nContact: Jane Smith\r\nPortal: None\r\n`;
    const result = await validateStream(chunks(text), options);
    expect(result.errors).toEqual([
      { line: 1, message: "this line is longer than 1 MB, more than any contact detail; it was not read" },
    ]);
    expect(result.recordCount).toBe(2);
    expect(result.counts.blockers).toBe(2);
  });

  it("a long value just under the limit, split over many chunks with CRLF between chunks, is read whole", async () => {
    const name = "y".repeat(900_000);
    const text = `Contact: ${name}\r\nPortal: None\r\n`;
    // Cut so a chunk ends between the CR and the LF.
    const cut = text.indexOf("\r") + 1;
    const result = await validateStream([text.slice(0, 100), text.slice(100, cut), text.slice(cut)], options);
    expect(result.errors).toEqual([]);
    expect(result.recordCount).toBe(1);
  });
});

describe("encodings", () => {
  const name = fc.stringMatching(/^[A-Za-zÀ-ÿ][A-Za-z À-ÿ'-]{0,20}[A-Za-zÀ-ÿ]$/);
  const encode: Record<string, (text: string) => Buffer> = {
    "UTF-8": (text) => Buffer.from(text, "utf8"),
    "UTF-8 with a mark": (text) => Buffer.from(`\uFEFF${text}`, "utf8"),
    "UTF-16LE with a mark": (text) => Buffer.from(`\uFEFF${text}`, "utf16le"),
    "UTF-16LE without a mark": (text) => Buffer.from(text, "utf16le"),
    "UTF-16BE with a mark": (text) => Buffer.from(`\uFEFF${text}`, "utf16le").swap16(),
    "UTF-16BE without a mark": (text) => Buffer.from(text, "utf16le").swap16(),
    "Windows-1252": (text) => Buffer.from(new TextEncoderLatin1().encode(text)),
  };

  it("names in any of the encodings exports come in are read as typed, whatever the chunks", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(name, { minLength: 1, maxLength: 8 }),
        fc.constantFrom(...Object.keys(encode)),
        fc.integer({ min: 1, max: 97 }),
        async (names, encoding, size) => {
          const text = `Contact\tPortal\r\n${names.map((n) => `${n}\tMinor`).join("\r\n")}\r\n`;
          const bytes = (encode[encoding] as (text: string) => Buffer)(text);
          const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
            bytes.subarray(i * size, (i + 1) * size),
          );
          const records: string[] = [];
          const result = await validateStream(chunks, options, {
            record: (r) => void records.push(r.typed.contact ?? ""),
          });
          expect(result.unusable).toBeUndefined();
          expect(records).toEqual(names.map((n) => n.trim()));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a file that turns out not to be UTF-8 after the first 8 KB: names with the bad bytes are reported, not shown garbled", async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `Parent ${i},p${i}@example.com,Minor`);
    const text = `Contact,Email,Portal\n${rows.join("\n")}\n`;
    const bytes = Buffer.concat([
      Buffer.from(text),
      Buffer.from([0x4a, 0x6f, 0x73, 0xe9, 0x2c]),
      Buffer.from("jose@example.com,Minor\n"),
    ]);
    const result = await validateStream([bytes], options);
    expect(result.errors).toEqual([
      expect.objectContaining({
        line: 3002,
        column: "Contact",
        message: expect.stringMatching(/not UTF-8 text/),
      }),
    ]);
  });
});

/** Windows-1252 for the Latin-1 range the names above use (the same bytes there). */
class TextEncoderLatin1 {
  encode(text: string): Uint8Array {
    return Uint8Array.from(text, (char) => char.charCodeAt(0));
  }
}

describe("--threads N reads what --threads 1 reads", () => {
  let plain: string;
  beforeAll(async () => {
    plain = await generatedExport(400);
  });

  async function same(name: string, bytes: Buffer, threads: string[] = ["2", "3"]) {
    const dir = tempDir("portal-check-hardening-");
    writeFileSync(join(dir, name), bytes);
    const run = (...args: string[]) => runCli(["validate", name, "--today", TODAY, ...args], { cwd: dir });
    for (const json of [[], ["--json"]]) {
      const one = await run("--threads", "1", ...json);
      for (const count of threads) {
        const parts = await run("--threads", count, ...json);
        expect({ code: parts.code, stderr: parts.stderr }).toEqual({ code: one.code, stderr: one.stderr });
        expect(parts.stdout).toBe(one.stdout);
      }
    }
  }

  it("3,000 blank lines before the header", async () => {
    await same("blank.csv", Buffer.from(`${"\n".repeat(3000)}${plain}`));
    // A first part of nothing but blank lines (before issue 13: "The input is empty").
    const short = plain.split("\n").slice(0, 20).join("\n");
    await same("blank-short.csv", Buffer.from(`${"\n".repeat(3000)}${short}`), ["2", "4"]);
  }, 120_000);

  it("a NUL byte in the second half", async () => {
    const at = Math.floor(plain.length * 0.75);
    await same("nul.csv", Buffer.from(`${plain.slice(0, at)}\u0000${plain.slice(at)}`));
  }, 120_000);

  it("a short file with a NUL byte in its second half (within the first 8 KB)", async () => {
    const small = plain.split("\n").slice(0, 20).join("\n");
    await same("short-nul.csv", Buffer.from(`${small.slice(0, 1500)}\u0000${small.slice(1500)}`), ["2", "4"]);
  }, 120_000);

  it("Windows-1252 and UTF-16 files", async () => {
    const accented = plain.replace(/Smith/g, "Muñoz");
    await same("cp1252.csv", Buffer.from(Uint8Array.from(accented, (c) => c.charCodeAt(0))));
    await same("utf16.csv", Buffer.from(`\uFEFF${accented}`, "utf16le"));
  }, 120_000);

  it("whatever blank lines, NUL bytes, stray quotes and accented bytes are put where", async () => {
    const lines = plain.split("\n");
    const edit = fc.record({
      at: fc.integer({ min: 0, max: lines.length - 1 }),
      what: fc.constantFrom("\n".repeat(500), "\u0000", '"', "Jos\u00e9", "\r"),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(edit, { maxLength: 4 }),
        fc.constantFrom("2", "3"),
        async (edits, threads) => {
          const copy = [...lines];
          for (const { at, what } of edits) copy[at] = `${what}${copy[at]}`;
          await same("fuzz.csv", Buffer.from(copy.join("\n"), "latin1"), [threads]);
        },
      ),
      { numRuns: 6 },
    );
  }, 300_000);
});
