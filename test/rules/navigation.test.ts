import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { opVersionsOf, stepsFor } from "../../src/core/knowledge/schema.js";
import { RULE_IDS } from "../../src/core/rules/schema.js";
import { check, ONE_ROW_PER_RULE } from "../support/rules.js";

/**
 * Where staff go in OP is written once, in knowledge/: a finding's fix holds its check's steps for
 * the version, so the rules and the guided check cannot disagree about the menus.
 */
const SCREENS: Record<string, readonly string[]> = {
  "14.19": ["Patient Chart", "Family Contacts", "Practice Management", "Basic Information"],
  "14.10": ["Patient Register", "Contacts tab", "Activities"],
};

const content = loadContent();
const versions = opVersionsOf(content.knowledge);

describe("where the rules' fixes send staff in OP", () => {
  for (const version of versions) {
    const others = versions.filter((v) => v !== version);

    it(`gives each finding its check's OP ${version} steps from knowledge/, and never another version's screens`, () => {
      const { findings } = check(ONE_ROW_PER_RULE, { opVersion: version });
      // The Start Date rule differs per version: start-date-future in 14.19, start-date-set in 14.10.
      const notInVersion = version === "14.10" ? "start-date-future" : "start-date-set";
      expect(new Set(findings.map((f) => f.rule))).toEqual(
        new Set(RULE_IDS.filter((r) => r !== notInVersion)),
      );
      for (const finding of findings) {
        const entry = content.knowledge.get(finding.check);
        if (!entry) throw new Error(`no knowledge entry "${finding.check}"`);
        const steps = stepsFor(entry, version);
        expect(finding.fix.join("\n"), finding.rule).toContain(steps.join("\n"));
        const fix = finding.fix.join(" ");
        for (const other of others)
          for (const screen of SCREENS[other] ?? []) expect(fix, finding.rule).not.toContain(screen);
      }
    });
  }

  it("ends every fix with the steps after a change (knowledge/after-changes.md)", () => {
    const after = content.knowledge.get(content.flow.after_fix);
    if (!after) throw new Error("no after_fix entry");
    const steps = stepsFor(after, versions[0] ?? "");
    const { findings } = check(ONE_ROW_PER_RULE);
    for (const finding of findings) expect(finding.fix.slice(-steps.length)).toEqual(steps);
  });
});
