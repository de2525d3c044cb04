import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { answerQuestion, suggestCheck } from "../../src/core/knowledge/qa.js";
import {
  MAX_QUESTION_CHARS,
  MAX_QUESTION_WORDS,
  MAX_WORD_CHARS,
  questionText,
} from "../../src/core/knowledge/question.js";

const KNOWLEDGE = fileURLToPath(new URL("../../knowledge", import.meta.url));
const { knowledge } = loadContent();

describe("questionText: what of a person's text the search looks at", () => {
  it("leaves out no word the knowledge base could match (every word there is within the limit)", () => {
    const words = readdirSync(KNOWLEDGE)
      .filter((f) => f.endsWith(".md"))
      .flatMap((f) => readFileSync(join(KNOWLEDGE, f), "utf8").split(/[\s\p{Z}\p{P}]+/u));
    const longest = words.reduce((a, b) => (b.length > a.length ? b : a), "");
    expect(longest.length).toBeLessThanOrEqual(MAX_WORD_CHARS);
  });

  it("caps the text, drops over-long words and collapses white space", () => {
    expect(questionText("  dad\n\tgets   a server error ")).toBe("dad gets a server error");
    expect(questionText(`server ${"x".repeat(MAX_WORD_CHARS + 1)} error`)).toBe("server error");
    expect(questionText(`server ${"x".repeat(MAX_WORD_CHARS)} error`)).toContain("x".repeat(MAX_WORD_CHARS));
    expect(questionText("ab ".repeat(10_000)).length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
    expect(questionText("ab ".repeat(10_000)).split(" ")).toHaveLength(MAX_QUESTION_WORDS);
    // A URL is split at its punctuation as the search splits it; only the over-long piece goes.
    expect(questionText(`https://example.org/${"ab".repeat(30)}?q=custody`)).toBe(
      "https://example.org/ ?q=custody",
    );
  });

  it("gives the same answer with a long URL or a 1 MB token in the question as without it", async () => {
    const plain = await answerQuestion(knowledge, "dad gets a server error when he logs in");
    expect(plain.checks.length).toBeGreaterThan(0);
    for (const junk of [`https://x.example.com/${"ab".repeat(20_000)}`, "a".repeat(1_000_000)]) {
      const asked = `dad gets a server error when he logs in ${junk}`;
      expect((await answerQuestion(knowledge, asked)).checks).toEqual(plain.checks);
      expect(suggestCheck(knowledge, asked)?.check).toBe(
        suggestCheck(knowledge, "dad gets a server error")?.check,
      );
    }
  });
});
