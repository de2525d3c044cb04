import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { opVersionsOf } from "../../src/core/knowledge/schema.js";
import { type Finding, RULE_IDS } from "../../src/core/rules/schema.js";
import { check, FINE, ONE_ROW_PER_RULE } from "../support/rules.js";

/**
 * A finding's fix is the rule's advice, its check's steps from knowledge/ and the steps after a
 * change, so the rule's advice must not say again what the steps say. This holds each fix, in every
 * OP version, to a simple lexical check: no line holds another, no two lines share a sentence (seven
 * words in a row), and "find out why" (or another "ask before changing it") is said once. It cannot
 * see the same thing said in other words; the wording pass of the advice (docs in each rule) does.
 */

/** Every rule fires, with every kind of advice: portal-none for a child, an adult and an unknown age. */
const ROWS = [
  ...ONE_ROW_PER_RULE,
  { ...FINE, Contact: "Mia Lee", Email: "mia@example.com", Portal: "None", DOB: "1/1/2000" },
  { ...FINE, Contact: "Ned Lee", Email: "ned@example.com", Portal: "None", DOB: "" },
];

/** Seven words in a row said twice is a sentence said twice. (Six: "the patient is 18 or older".) */
const SENTENCE = 7;

/** The ways a fix asks staff to learn why a setting is there before changing it. */
const ASK_WHY = /find out why|check before changing|only when the practice confirms/g;

/** A line as words: lower case, punctuation dropped. */
const words = (line: string) => line.toLowerCase().match(/[a-z0-9']+/g) ?? [];

/** The longest run of words two lines have in common. */
function longestSharedRun(a: string, b: string): string[] {
  const x = words(a);
  const y = words(b);
  let best: string[] = [];
  for (let i = 0; i < x.length; i++) {
    for (let j = 0; j < y.length; j++) {
      let n = 0;
      while (i + n < x.length && j + n < y.length && x[i + n] === y[j + n]) n++;
      if (n > best.length) best = x.slice(i, i + n);
    }
  }
  return best;
}

/** What a fix says more than once: an empty list for a fix that says each thing once. */
function repeats(fix: readonly string[]): string[] {
  const found: string[] = [];
  fix.forEach((line, i) => {
    fix.slice(i + 1).forEach((other, k) => {
      const j = i + 1 + k;
      const [a, b] = [words(line).join(" "), words(other).join(" ")];
      if (a.includes(b) || b.includes(a)) found.push(`line ${j + 1} and line ${i + 1}: one holds the other`);
      const run = longestSharedRun(line, other);
      if (run.length >= SENTENCE) found.push(`lines ${i + 1} and ${j + 1} both say "${run.join(" ")}"`);
    });
  });
  const asks = fix.join("\n").toLowerCase().match(ASK_WHY) ?? [];
  if (asks.length > 1) found.push(`asks why ${asks.length} times (${asks.join("; ")})`);
  return found;
}

/** Each distinct fix once, with a finding that shows it, over every version and both portal ages. */
function everyFix(): { where: string; finding: Finding }[] {
  const out = [];
  for (const version of opVersionsOf(loadContent().knowledge)) {
    for (const legacyPortal of [false, true]) {
      const seen = new Set<readonly string[]>();
      for (const finding of check(ROWS, { opVersion: version, legacyPortal }).findings) {
        if (seen.has(finding.fix)) continue;
        seen.add(finding.fix);
        const where = `${finding.rule} in OP ${version}${legacyPortal ? " (legacy portal)" : ""}`;
        out.push({ where, finding });
      }
    }
  }
  return out;
}

describe("each fix says each thing once", () => {
  const fixes = everyFix();

  it("is looked at for every rule and every kind of advice, in every version", () => {
    expect(new Set(fixes.map((f) => f.finding.rule))).toEqual(new Set(RULE_IDS));
    const kinds = (rule: string) =>
      new Set(fixes.filter((f) => f.finding.rule === rule).map((f) => f.finding.fix.join("\n"))).size;
    const versions = opVersionsOf(loadContent().knowledge).length;
    // portal-none: under 18, 18 or older, no birth date; authority-blank: with and without the old
    // portal; duplicate-contact: merge, or listed twice.
    expect(kinds("portal-none")).toBe(3 * versions);
    expect(kinds("authority-blank")).toBe(2 * versions);
    expect(kinds("duplicate-contact")).toBe(2 * versions);
  });

  it("has no line that holds another, no sentence said twice, and asks why at most once", () => {
    for (const { where, finding } of fixes) expect(repeats(finding.fix), where).toEqual([]);
  });

  it("asks why before the step that changes the setting, where the rule's fix asks it", () => {
    for (const { where, finding } of fixes) {
      const text = finding.fix.join("\n");
      const ask = text.search(ASK_WHY);
      if (ask < 0) continue;
      const change = text.search(/choose Minor|set it to Active|clearing it|clear it|choose the Authority/);
      if (change >= 0) expect(ask, where).toBeLessThan(change);
    }
  });

  it("would catch the repeats the fixes had before this wording pass", () => {
    // portal-none (OP 14.19): the rule's caution, then the check's step saying it again.
    expect(
      repeats([
        "Good to know: None is sometimes chosen on purpose (a custody arrangement, a court order), so find out why this contact has None before changing it.",
        "Click the Patient Chart button, then Family Contacts.",
        "If it says None for a parent or guardian who should see the patient, choose Minor for a child under 18, or Full for a patient who needs the parent's help after turning 18. Good to know: None is sometimes chosen on purpose, so find out why before changing it.",
      ]),
    ).not.toEqual([]);
    // end-date-passed: "find out why" in the rule's advice and again in the check's step.
    expect(
      repeats([
        "Find out why the date was set before clearing it: these fields are normally empty.",
        "Make sure no End Date is set: an End Date keeps the parent off the portal. If one is there, find out why before clearing it.",
      ]),
    ).toHaveLength(1);
  });
});
