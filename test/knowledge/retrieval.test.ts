import { Document } from "@langchain/core/documents";
import { BaseRetriever } from "@langchain/core/retrievers";
import { describe, expect, test } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { KnowledgeAnswer } from "../../src/core/knowledge/answer-schema.js";
import { knowledgeDocuments, SectionMetadata } from "../../src/core/knowledge/documents.js";
import { KnowledgeRetriever } from "../../src/core/knowledge/langchain-retriever.js";
import { answerOffline, suggestCheck } from "../../src/core/knowledge/qa.js";
import { retrieve } from "../../src/core/knowledge/question-triage.js";
import { checkIdsOf, supportPhoneOf } from "../../src/core/knowledge/schema.js";
import { knowledgeIndex } from "../../src/core/knowledge/search.js";
import { analyze } from "../../src/core/knowledge/terms.js";

const { knowledge } = loadContent();
const CHECK_IDS = checkIdsOf(knowledge);
const SUPPORT_PHONE = supportPhoneOf(knowledge);

describe("knowledge as LangChain Documents", () => {
  const docs = knowledgeDocuments(knowledge);

  test("one Document per section and OP version, with citation metadata", () => {
    for (const doc of docs) {
      // LangChain's DocumentInterface as a plain object: what a Document built from it holds.
      expect(Object.keys(doc).sort()).toEqual(["metadata", "pageContent"]);
      expect({ ...new Document(doc) }).toMatchObject(doc);
      expect(SectionMetadata.parse(doc.metadata)).toEqual(doc.metadata);
      expect(doc.pageContent.length).toBeGreaterThan(10);
    }
    for (const id of CHECK_IDS) {
      const parts = docs
        .filter((d) => d.metadata.check === id)
        .map((d) => `${d.metadata.version}/${d.metadata.section}`);
      expect(parts).toEqual(
        expect.arrayContaining(["14.19/Why it matters", "14.19/OP 14.19", "14.10/OP 14.10"]),
      );
    }
    expect(new Set(docs.map((d) => d.metadata.id)).size).toBe(docs.length);
  });

  test("each version's steps Document holds that version's navigation", () => {
    const steps = (version: string) =>
      docs.find((d) => d.metadata.check === "duplicate-contact" && d.metadata.section === `OP ${version}`)
        ?.pageContent;
    expect(steps("14.19")).toContain("Practice Management");
    expect(steps("14.10")).toContain("Activities");
    expect(steps("14.10")).not.toContain("Practice Management");
  });
});

describe("the offline retriever", () => {
  test("is a LangChain BaseRetriever returning the sections of the relevant entries, best first", async () => {
    const retriever = new KnowledgeRetriever({ knowledge, version: "14.10" });
    expect(retriever).toBeInstanceOf(BaseRetriever);
    const docs = await retriever.invoke("dad gets an Internal Server Error when he logs in");
    // The article ties "Internal Server Errors" to the blank-Authority note (2006–2010 portals); the End
    // Date symptom it names is a plain "Server Error", so the dates no longer come along here.
    expect([...new Set(docs.map((d) => d.metadata.check))][0]).toBe("portal-authority");
    expect(docs.every((d) => d.metadata.version === "14.10")).toBe(true);
    expect(docs.map((d) => d.metadata.section).slice(0, 3)).toEqual([
      "Why it matters",
      "OP 14.10",
      "Good to know",
    ]);
  });

  test("returns nothing for a question the knowledge does not cover", async () => {
    expect(
      await new KnowledgeRetriever({ knowledge }).invoke("how do I print an immunization record"),
    ).toEqual([]);
  });

  test("finds checks through staff words, typos and word endings", () => {
    const top = (q: string) => retrieve(knowledge, q).entries[0]?.id;
    expect(top("custody battle")).toBe("portal-authority");
    expect(top("the babysiter still logs in")).toBe("start-end-dates");
    expect(top("merging contacts")).toBe("duplicate-contact");
    expect(top("she was divorced last year")).toBe("start-end-dates");
    expect(top("HL7 feed")).toBe("interfaces");
    expect(top("shared inbox for both parents")).toBe("shared-email");
  });

  // The vocabulary issue 5 lists, word for word: each must lead to its check(s).
  test.each([
    ["custody", ["portal-authority"]],
    ["banned", ["portal-authority"]],
    ["court order", ["portal-authority"]],
    ["server error", ["portal-authority", "start-end-dates"]],
    ["stop date", ["start-end-dates"]],
    ["nanny", ["start-end-dates"]],
    ["babysitter", ["start-end-dates"]],
    ["maiden", ["duplicate-contact"]],
    ["married name", ["duplicate-contact"]],
    ["twice", ["duplicate-contact"]],
    ["eighteen", ["patient-age"]],
    ["adult", ["patient-age"]],
    ["turned 18", ["patient-age"]],
    ["minor access", ["patient-age", "portal-access"]],
    ["inactive", ["patient-status"]],
    ["same email", ["shared-email"]],
    ["shared inbox", ["shared-email"]],
    ["HL7", ["interfaces"]],
    ["sync", ["interfaces"]],
    ["third-party", ["interfaces"]],
  ])("staff word %s → %o", (word, checks) => {
    const found = retrieve(knowledge, word).entries.map((e) => e.id);
    expect(found.slice(0, checks.length).sort()).toEqual([...checks].sort());
  });

  test("a version named in the question chooses the steps and does not skew the search", () => {
    const r = retrieve(knowledge, "how do I open the contact manager in OP 14.10");
    expect(r.version).toBe("14.10");
    expect(r.entries.map((e) => e.id)).toEqual(["duplicate-contact"]);
    expect(retrieve(knowledge, "contact manager", "14.19").version).toBe("14.19");
  });

  test("the index is built once per knowledge base", () => {
    expect(knowledgeIndex(knowledge)).toBe(knowledgeIndex(knowledge));
  });

  test("the analyzer maps staff shorthand and drops words every question shares", () => {
    expect(analyze("Mom's e-mail")).toEqual(["email"]);
    expect(analyze("ISE at login")).toEqual(["intern", "server", "error", "log"]);
    expect(analyze("portal since 2009")).toEqual(["2006", "2010", "legaci"]);
  });
});

