import { beforeAll, describe, expect, it } from "vitest";
import type { Finding, InputError, ValidationResult } from "../../src/core/rules/schema.js";
import {
  type InputParts,
  type PartResult,
  validatePart,
  validateStream,
} from "../../src/core/rules/validate-stream.js";
import { TODAY } from "../support/rules.js";
import { crlf, generatedExport, withRowsAcross } from "./export-variants.js";

/**
 * validateStream joining parts read elsewhere (InputParts), here in the same thread with
 * validatePart, as a worker runs it: which parts are joined and which are read again, and that
 * the outcome is the single-part one either way. The CLI's worker threads: worker-pool.test.ts.
 */

const OPTIONS = { today: TODAY };

interface Outcome {
  result: ValidationResult;
  findings: Finding[][];
  errors: InputError[];
}

async function single(bytes: Buffer): Promise<Outcome> {
  const findings: Finding[][] = [];
  const errors: InputError[] = [];
  const result = await validateStream(chunked(bytes), OPTIONS, {
    findings: (run) => findings.push(run),
    error: (error) => errors.push(error),
  });
  return { result, findings, errors };
}

interface Fake {
  /** Which parts were joined, and from which part on they were abandoned. */
  joined: number[];
  abandoned: number[];
}

/** Parts starting at these fractions of the file (each just after a line break), read in this thread. */
async function inParts(
  bytes: Buffer,
  fractions: number[],
  tweak: { miscount?: number; fail?: number } = {},
): Promise<Outcome & Fake> {
  const starts = fractions.map((fraction) => bytes.indexOf(0x0a, Math.floor(bytes.length * fraction)) + 1);
  const findings: Finding[][] = [];
  const errors: InputError[] = [];
  const fake: Fake = { joined: [], abandoned: [] };
  const results = new Map<number, Promise<PartResult | undefined>>();
  const parts: InputParts = {
    starts,
    begin(header, delimiter) {
      starts.forEach((start, at) => {
        const index = at + 1;
        const end = starts[at + 1];
        results.set(
          index,
          (async () => {
            if (tweak.fail === index) return undefined;
            const handed: Finding[][] = [];
            const problems: InputError[] = [];
            const linesBefore = lineBreaks(bytes.subarray(0, start)) + (tweak.miscount === index ? 1 : 0);
            const part = await validatePart(
              chunked(bytes.subarray(start, end ?? bytes.length)),
              { header, delimiter, start, linesBefore, ...(end === undefined ? {} : { end }) },
              OPTIONS,
              { findings: (run) => handed.push(run), error: (error) => problems.push(error) },
            );
            return {
              linesBefore,
              ...(part.end ? { end: part.end } : {}),
              session: part.session,
              handed: (async function* () {
                yield* handed;
              })(),
              joined: async () => {
                fake.joined.push(index);
                errors.push(...problems);
              },
            };
          })(),
        );
      });
    },
    result: (index) => results.get(index) ?? Promise.resolve(undefined),
    abandon: (index) => void fake.abandoned.push(index),
    rest: (byte, end) => chunked(bytes.subarray(byte, end)),
  };
  const result = await validateStream(
    chunked(bytes.subarray(0, starts[0])),
    OPTIONS,
    {
      findings: (run) => findings.push(run),
      error: (error) => errors.push(error),
    },
    parts,
  );
  return { result, findings, errors, ...fake };
}

/** What parts gave is what one part gives: the result, the findings and errors in their order. */
function expectSameOutcome(actual: Outcome, expected: Outcome) {
  expect(actual.result).toEqual(expected.result);
  expect(actual.findings).toEqual(expected.findings);
  expect(actual.errors).toEqual(expected.errors);
}

/** 64 kB chunks, as a file is read (smaller than the parts, so a part spans several). */
async function* chunked(bytes: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += 65_536) yield bytes.subarray(at, at + 65_536);
}

function lineBreaks(bytes: Buffer): number {
  return bytes.toString("latin1").match(/\r\n|\n|\r/g)?.length ?? 0;
}

let plain: string;
beforeAll(async () => {
  plain = await generatedExport(2000);
});

describe("validateStream with parts", () => {
  it.each([
    ["LF", (text: string) => text],
    ["CRLF", crlf],
  ])("%s: clean splits are all joined, and the outcome is the single-part one", async (_, shape) => {
    const bytes = Buffer.from(shape(plain));
    const expected = await single(bytes);
    expect(expected.result.counts.blockers).toBeGreaterThan(100);
    for (const fractions of [[0.5], [0.25, 0.5, 0.75]]) {
      const split = await inParts(bytes, fractions);
      expect(split.joined).toEqual(fractions.map((_, i) => i + 1));
      expect(split.abandoned).toEqual([]);
      expectSameOutcome(split, expected);
    }
  });

  it("a patient whose rows run across a split gets one group of findings, as from one part", async () => {
    const bytes = Buffer.from(withRowsAcross(plain, [0.5], "patient"));
    const expected = await single(bytes);
    const group = expected.findings.find((run) => run[0]?.patient.includes("Long"));
    expect(group?.length).toBeGreaterThan(60);
    const split = await inParts(bytes, [0.5]);
    expect(split.joined).toEqual([1]);
    expectSameOutcome(split, expected);
  });

  it("a split inside a quoted cell is read again from the last row before it, and later parts still join", async () => {
    const bytes = Buffer.from(withRowsAcross(plain, [0.5], "quoted"));
    const expected = await single(bytes);
    const split = await inParts(bytes, [0.5, 0.75]);
    // Part 1 starts inside the cell: it and all after it are given up, and read here.
    expect(split.joined).toEqual([]);
    expect(split.abandoned).toEqual([1]);
    expectSameOutcome(split, expected);
    // A cell across the second split only: the first part joins, the rest is read here.
    const later = await inParts(bytes, [0.25, 0.5]);
    expect(later.joined).toEqual([1]);
    expect(later.abandoned).toEqual([2]);
    expectSameOutcome(later, expected);
  });

  it("a part that counted other lines before it, or failed, is read here instead", async () => {
    const bytes = Buffer.from(plain);
    const expected = await single(bytes);
    for (const tweak of [{ miscount: 2 }, { fail: 1 }, { fail: 3 }]) {
      const split = await inParts(bytes, [0.25, 0.5, 0.75], tweak);
      const bad = tweak.miscount ?? tweak.fail;
      expect(split.joined).toEqual([1, 2, 3].filter((index) => index < bad));
      expect(split.abandoned).toEqual([bad]);
      expectSameOutcome(split, expected);
    }
  });
});
