import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { loadContent, PROJECT_ROOT } from "../../src/content/load.js";
import { ContentError, type ContentProblem } from "../../src/core/content-error.js";
import { parseKnowledgeFile } from "../../src/core/knowledge/parse.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/knowledge");

/** Parses a fixture and returns its problems as `line: field` plus the messages. */
function problemsOf(name: string): ContentProblem[] {
  const file = `knowledge/${name}`;
  try {
    parseKnowledgeFile(file, readFileSync(join(FIXTURES, name), "utf8"));
  } catch (err) {
    if (err instanceof ContentError) return err.problems;
    throw err;
  }
  throw new Error(`${name} parsed without problems`);
}
const where = (problems: ContentProblem[]) => problems.map((p) => `${p.file}:${p.line}: ${p.field}`);

describe("knowledge loader error messages name file, line and field", () => {
  test("front matter: unknown id, missing title, unknown version, keywords not a list", () => {
    const problems = problemsOf("bad-front-matter.md");
    expect(where(problems)).toEqual([
      "knowledge/bad-front-matter.md:2: id",
      "knowledge/bad-front-matter.md:2: title",
      "knowledge/bad-front-matter.md:7: source.versions.1",
      "knowledge/bad-front-matter.md:8: keywords",
    ]);
    // Which checks and versions there are is the content's; a file can only get their form wrong.
    expect(problems[0]?.message).toContain('a check id is lower-case words joined by "-"');
    expect(problems[2]?.message).toContain('an OP version is written like "14.19"');
  });

  test("broken YAML is reported at its line", () => {
    expect(where(problemsOf("bad-yaml.md"))).toEqual(["knowledge/bad-yaml.md:5: YAML"]);
  });

  test("a file without front matter", () => {
    const [problem] = problemsOf("no-front-matter.md");
    expect(problem).toMatchObject({ line: 1, field: "front matter" });
    expect(problem?.message).toMatch(/must start with a --- YAML front matter block/);
  });

  test("a check without the steps of one version", () => {
    const [problem] = problemsOf("missing-version.md");
    expect(problem).toMatchObject({ field: "OP 14.10" });
    expect(problem?.message).toContain('a check needs a "## OP 14.10" section');
  });

  test("steps written as a paragraph, and an unknown heading, each at their own line", () => {
    const problems = problemsOf("steps-not-a-list.md");
    expect(where(problems)).toEqual([
      "knowledge/steps-not-a-list.md:17: OP 14.19",
      "knowledge/steps-not-a-list.md:23: section",
    ]);
    expect(problems[0]?.message).toContain("must be a list");
    expect(problems[1]?.message).toContain('unknown section "## Details"');
  });

  test("a shared Steps section that is not a list is reported once, not once per version", () => {
    expect(where(problemsOf("shared-steps-not-a-list.md"))).toEqual([
      "knowledge/shared-steps-not-a-list.md:17: Steps",
    ]);
  });

  test("a check id declared as a reference entry", () => {
    const [problem] = problemsOf("reference-with-check-id.md");
    expect(problem).toMatchObject({ line: 3, field: "kind" });
    // "interfaces" is not one of the reference entries the app relies on, so it can only be a check.
    expect(problem?.message).toContain('any other entry is a check ("kind: check"');
  });
});

describe("start-up (loadContent) over real files", () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  function copyOfProject(): string {
    const dir = mkdtempSync(join(tmpdir(), "portal-check-knowledge-"));
    cpSync(join(PROJECT_ROOT, "knowledge"), join(dir, "knowledge"), { recursive: true });
    cpSync(join(PROJECT_ROOT, "flows"), join(dir, "flows"), { recursive: true });
    return dir;
  }

  test("stops with file:line: field: message for a broken knowledge file", () => {
    root = copyOfProject();
    writeFileSync(
      join(root, "knowledge", "patient-age.md"),
      readFileSync(join(FIXTURES, "steps-not-a-list.md")),
    );
    expect(() => loadContent(root)).toThrowError(ContentError);
    expect(() => loadContent(root)).toThrowError(
      /knowledge\/patient-age\.md:17: OP 14\.19: this section must be a list \(1\. step, or - item\)/,
    );
  });

  test("names a check that lists other OP versions than the rest, and a section of a version it does not list", () => {
    root = copyOfProject();
    const file = join(root, "knowledge", "patient-age.md");
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace('versions: ["14.19", "14.10"]', 'versions: ["14.19"]'));
    expect(() => loadContent(root)).toThrowError(
      /knowledge\/patient-age\.md:\d+: OP 14\.10: 14\.10 is not in source\.versions/,
    );
    writeFileSync(
      file,
      `${text.replace('versions: ["14.19", "14.10"]', 'versions: ["14.19", "14.10", "14.25"]')}\n## OP 14.25\n\n1. A step.\n`,
    );
    expect(() => loadContent(root)).toThrowError(
      /knowledge\/patient-age\.md:2: source\.versions: every check lists the same OP versions in the same order/,
    );
  });

  test("names a support number that is not given once in escalation.md", () => {
    root = copyOfProject();
    const file = join(root, "knowledge", "escalation.md");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("Phone Support on 800-218-9916", "Phone Support on 800-555-0100"),
    );
    expect(() => loadContent(root)).toThrowError(
      /escalation\.md:1: phone: give one number to call Support on, not 800-218-9916 and 800-555-0100/,
    );
  });

  test("names a check whose file was deleted", () => {
    root = copyOfProject();
    rmSync(join(root, "knowledge", "interfaces.md"));
    // The flow's step names it: the check list is the flow's steps.
    expect(() => loadContent(root)).toThrowError(
      /portal-check\.yaml:\d+: steps\.7\.knowledge: no knowledge entry "interfaces"/,
    );
  });

  test("names both files when an id is defined twice", () => {
    root = copyOfProject();
    writeFileSync(
      join(root, "knowledge", "shared-email2.md"),
      readFileSync(join(root, "knowledge", "shared-email.md")),
    );
    expect(() => loadContent(root)).toThrowError(
      /knowledge\/shared-email2\.md:2: id: "shared-email" is already defined in knowledge\/shared-email\.md/,
    );
  });

  test("the shipped knowledge/ loads cleanly", () => {
    expect(() => loadContent(PROJECT_ROOT)).not.toThrow();
  });
});
