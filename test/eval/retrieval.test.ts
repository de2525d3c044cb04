import { describe, expect, test } from "vitest";
import { loadContent } from "../../src/content/load.js";
import type { KnowledgeBase } from "../../src/core/knowledge/schema.js";
import { evaluate, formatReport, loadEvalSet, THRESHOLDS } from "./eval-set.js";

const { knowledge } = loadContent();
const cases = loadEvalSet();

describe("evaluation set for ask", () => {
  test("has at least 40 questions, with some the knowledge base does not cover", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(cases.filter((c) => c.accept.length === 0).length).toBeGreaterThanOrEqual(3);
    expect(new Set(cases.map((c) => c.q.toLowerCase())).size).toBe(cases.length);
  });

  test(`top-3 accuracy is at least ${THRESHOLDS.top3 * 100}% and top-1 at least ${THRESHOLDS.top1 * 100}%`, () => {
    const report = evaluate(knowledge, cases);
    // On failure the message lists every miss, as `npm run eval` does.
    expect(report.top3, formatReport(report)).toBeGreaterThanOrEqual(THRESHOLDS.top3);
    expect(report.top1, formatReport(report)).toBeGreaterThanOrEqual(THRESHOLDS.top1);
  });

  test("the bar catches a knowledge base whose vocabulary points the wrong way", () => {
    // Proves the test can fail: give every entry the keywords of the next one.
    const entries = [...knowledge.values()];
    const shifted: KnowledgeBase = new Map(
      entries.map((entry, i) => [
        entry.id,
        { ...entry, keywords: entries[(i + 1) % entries.length]?.keywords ?? [] },
      ]),
    );
    const report = evaluate(shifted, cases);
    expect(report.top3).toBeLessThan(THRESHOLDS.top3);
    expect(report.top1).toBeLessThan(THRESHOLDS.top1);
  });

  test("the same question gives the same ranking every time", () => {
    const first = evaluate(knowledge, cases);
    const second = evaluate(knowledge, cases);
    expect(second).toEqual(first);
  });
});
