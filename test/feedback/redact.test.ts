import { describe, expect, it } from "vitest";
import { redactPhi } from "../../src/core/feedback/redact.js";

describe("redactPhi: what is stored of a question", () => {
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
    expect(redactPhi(input)).toBe(expected);
  });

  it("keeps the domain's words, sentence starts and OP versions, so the question still reads", () => {
    expect(redactPhi("Mom says the Authority is None and Portal is Full in OP 14.19. Why?")).toBe(
      "Mom says the Authority is None and Portal is Full in OP 14.19. Why?",
    );
    expect(redactPhi("where do i set portal access in 14.10")).toBe("where do i set portal access in 14.10");
  });

  it("leaves no digit, @ or capitalized name of a long mixed paste", () => {
    const pasted =
      "Parent: Maria Gonzalez, maria.g@example.org, 555-222-3333, child Sofia Gonzalez DOB 01/02/2015, contact id 99812";
    const out = redactPhi(pasted);
    expect(out).not.toMatch(/\d|@|Maria|Gonzalez|Sofia/);
  });
});
