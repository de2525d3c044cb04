import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { type CheckId, OP_VERSIONS, type OpVersion } from "../../src/core/ids.js";
import { stepsFor } from "../../src/core/knowledge/schema.js";
import { NAVIGATION, type Navigation } from "../../src/core/rules/navigation.js";
import { RULE_IDS } from "../../src/core/rules/schema.js";
import { check, ONE_ROW_PER_RULE } from "../support/rules.js";

/**
 * The rules' fixes (navigation.ts) and the guided check's steps (knowledge/) tell staff where to
 * go in OP. They must agree: the same screens per version, and never the other version's screens.
 */
const SCREENS: Record<OpVersion, readonly string[]> = {
  "14.19": ["Patient Chart", "Family Contacts", "Practice Management", "Basic Information"],
  "14.10": ["Patient Register", "Contacts tab", "Activities"],
};
const other = (version: OpVersion) => OP_VERSIONS.find((v) => v !== version) as OpVersion;
const screensIn = (text: string) => OP_VERSIONS.flatMap((v) => SCREENS[v].filter((s) => text.includes(s)));

/** The knowledge entries whose steps go to the place each navigation entry opens. */
const RESTATED_BY: Record<keyof Navigation, readonly CheckId[]> = {
  familyContacts: ["shared-email", "patient-age", "portal-access", "portal-authority", "start-end-dates"],
  patientStatus: ["patient-status"],
  contactManager: ["duplicate-contact"],
};

const { knowledge } = loadContent();

describe("where the rules' fixes send staff in OP", () => {
  for (const version of OP_VERSIONS) {
    it(`goes through the same screens as the knowledge steps in OP ${version}`, () => {
      for (const [place, checks] of Object.entries(RESTATED_BY) as [keyof Navigation, CheckId[]][]) {
        const screens = screensIn(NAVIGATION[version][place]);
        expect(screens.length, place).toBeGreaterThan(0);
        for (const screen of screens) expect(SCREENS[version], `${place}: ${screen}`).toContain(screen);
        for (const id of checks) {
          const entry = knowledge.get(id);
          if (!entry) throw new Error(`no knowledge entry "${id}"`);
          const steps = stepsFor(entry, version).join(" ");
          for (const screen of screens) expect(steps, `${id} (${place})`).toContain(screen);
        }
      }
    });

    it(`never names an OP ${other(version)} screen in an OP ${version} fix, for any rule`, () => {
      const rows = ONE_ROW_PER_RULE;
      const { findings } = check(rows, { opVersion: version });
      // The Start Date rule differs per version: start-date-future in 14.19, start-date-set in 14.10.
      const notInVersion = version === "14.10" ? "start-date-future" : "start-date-set";
      expect(new Set(findings.map((f) => f.rule))).toEqual(
        new Set(RULE_IDS.filter((r) => r !== notInVersion)),
      );
      for (const finding of findings) {
        const fix = finding.fix.join(" ");
        for (const screen of SCREENS[other(version)]) expect(fix, finding.rule).not.toContain(screen);
      }
    });
  }
});
