import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadContent, PROJECT_ROOT } from "../../src/content/load.js";
import { ContentError } from "../../src/core/content-error.js";
import { parseFlowFile } from "../../src/core/flow/parse.js";
import type { KnowledgeBase } from "../../src/core/knowledge/schema.js";
import { ARTICLE_PHONE, ARTICLE_CHECKS as CHECK_IDS } from "../support/contract.js";

const { knowledge } = loadContent();
const FILE = "flows/portal-check.yaml";
const original = readFileSync(`${PROJECT_ROOT}/${FILE}`, "utf8");

/** Parses a variant of the real flow and returns the problems as `file:line: field: message` strings. */
function problems(text: string, knowledgeBase: KnowledgeBase = knowledge): string[] {
  try {
    parseFlowFile(FILE, text, knowledgeBase);
  } catch (err) {
    if (err instanceof ContentError)
      return err.problems.map((p) => `${p.file}:${p.line}: ${p.field}: ${p.message}`);
    throw err;
  }
  return [];
}
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

/**
 * The flow as a file written before `next` was dropped: each step names the one listed after it, the
 * last one "escalate". Such files still load; `next` that disagrees with the list order is refused.
 */
const ids = [...original.matchAll(/^ {2}- id: (\S+)\n/gm)].map((m) => m[1]);
const legacy = original.replace(/^( {2}- id: (\S+)\n(?: {4}.*\n)*)/gm, (step, _all, id: string) => {
  const after = ids[ids.indexOf(id) + 1] ?? "escalate";
  return `${step}    next: ${after}\n`;
});

describe("flows/portal-check.yaml", () => {
  it("loads, and walks the eight checks in article order before the escalation", () => {
    const flow = parseFlowFile(FILE, original, knowledge);
    expect(flow.steps.map((s) => s.id)).toEqual([...CHECK_IDS]);
    // `next` is gone: the list order is the walk, and the escalation follows the last step.
    expect(original).not.toMatch(/^ +next:/m);
    expect(flow.escalation.phone).toBe(ARTICLE_PHONE);
  });

  it("names file, line and field for a wrong value", () => {
    const text = legacy.replace("next: patient-age", "next: patient-agee");
    const line = lineOf(text, "next: patient-agee");
    expect(problems(text)).toEqual([
      expect.stringMatching(new RegExp(`^${FILE}:${line}: steps\\.2\\.next: `)),
    ]);
  });

  it("reports a dangling knowledge reference as a load error", () => {
    const text = original.replace(
      "  - id: interfaces\n",
      "  - id: interfaces\n    knowledge: interface-notes\n",
    );
    const line = lineOf(text, "knowledge: interface-notes");
    expect(problems(text)).toEqual([
      `${FILE}:${line}: steps.7.knowledge: no knowledge entry "interface-notes" in knowledge/`,
      // and, as no step shows knowledge/interfaces.md any more, that check would never be walked
      `${FILE}:${text.split("\n").indexOf("steps:") + 2}: steps: no step shows the check "interfaces" (knowledge/interfaces.md): add it where it is to be walked`,
    ]);
  });

  it("names the flow's field and line for a reference entry missing from knowledge/", () => {
    const withoutAfterChanges = new Map(knowledge);
    withoutAfterChanges.delete("after-changes");
    expect(problems(original, withoutAfterChanges)).toEqual([
      `${FILE}:${lineOf(original, "after_fix:")}: after_fix: no knowledge entry "after-changes" in knowledge/`,
    ]);
  });

  it("reports a step used twice, a loop and an unreachable step", () => {
    const twice = original.replace("  - id: patient-age\n", "  - id: patient-status\n");
    expect(problems(twice).join("\n")).toMatch(/steps\.3\.id: "patient-status" is already a step/);
    const loop = legacy.replace("next: escalate", "next: shared-email");
    expect(problems(loop).join("\n")).toMatch(/the steps loop back to "shared-email"/);
  });

  it("still loads a file written with a straight `next` chain, and walks it in the same order", () => {
    expect(legacy.match(/^ {4}next: /gm)).toHaveLength(CHECK_IDS.length);
    const flow = parseFlowFile(FILE, legacy, knowledge);
    expect(flow).toEqual(parseFlowFile(FILE, original, knowledge));
    expect(flow.steps.some((s) => "next" in s)).toBe(false);
  });

  it("refuses a `next` that disagrees with the list order, saying the list order is the walk", () => {
    const skipping = legacy.replace("next: patient-status", "next: patient-age");
    const line = lineOf(skipping, "next: patient-age");
    expect(problems(skipping)).toEqual([
      `${FILE}:${line}: steps.1.next: steps are walked in list order, so the step after "duplicate-contact" is "patient-status", not "patient-age": remove "next" and list the steps in the order to walk`,
    ]);
    const toItself = legacy.replace("next: escalate", "next: interfaces");
    expect(problems(toItself)).toEqual([
      `${FILE}:${toItself.split("\n").findLastIndex((l) => l.includes("next: interfaces")) + 1}: steps.7.next: the steps loop back to "interfaces": steps are walked in list order; remove "next"`,
    ]);
  });

  it("refuses an escalation field marked optional: Support needs all five", () => {
    const text = original.replace(
      "      kind: lines\n    - id: steps_taken",
      "      kind: lines\n      required: false\n    - id: steps_taken",
    );
    const line = lineOf(text, "required: false");
    expect(problems(text)).toEqual([
      `${FILE}:${line}: escalation.fields.2.required: every escalation field is required (Support needs it): remove "required: false"`,
    ]);
    const yes = original.replace("      kind: yes_no\n", "      kind: yes_no\n      required: true\n");
    expect(problems(yes)).toEqual([]);
  });

  it("reports a missing escalation field (Support needs all five)", () => {
    const text = original.replace(/ {4}- id: patients\n( {6}.*\n)+?(?= {4}- id: steps_taken)/, "");
    expect(problems(text).join("\n")).toMatch(/escalation\.fields: the field "patients" is missing/);
  });

  it("reports a missing required key and an unknown key with their lines", () => {
    const text = original.replace("  fields:\n", "  field:\n");
    const found = problems(text).join("\n");
    const line = lineOf(text, "  field:");
    expect(found).toMatch(new RegExp(`${FILE}:\\d+: escalation\\.fields: `));
    expect(found).toMatch(new RegExp(`${FILE}:${line - 1}: escalation: .*field`));
  });

  it("takes the support number from knowledge/escalation.md; an older file's phone must be that one", () => {
    const withPhone = (phone: string) =>
      original.replace("  knowledge: escalation\n", `  knowledge: escalation\n  phone: ${phone}\n`);
    expect(problems(withPhone(ARTICLE_PHONE))).toEqual([]);
    expect(problems(withPhone("800-555-0100"))).toEqual([
      `${FILE}:${lineOf(withPhone("800-555-0100"), "phone:")}: escalation.phone: the number Support is called on is knowledge/escalation.md's (${ARTICLE_PHONE}): remove "phone" here`,
    ]);
  });

  it("reports YAML syntax errors with their line", () => {
    const text = original.replace(
      "  - id: portal-access\n",
      "  - id: portal-access\n   question: [unclosed\n",
    );
    expect(problems(text)[0]).toMatch(new RegExp(`^${FILE}:\\d+: YAML: `));
  });
});
