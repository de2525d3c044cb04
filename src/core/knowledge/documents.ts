// Type only: @langchain/core/documents costs about 200 ms to load, which every start-up would pay for
// a class that only holds these two fields. Plain objects of this shape are what LangChain's
// retrievers and chains take.
import type { DocumentInterface } from "@langchain/core/documents";
import { z } from "zod";
import { OpVersion } from "../ids.js";
import { type KnowledgeBase, type KnowledgeEntry, opVersionsOf, stepHeading, stepsFor } from "./schema.js";

/**
 * knowledge/ as LangChain Documents: one Document per section of an entry and per OP version,
 * so a retriever can hand back exactly the part that answers a question, and every piece carries
 * what a citation needs.
 */

/** The knowledge file's heading a Document comes from. */
export const SECTION_TITLES = {
  overview: "Why it matters",
  notes: "Good to know",
} as const;

export const SectionMetadata = z.object({
  /** Unique per Document: `<entry>/<version>/<part>`. */
  id: z.string(),
  /** The entry id: a check id, or a reference id such as `escalation`. */
  check: z.string(),
  kind: z.enum(["check", "reference"]),
  version: OpVersion,
  part: z.enum(["overview", "steps", "notes"]),
  /** The knowledge file's heading ("Why it matters", "OP 14.19", "Steps", "Good to know"). */
  section: z.string(),
  /** The entry's title. */
  title: z.string(),
  /** The article heading the entry restates (what citations name). */
  source: z.string(),
  /** Staff vocabulary from the entry's front matter (indexed with the overview only). */
  keywords: z.array(z.string()),
});
export type SectionMetadata = z.infer<typeof SectionMetadata>;
export type KnowledgeDocument = DocumentInterface<SectionMetadata>;

export function knowledgeDocuments(knowledge: KnowledgeBase): KnowledgeDocument[] {
  const docs: KnowledgeDocument[] = [];
  for (const entry of knowledge.values()) {
    for (const version of opVersionsOf(knowledge)) docs.push(...entryDocuments(entry, version));
  }
  return docs;
}

function entryDocuments(entry: KnowledgeEntry, version: OpVersion): KnowledgeDocument[] {
  const meta = (
    part: SectionMetadata["part"],
    section: string,
    keywords: string[] = [],
  ): SectionMetadata => ({
    id: `${entry.id}/${version}/${part}`,
    check: entry.id,
    kind: entry.kind,
    version,
    part,
    section,
    title: entry.title,
    source: entry.source.section,
    keywords,
  });
  const docs: KnowledgeDocument[] = [
    {
      pageContent: [entry.title, ...entry.why].join("\n"),
      metadata: meta("overview", SECTION_TITLES.overview, entry.keywords),
    },
  ];
  const steps = stepsFor(entry, version);
  if (steps.length > 0) {
    docs.push({
      pageContent: steps.map((step, i) => `${i + 1}. ${step}`).join("\n"),
      metadata: meta("steps", entry.kind === "check" ? stepHeading(version) : "Steps"),
    });
  }
  if (entry.notes.length > 0) {
    docs.push({
      pageContent: entry.notes.map((note) => `- ${note}`).join("\n"),
      metadata: meta("notes", SECTION_TITLES.notes),
    });
  }
  return docs;
}
