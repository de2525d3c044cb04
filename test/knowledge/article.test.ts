import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { PROJECT_ROOT } from "../../src/content/sources.js";
import { ARTICLE, ARTICLE_HEADINGS, inArticle, NOT_IN_THE_ARTICLE } from "../support/article.js";

/**
 * What staff read must be traceable to the help article. These tests hold the editable content to
 * it: every source line quotes a heading the article has (or the first words of a paragraph without
 * one), and sentences that were found to say more than the article (issue 12) stay out.
 */
const { knowledge } = loadContent();

/** "Heading > Sub-heading" or "Heading > “first words of a paragraph”". */
function sourceParts(section: string) {
  return section.split(" > ").map((part) => {
    const quoted = /^“(.+)”$/.exec(part);
    return quoted ? { quote: quoted[1] as string } : { heading: part };
  });
}

describe("knowledge source lines", () => {
  it("start with one of the article's headings, and go on with a heading or a quoted paragraph", () => {
    for (const entry of knowledge.values()) {
      const [first, ...rest] = sourceParts(entry.source.section);
      expect(ARTICLE_HEADINGS, `${entry.file}: ${entry.source.section}`).toContain(first?.heading);
      for (const part of rest) {
        if (part.heading !== undefined) expect(ARTICLE_HEADINGS, entry.file).toContain(part.heading);
      }
    }
  });

  it.skipIf(ARTICLE === undefined)("quote the article word for word", () => {
    for (const heading of ARTICLE_HEADINGS) expect(inArticle(heading), heading).toBe(true);
    for (const entry of knowledge.values()) {
      for (const part of sourceParts(entry.source.section)) {
        if (part.quote !== undefined)
          expect(inArticle(part.quote), `${entry.file}: ${part.quote}`).toBe(true);
      }
    }
  });
});

/** Every text of an entry that staff read: why, steps of both versions, notes. */
function shownText(file: string): string {
  const body = readFileSync(join(PROJECT_ROOT, file), "utf8").split(/^---$/m)[2] ?? "";
  return body;
}

describe("knowledge and flow text", () => {
  it("has none of the sentences that said more than the article", () => {
    const texts = [
      ...[...knowledge.values()].map((e) => ({ file: e.file, text: shownText(e.file) })),
      {
        file: "flows/portal-check.yaml",
        text: readFileSync(join(PROJECT_ROOT, "flows/portal-check.yaml"), "utf8"),
      },
    ];
    for (const { file, text } of texts) {
      for (const [pattern, why] of NOT_IN_THE_ARTICLE) expect(text, `${file}: ${why}`).not.toMatch(pattern);
    }
  });

  it("never tells staff to give a non-parent access, and asks why before a deliberate setting is changed", () => {
    const access = shownText("knowledge/portal-access.md");
    expect(access).toMatch(/If it says None for a parent or guardian who should see the patient/);
    expect(access).toMatch(
      /Good to know: None is sometimes chosen on purpose, so find out why before changing it/,
    );
    expect(access).toMatch(/Never give portal access to a contact who is not a parent or guardian/);
    const dates = shownText("knowledge/start-end-dates.md");
    expect(dates).toMatch(/find out why before clearing it/);
    expect(dates).toMatch(/never clear one to give a contact who is not a parent access/);
  });

  it("names only the 2006–2010 portal as the reason to change a blank Authority", () => {
    const authority = shownText("knowledge/portal-authority.md");
    expect(authority).toMatch(/If it is blank and the practice had a patient portal from 2006 to 2010/);
    expect(authority).not.toMatch(/blank.{0,80}(and|or) the parent gets an Internal Server Error/i);
  });
});
