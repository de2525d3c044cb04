import { describe, expect, it } from "vitest";
import { newRecordId } from "../../src/store/ids.js";

describe("record ids", () => {
  it("are unique and sort in the order they were made, within a millisecond too (the store's indexes grow at the end)", () => {
    const ids = Array.from({ length: 5000 }, () => newRecordId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // Version 7 UUIDs: the first 48 bits are the time in milliseconds.
    const [first = ""] = ids;
    const ms = Number.parseInt(first.replaceAll("-", "").slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
