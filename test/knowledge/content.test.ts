import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadContent, PROJECT_ROOT } from "../../src/content/load.js";
import { REFERENCE_IDS, stepsFor, supportPhoneOf } from "../../src/core/knowledge/schema.js";
import { ARTICLE_CHECKS as CHECK_IDS, ARTICLE_VERSIONS as OP_VERSIONS } from "../support/contract.js";

const { knowledge, flow } = loadContent();
const entry = (id: string) => {
  const found = knowledge.get(id);
  if (!found) throw new Error(`no knowledge entry "${id}"`);
  return found;
};
const ARTICLE = "Former Portal: Why Can't Parents View Their Child(ren) on the OP Patient Portal?";
/** All the text of an entry a user can be shown. */
const allText = (id: string) => {
  const e = entry(id);
  return [e.title, ...e.why, ...OP_VERSIONS.flatMap((v) => stepsFor(e, v)), ...e.notes].join("\n");
};

describe("knowledge/ as shipped", () => {
  test("loads with the flow without problems", () => {
    expect(flow.steps.map((s) => s.id)).toEqual([...CHECK_IDS]);
  });

  test.each(CHECK_IDS)("check %s has why, steps for both versions, and its source", (id) => {
    const e = entry(id);
    expect(e.kind).toBe("check");
    expect(e.file).toBe(`knowledge/${id}.md`);
    expect(e.why.join(" ").length).toBeGreaterThan(60);
    for (const version of OP_VERSIONS) expect(stepsFor(e, version).length).toBeGreaterThan(0);
    expect(e.source.article).toBe(ARTICLE);
    expect(e.source.section.length).toBeGreaterThan(5);
    expect(e.source.versions).toEqual(["14.19", "14.10"]);
    expect(e.keywords.length).toBeGreaterThanOrEqual(5);
  });

  test.each(REFERENCE_IDS)("reference entry %s is present with steps", (id) => {
    const e = entry(id);
    expect(e.kind).toBe("reference");
    for (const version of OP_VERSIONS) expect(stepsFor(e, version).length).toBeGreaterThan(0);
  });

  test("escalation gives the support number and everything Support asks for", () => {
    const text = allText("escalation");
    expect(supportPhoneOf(knowledge)).toBe("800-218-9916");
    expect(text).toContain("800-218-9916");
    for (const item of [
      /first and last name of the parent/,
      /every other account/,
      /full name or by patient number/,
      /merged or deleted.*portal control panel/,
      /reset that account's password/,
    ]) {
      expect(text).toMatch(item);
    }
  });

  test("the two versions keep their own navigation", () => {
    // Wherever a check navigates to the contacts, 14.19 goes through the Patient Chart and 14.10
    // through the Patient Register; neither version's steps mention the other's screens.
    for (const id of CHECK_IDS) {
      const v1419 = stepsFor(entry(id), "14.19").join(" ");
      const v1410 = stepsFor(entry(id), "14.10").join(" ");
      expect(v1419).not.toMatch(/Patient Register|Contacts tab|Activities/);
      expect(v1410).not.toMatch(/Patient Chart|Family Contacts|Practice Management|Basic Information/);
    }
    expect(stepsFor(entry("shared-email"), "14.19").join(" ")).toMatch(/Patient Chart.*Family Contacts/);
    expect(stepsFor(entry("shared-email"), "14.10").join(" ")).toMatch(/Patient Register.*Contacts tab/);
    expect(stepsFor(entry("duplicate-contact"), "14.19").join(" ")).toMatch(/Practice Management/);
    expect(stepsFor(entry("duplicate-contact"), "14.10").join(" ")).toMatch(/Activities.*Contact Manager/);
    expect(stepsFor(entry("patient-status"), "14.19").join(" ")).toMatch(/Basic Information/);
    expect(stepsFor(entry("patient-status"), "14.10").join(" ")).toMatch(/Patient Register/);
  });

  test("the article's facts are all there", () => {
    expect(allText("shared-email")).toMatch(/HIPAA/);
    expect(allText("shared-email")).toMatch(/only one of their two contacts/);
    expect(allText("duplicate-contact")).toMatch(/one last name personally and another professionally/);
    expect(allText("duplicate-contact")).toMatch(/hold down Ctrl.*Merge.*Yes/s);
    expect(allText("patient-status")).toMatch(/Active/);
    expect(allText("patient-age")).toMatch(/18th birthday/);
    for (const setting of ["None:", "Minor:", "Full:"]) expect(allText("portal-access")).toContain(setting);
    for (const setting of ["Exclusive:", "Joint:", "Blank:", "None:"]) {
      expect(allText("portal-authority")).toContain(setting);
    }
    expect(allText("portal-authority")).toMatch(/2006 to 2010.*Internal Server Error/s);
    expect(allText("start-end-dates")).toMatch(/earlier than today.*Server Error/s);
    expect(allText("start-end-dates")).toMatch(/death.*babysitter or nanny.*court ruling.*divorce/s);
    expect(stepsFor(entry("start-end-dates"), "14.10").join(" ")).toMatch(/both date fields are empty/);
    expect(allText("interfaces")).toMatch(/interface/);
    expect(allText("after-changes")).toMatch(/editable.*grayed out/s);
    // OP 20 and the InteliChart-powered portal are named apart: the article does not say one is the other.
    expect(allText("newer-portal")).toMatch(/OP 20 \(version 20\.0\.x\) has its own help content/);
    expect(allText("newer-portal")).toMatch(/separate help for the OP Patient Portal powered by InteliChart/);
    expect(allText("newer-portal")).toMatch(/Help, then About/);
  });

  test("files are plain text: no emphasis, links, code or HTML", () => {
    for (const e of knowledge.values()) {
      const body = readFileSync(join(PROJECT_ROOT, e.file), "utf8").split(/^---$/m)[2] ?? "";
      expect(body, e.file).not.toMatch(/\*\*|__|\]\(|`|<[a-z]/i);
      expect(body, e.file).not.toMatch(/^\s*\*/m);
    }
  });
});
