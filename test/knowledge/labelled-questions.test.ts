import { describe, expect, test } from "vitest";
import { loadContent, loadContentParts } from "../../src/content/load.js";
import { ContentError } from "../../src/core/content-error.js";
import {
  parseLabelledQuestions,
  withLabelledQuestions,
} from "../../src/core/knowledge/labelled-questions.js";

/** Issue 14: labelled staff questions (knowledge/questions.yaml) train the classifier beside the examples. */
const { written, questions } = loadContentParts();

describe("withLabelledQuestions", () => {
  test("each question becomes an example of its first acceptable answer, a declined one an unrelated one", () => {
    const trained = withLabelledQuestions(written, [
      { q: "dad and mom typed one gmail on both lines", accept: ["shared-email", "duplicate-contact"] },
      { q: "the whole portal thing is a mess for the lees", accept: ["guide"] },
      { q: "can the portal send flu shot reminders", accept: [] },
    ]);
    expect(trained.get("shared-email")?.examples).toContain("dad and mom typed one gmail on both lines");
    expect(trained.get("duplicate-contact")?.examples).not.toContain(
      "dad and mom typed one gmail on both lines",
    );
    expect(trained.get("guided-check")?.examples).toContain("the whole portal thing is a mess for the lees");
    const unrelated = [...trained.values()].flatMap((entry) => entry.unrelated);
    expect(unrelated).toContain("can the portal send flu shot reminders");
  });

  test("the knowledge base given is not changed, and a question already an example is not added twice", () => {
    const before = written.get("shared-email")?.examples.length ?? 0;
    const existing = written.get("shared-email")?.examples[0] ?? "";
    const trained = withLabelledQuestions(written, [{ q: existing.toUpperCase(), accept: ["shared-email"] }]);
    expect(written.get("shared-email")?.examples.length).toBe(before);
    expect(trained.get("shared-email")?.examples.length).toBe(before);
  });

  test("the app's knowledge base is the written entries trained on every labelled question", () => {
    const { knowledge } = loadContent();
    expect(questions.length).toBeGreaterThan(2000);
    const count = (kb: typeof knowledge) =>
      [...kb.values()].reduce((n, entry) => n + entry.examples.length + entry.unrelated.length, 0);
    expect(count(knowledge)).toBeGreaterThan(count(written) + questions.length * 0.9);
    const sample = questions.find((c) => c.accept[0] === "patient-age");
    expect(knowledge.get("patient-age")?.examples).toContain(sample?.q.trim());
  });
});

describe("parseLabelledQuestions", () => {
  test("reads the file's format: q, accept, and number when the answer must give the number", () => {
    expect(
      parseLabelledQuestions(
        "knowledge/questions.yaml",
        "# a comment\n- q: who do i call\n  accept: [escalation]\n  number: true\n- q: wifi is down\n  accept: []\n",
        written,
      ),
    ).toEqual([
      { q: "who do i call", accept: ["escalation"], number: true },
      { q: "wifi is down", accept: [] },
    ]);
    expect(parseLabelledQuestions("knowledge/questions.yaml", "# nothing yet\n", written)).toEqual([]);
  });

  test("a wrong id or a missing accept names the file, the line and the field", () => {
    const text =
      "- q: who do i call\n  accept: [escalation]\n- q: dad sees nothing\n  accept: [no-such-check]\n";
    const error = (() => {
      try {
        parseLabelledQuestions("knowledge/questions.yaml", text, written);
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(ContentError);
    const [problem] = (error as ContentError).problems;
    expect(problem).toMatchObject({ file: "knowledge/questions.yaml", line: 4, field: "1.accept.0" });
    expect(() => parseLabelledQuestions("q.yaml", "- q: dad sees nothing\n", written)).toThrow(
      /q\.yaml:1: 0\.accept/,
    );
  });
});
