import { describe, expect, it } from "vitest";
import { hash30, IntColumn, TextColumn } from "../../src/core/rules/columns.js";
import { check, FINE, rulesOf } from "../support/rules.js";

describe("IntColumn", () => {
  it("keeps every value across chunk boundaries", () => {
    const column = new IntColumn();
    const indexes = Array.from({ length: 200_000 }, (_, i) => column.push(i * 7 - 5));
    expect(indexes.every((index, i) => index === i)).toBe(true);
    expect(column.length).toBe(200_000);
    for (const i of [0, 65_535, 65_536, 131_072, 199_999]) expect(column.get(i)).toBe(i * 7 - 5);
  });
});

describe("TextColumn", () => {
  it("gives back ASCII, accented and other text as stored, and compares it byte for byte", () => {
    const column = new TextColumn();
    const texts = ["", "Smith, Jane", "José Núñez", "李小龙", "jane@example.com", "Jane@example.com"];
    const refs = texts.map((text) => column.put(text));
    expect(refs.map((ref) => column.get(ref))).toEqual(texts);
    expect(column.equals(refs[4] as number, column.put("jane@example.com"))).toBe(true);
    expect(column.equals(refs[4] as number, refs[5] as number)).toBe(false);
    expect(column.equals(refs[0] as number, column.put(""))).toBe(true);
  });

  it("spans chunks of storage, and cuts a text longer than 4096 bytes", () => {
    const column = new TextColumn();
    const refs = Array.from({ length: 60_000 }, (_, i) => column.put(`contact-${i}@example.com`));
    expect(column.get(refs[0] as number)).toBe("contact-0@example.com");
    expect(column.get(refs[59_999] as number)).toBe("contact-59999@example.com");
    expect(column.equals(refs[7] as number, column.put("contact-7@example.com"))).toBe(true);
    expect(column.get(column.put("x".repeat(5000)))).toHaveLength(4096);
  });
});

const COLLIDING = ["p1uzx@x.org", "pc2ad@x.org"] as const;

describe("grouping by email", () => {
  it("does not merge two emails whose hashes collide", () => {
    // Two different addresses with the same 30-bit hash (found by search).
    expect(hash30(COLLIDING[0])).toBe(hash30(COLLIDING[1]));
    const result = check([
      { ...FINE, Contact: "Jane Smith", Email: COLLIDING[0] },
      { ...FINE, Contact: "John Smith", Email: COLLIDING[1] },
      { ...FINE, Contact: "Ann Lee", Email: COLLIDING[1], Patient: "Amy Lee" },
    ]);
    expect(result.findings.map((f) => [f.rule, f.email, f.lines])).toEqual([
      ["shared-email", COLLIDING[1], [3, 4]],
    ]);
    expect(rulesOf(result)).toEqual(["shared-email"]);
  });

  it("finds nothing when colliding emails each belong to one parent", () => {
    const result = check([
      { ...FINE, Contact: "Jane Smith", Email: COLLIDING[0] },
      { ...FINE, Contact: "John Smith", Email: COLLIDING[1] },
      { ...FINE, Contact: "John Smith", Email: COLLIDING[1], Patient: "Amy Smith" },
    ]);
    expect(result.findings).toEqual([]);
  });
});