describe("suggestCheck: where a guided check should start", () => {
  test.each([
    ["dad gets a server error", "portal-authority"],
    // Both checks name the symptom: the walk starts at the earlier, however the readers weigh them.
    ["dad Carlos Lopez gets a server error", "portal-authority"],
    ["the kid turned 18", "patient-age"],
    ["mom shows up twice with different last names", "duplicate-contact"],
    ["nanny was let go", "start-end-dates"],
  ])("%s → %s", (text, check) => {
    const suggestion = suggestCheck(knowledge, text);
    expect(suggestion?.check).toBe(check);
    expect(suggestion?.score).toBeGreaterThan(0);
    expect(suggestion?.score).toBeLessThanOrEqual(1);
  });

  test("no suggestion for text that names no symptom, or only asks for Support", () => {
    expect(suggestCheck(knowledge, "hello there")).toBeUndefined();
    expect(suggestCheck(knowledge, "what is the support phone number")).toBeUndefined();
  });
});

describe("the extractive answer", () => {
  test("names the best check, gives that version's steps and cites them", () => {
    const answer = KnowledgeAnswer.parse(
      answerOffline(knowledge, "both parents use the same email", "14.10"),
    );
    expect(answer).toMatchObject({ covered: true, by: "extractive", checks: ["shared-email"] });
    expect(answer.citations).toEqual([
      { check: "shared-email", version: "14.10", section: "Mom and Dad share the same email address" },
    ]);
    expect(answer.answer).toMatch(
      /^Most likely: Each parent needs an email address of their own \[shared-email\]/,
    );
    expect(answer.answer).toContain("In OP 14.10:\n1. Open the Patient Register and go to the Contacts tab.");
    expect(answer.answer).not.toContain("Family Contacts.");
    expect(answer.answer).toContain("have the parent log in again");
  });

  test("without a version it gives both versions' steps and cites both", () => {
    const answer = answerOffline(knowledge, "patient is inactive");
    expect(answer.answer).toContain("In OP 14.19:");
    expect(answer.answer).toContain("In OP 14.10:");
    expect(answer.citations.map((c) => c.version)).toEqual(["14.19", "14.10"]);
  });

  test("several symptoms: the best check's steps, the others as also worth checking", () => {
    const answer = answerOffline(knowledge, "dad gets a server error and his son is 18 now", "14.19");
    // All three symptoms' checks; which server-error check leads is the readers' call (issue 14).
    expect([...answer.checks].sort()).toEqual(["patient-age", "portal-authority", "start-end-dates"]);
    expect(answer.answer).toContain("Also worth checking:");
    const [first, ...others] = answer.checks;
    for (const other of others) expect(answer.answer).toContain(`[${other}]`);
    expect(answer.citations.map((c) => c.check)).toEqual([first, ...others]);
  });

  test.each(["who do I call when nothing works", "what does support need from us?"])(
    "%s → the support number and everything to gather",
    (question) => {
      const answer = answerOffline(knowledge, question);
      expect(answer.answer).toContain(SUPPORT_PHONE);
      for (const item of [
        "first and last name",
        "portal account",
        "patient number",
        "portal control panel",
        "reset",
      ]) {
        expect(answer.answer).toContain(item);
      }
      expect(answer.checks).toEqual([]);
      expect(answer.citations[0]?.check).toBe("escalation");
    },
  );

  test("a question the knowledge does not cover says so and offers the guided check", () => {
    const answer = answerOffline(knowledge, "can parents pay their bill on the portal");
    expect(answer).toMatchObject({ covered: false, checks: [], citations: [], outcome: "refuse" });
    // Issue 14: it says what the bot covers instead of "I could not find that" (eval4: in the words
    // of the topic it is about, here what else the portal offers).
    expect(answer.answer).toContain("outside what I cover");
    expect(answer.answer).toContain("What else the portal offers");
    expect(answer.answer).toContain("Each parent needs an email address of their own");
    expect(answer.answer).toContain("start the guided check");
  });

  test("is plain text and the same every time", () => {
    const a = answerOffline(knowledge, "authority is blank, internal server error");
    expect(a.answer).not.toMatch(/\*\*|__|\]\(|`/);
    expect(answerOffline(knowledge, "authority is blank, internal server error")).toEqual(a);
  });
});
