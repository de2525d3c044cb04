import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { redactQuestionText as redactWith } from "../../src/core/feedback/redact.js";
import { opVersionsOf } from "../../src/core/knowledge/schema.js";

/** The shipped content's OP versions, as the Slack app passes them. */
const VERSIONS = opVersionsOf(loadContent().knowledge);
const redactQuestionText = (text: string) => redactWith(text, VERSIONS);

describe("redactQuestionText: what is stored of a question", () => {
  it.each([
    [
      "Mrs. Lopez has two logins, one under Lopez and one under Garcia",
      "Mrs <name> has two logins, one under <name> and one under <name>",
    ],
    ["jane.doe+kids@gmail.com can't see Emma", "<email> can't see <name>"],
    ["call mom back at (555) 123-4567 or 555.987.6543", "call mom back at <phone> or <phone>"],
    ["DOB 08/2006, mom lost access", "DOB <date>, mom lost access"],
    ["born 3/4/2010 and again 2010-03-04", "born <date> and again <date>"],
    ["she was seen on March 3, 2024", "she was seen on <date>"],
    ["MRN 123456 for the smith family", "<name> <n> for the <name> family"],
    ["Kevin O'Brien and Mary-Kate are locked out", "<name> <name> and <name> are locked out"],
  ])("%s", (input, expected) => {
    expect(redactQuestionText(input)).toBe(expected);
  });

  it("keeps the domain's words, sentence starts and OP versions, so the question still reads", () => {
    expect(redactQuestionText("Mom says the Authority is None and Portal is Full in OP 14.19. Why?")).toBe(
      "Mom says the Authority is None and Portal is Full in OP 14.19. Why?",
    );
    expect(redactQuestionText("where do i set portal access in 14.10")).toBe(
      "where do i set portal access in 14.10",
    );
  });

  it("keeps the versions the content lists, whichever they are, and only those", () => {
    const text = "works in 14.19 and 14.25 but not in 14.10";
    expect(redactWith(text, ["14.19", "14.10", "14.25"])).toBe(text);
    // A number that is no version of the content's is removed like any other (here, as a date).
    expect(redactWith(text, ["14.19", "14.10"])).toBe("works in 14.19 and <date> but not in 14.10");
    // A version is kept only as a whole number, not inside a longer one.
    expect(redactWith("call 114.19 or 14.190", ["14.19"])).not.toMatch(/\d/);
  });

  it("leaves no digit, @ or capitalized name of a long mixed paste", () => {
    const pasted =
      "Parent: Maria Gonzalez, maria.g@example.org, 555-222-3333, child Sofia Gonzalez DOB 01/02/2015, contact id 99812";
    const out = redactQuestionText(pasted);
    expect(out).not.toMatch(/\d|@|Maria|Gonzalez|Sofia/);
  });
});
