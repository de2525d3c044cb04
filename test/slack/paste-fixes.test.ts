import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { fixStepsOf } from "../../src/core/rules/navigation.js";
import { validateText } from "../../src/core/rules/validate.js";
import { renderFindings } from "../../src/slack/blocks/paste.js";
import { blocksText } from "../support/slack-thread.js";

const content = loadContent();

/** Two parents with Portal None: one on a child, one on a patient of 20. */
const PASTE = [
  "Contact\tRelationship\tEmail\tPortal\tPatient\tDOB",
  "Jane Smith\tMother\tjane@example.org\tNone\tTom Smith\t3/4/2015",
  "Joe Park\tFather\tjoe@example.org\tNone\tAl Park\t1/1/2005",
].join("\n");

describe("a pasted table's findings in Slack", () => {
  it("shows each finding with its own fix: a rule's fix for a child is not given for an adult", () => {
    const result = validateText(PASTE, {
      today: "2025-06-01",
      opVersion: "14.19",
      steps: fixStepsOf(content, "14.19"),
    });
    expect(result.findings.map((f) => f.rule)).toEqual(["portal-none", "portal-none"]);
    const { blocks } = renderFindings(result, { version: "14.19", named: true, user: "U1" });
    const text = blocksText(blocks as unknown as Record<string, unknown>[]);
    const child = text.indexOf("Line 2: Jane Smith");
    const adult = text.indexOf("Line 3: Joe Park");
    const minor = text.indexOf("The patient is under 18 by the birth date given");
    const full = text.indexOf("The patient is 18 or older by the birth date given");
    expect([child, adult, minor, full].every((i) => i >= 0)).toBe(true);
    // Each finding, then its fix: the child's Minor line after Jane's, the adult's after Joe's.
    expect(child).toBeLessThan(minor);
    expect(minor).toBeLessThan(adult);
    expect(adult).toBeLessThan(full);
    expect(text.match(/Blocker: Portal access is None/g)).toHaveLength(2);
  });
});
