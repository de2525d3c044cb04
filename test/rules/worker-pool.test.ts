import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.js";
import { TODAY } from "../support/rules.js";
import { crlf, generatedExport, withRowsAcross } from "./export-variants.js";

/**
 * `validate --threads N` reads a file in N parts, the later ones on worker threads (real ones:
 * src/cli/validate/part-worker.ts), and must print exactly what one thread prints, byte for byte,
 * report and JSON alike, whatever the split points fall on.
 */

let plain: string;
beforeAll(async () => {
  plain = await generatedExport(3000);
});

const variants: Record<string, () => string> = {
  "LF line ends": () => plain,
  "CRLF line ends": () => crlf(plain),
  "a quoted cell of 300 lines across each split": () =>
    withRowsAcross(plain, [1 / 3, 1 / 2, 2 / 3], "quoted"),
  "CRLF, quoted cells across the splits": () => crlf(withRowsAcross(plain, [1 / 3, 1 / 2, 2 / 3], "quoted")),
  "one patient's 60 rows with findings across each split": () =>
    withRowsAcross(plain, [1 / 3, 1 / 2, 2 / 3], "patient"),
  "300 blank lines across each split": () => withRowsAcross(plain, [1 / 3, 1 / 2, 2 / 3], "blank"),
  "a byte-order mark, a repeated column and a quote never closed at the end": () => {
    // "E-mail" means the same as "Email": reported once, for the header, however many parts.
    const lines = plain.split("\n").map((line, i) => (i === 0 ? `${line},E-mail` : line && `${line},`));
    return `\uFEFF${lines.join("\n")}\n7,"Never closed,1/1/2010`;
  },
};

describe("portal-check validate --threads", () => {
  for (const [name, make] of Object.entries(variants)) {
    it(`${name}: 2 and 3 parts print what 1 part prints, report and JSON`, async () => {
      const dir = tempDir("portal-check-threads-");
      writeFileSync(join(dir, "export.csv"), make());
      const run = (...args: string[]) =>
        runCli(["validate", "export.csv", "--today", TODAY, ...args], { cwd: dir });
      for (const json of [[], ["--json"]]) {
        const one = await run("--threads", "1", ...json);
        expect(one.code).toBe(1);
        expect(one.stdout.length).toBeGreaterThan(10_000);
        for (const threads of ["2", "3"]) {
          const parts = await run("--threads", threads, ...json);
          expect({ code: parts.code, stderr: parts.stderr }).toEqual({ code: one.code, stderr: one.stderr });
          // Compared whole: a difference shows as a diff of the two outputs.
          expect(parts.stdout).toBe(one.stdout);
        }
      }
    }, 60_000);
  }

  it("says what --threads accepts", async () => {
    const result = await runCli(["validate", "x.csv", "--threads", "0"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--threads must be a whole number from 1 to 8, not "0"');
  });
});
