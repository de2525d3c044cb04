import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/**
 * `.ci/run` runs the suite once per Node and sets PORTAL_CHECK_EXPECT_NODE to that pass's version:
 * the tests, and the children they start by name, must run on it (a wrong PATH would silently test
 * another Node). Outside CI there is nothing to compare with, so this checks only that both agree.
 */
describe("the Node this suite runs on", () => {
  it("is the Node CI meant, in the test workers and in children started as `node`", () => {
    const child = execFileSync("node", ["-p", "process.version"], { encoding: "utf8" }).trim();
    expect(child).toBe(process.version);
    const expected = process.env.PORTAL_CHECK_EXPECT_NODE;
    if (expected) expect(process.version).toBe(expected);
  });
});
