import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadContent, PROJECT_ROOT } from "../../src/content/load.js";
import { ContentError } from "../../src/core/content-error.js";
import { parseFlowFile } from "../../src/core/flow/parse.js";
import { orderedSteps } from "../../src/core/flow/steps.js";
import { CHECK_IDS } from "../../src/core/ids.js";
import type { KnowledgeBase } from "../../src/core/knowledge/schema.js";

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

describe("flows/portal-check.yaml", () => {
  it("loads, and walks the eight checks in article order before the escalation", () => {
    const flow = parseFlowFile(FILE, original, knowledge);
    expect(orderedSteps(flow).map((s) => s.id)).toEqual([...CHECK_IDS]);
    expect(flow.steps.at(-1)?.next).toBe("escalate");
    expect(flow.escalation.phone).toBe("800-218-9916");
  });

  it("names file, line and field for a wrong value", () => {
    const text = original.replace("next: patient-age", "next: patient-agee");
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
    const loop = original.replace("next: escalate", "next: shared-email");
    expect(problems(loop).join("\n")).toMatch(/the steps loop back to "shared-email"/);
  });

  it("reports a missing escalation field (Support needs all five)", () => {
    const text = original.replace(/ {4}- id: patients\n( {6}.*\n)+?(?= {4}- id: steps_taken)/, "");
    expect(problems(text).join("\n")).toMatch(/escalation\.fields: the field "patients" is missing/);
  });

  it("reports a missing required key and an unknown key with their lines", () => {
    const text = original.replace("  phone: 800-218-9916\n", "  telephone: 800-218-9916\n");
    const found = problems(text).join("\n");
    const line = lineOf(text, "telephone:");
    expect(found).toMatch(new RegExp(`${FILE}:\\d+: escalation\\.phone: `));
    expect(found).toMatch(new RegExp(`${FILE}:${line - 1}: escalation: .*telephone`));
  });

  it("reports YAML syntax errors with their line", () => {
    const text = original.replace(
      "  - id: portal-access\n",
      "  - id: portal-access\n   question: [unclosed\n",
    );
    expect(problems(text)[0]).toMatch(new RegExp(`^${FILE}:\\d+: YAML: `));
  });
});
