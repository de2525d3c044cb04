import { z } from "zod";
import { CheckId, OP_VERSIONS, OpVersion } from "../ids.js";

/**
 * One knowledge entry = one markdown file in knowledge/: YAML front matter plus `## ` sections.
 *
 *   ---                                  front matter (EntryFrontMatter)
 *   id: shared-email
 *   kind: check
 *   title: ...
 *   source: { article: ..., section: ..., versions: ["14.19", "14.10"] }
 *   keywords: [same email, shared inbox]
 *   examples: [mom and dad use one email, ...]     questions this entry answers (intent classifier)
 *   unrelated: [email the parent a bill, ...]     questions sharing its words that are out of scope
 *   ---
 *   ## Why it matters                    paragraphs and/or bullets (required)
 *   ## OP 14.19                          numbered steps for that version
 *   ## OP 14.10
 *   ## Steps                             version-independent steps (reference entries only)
 *   ## To keep someone out               numbered steps to close access on purpose (optional)
 *   ## Good to know                      bullets (optional)
 */

/** Ids of entries that are not checks but that the flow and the answerer rely on. */
export const REFERENCE_IDS = ["after-changes", "escalation", "newer-portal", "guided-check"] as const;
export const ReferenceId = z.enum(REFERENCE_IDS);
export type ReferenceId = z.infer<typeof ReferenceId>;

export const EntryFrontMatter = z
  .object({
    id: z.union([CheckId, ReferenceId], {
      error: `must be a check id (${CheckId.options.join(", ")}) or a reference id (${REFERENCE_IDS.join(", ")})`,
    }),
    kind: z.enum(["check", "reference"]),
    title: z.string().trim().min(3).max(150),
    source: z.strictObject({
      article: z.string().trim().min(3),
      /** The article's heading this entry restates. */
      section: z.string().trim().min(3),
      versions: z.array(OpVersion).min(1),
    }),
    /** Words staff use for this problem; the retriever indexes them with the text. */
    keywords: z.array(z.string().trim().min(1)).default([]),
    /**
     * Questions as staff type them whose answer is this entry, stories and symptoms included. The
     * intent classifier is trained on them when the knowledge is loaded (see intent.ts).
     */
    examples: z.array(z.string().trim().min(3).max(300)).default([]),
    /**
     * Questions that share this entry's words but are outside what the bot covers ("the fax
     * interface is down"): training for the out-of-scope class, so such questions are declined.
     */
    unrelated: z.array(z.string().trim().min(3).max(300)).default([]),
  })
  .strict();
export type EntryFrontMatter = z.infer<typeof EntryFrontMatter>;

export const STEP_HEADINGS: Record<OpVersion, string> = { "14.19": "OP 14.19", "14.10": "OP 14.10" };

export const KnowledgeEntry = EntryFrontMatter.extend({
  /** Plain-text paragraphs explaining the problem. */
  why: z.array(z.string().min(1)).min(1),
  /** Numbered steps per OP version: the same fix, in that version's menus. */
  steps: z.partialRecord(OpVersion, z.array(z.string().min(1)).min(1)),
  notes: z.array(z.string().min(1)),
  /** Numbered steps to close a contact's access on purpose ("## To keep someone out"), any version. */
  keepOut: z.array(z.string().min(1)).default([]),
  /** Where the entry came from, for error messages and citations. */
  file: z.string(),
});
export type KnowledgeEntry = z.infer<typeof KnowledgeEntry>;

export type KnowledgeBase = ReadonlyMap<string, KnowledgeEntry>;

export function stepsFor(entry: KnowledgeEntry, version: OpVersion): string[] {
  return entry.steps[version] ?? [];
}

export { OP_VERSIONS };
