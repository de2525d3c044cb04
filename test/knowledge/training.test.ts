import { describe, expect, test } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { withTrainingQuestions } from "../eval/training.js";

/** Issue 14 (eval6): labelled questions as classifier training, as `npm run eval:cv -- --train tuning` uses them. */
const { knowledge } = loadContent();

describe("withTrainingQuestions", () => {
  test("each question becomes an example of its first acceptable answer, a declined one an unrelated one", () => {
    const trained = withTrainingQuestions(knowledge, [
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
    const before = knowledge.get("shared-email")?.examples.length ?? 0;
    const existing = knowledge.get("shared-email")?.examples[0] ?? "";
    const trained = withTrainingQuestions(knowledge, [
      { q: existing.toUpperCase(), accept: ["shared-email"] },
    ]);
    expect(knowledge.get("shared-email")?.examples.length).toBe(before);
    expect(trained.get("shared-email")?.examples.length).toBe(before);
  });
});
