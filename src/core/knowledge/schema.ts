import { z } from "zod";
import { CheckId, OpVersion } from "../ids.js";

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

/** An example question as the classifier learns it: trimmed, and at most 300 characters. */
export const ExampleQuestion = z.string().trim().min(3).max(300);

export const EntryFrontMatter = z
  .object({
    /** The file's name; a check's id is its flow step's (see parse.ts for what each kind may be). */
    id: CheckId,
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
    examples: z.array(ExampleQuestion).default([]),
    /**
     * Questions that share this entry's words but are outside what the bot covers ("the fax
     * interface is down"): training for the out-of-scope class, so such questions are declined.
     */
    unrelated: z.array(ExampleQuestion).default([]),
  })
  .strict();
export type EntryFrontMatter = z.infer<typeof EntryFrontMatter>;

/** The heading of a version's steps ("OP 14.19"). */
export const stepHeading = (version: OpVersion) => `OP ${version}`;
/** A heading naming a version's steps; the version is the first group. */
export const STEP_HEADING = /^OP (\d+\.\d+)$/;

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
  /** A check's place in the flow's walk (set when the content is loaded; see checkIdsOf). */
  position: z.number().int().min(0).optional(),
});
export type KnowledgeEntry = z.infer<typeof KnowledgeEntry>;

export type KnowledgeBase = ReadonlyMap<string, KnowledgeEntry>;

export function stepsFor(entry: KnowledgeEntry, version: OpVersion): string[] {
  return entry.steps[version] ?? [];
}

/**
 * The checks, in the order flows/portal-check.yaml walks them (each check's `position`, set by
 * loadContent; file order without a flow). The one list of check ids.
 */
export function checkIdsOf(knowledge: KnowledgeBase): CheckId[] {
  const checks = [...knowledge.values()].filter((entry) => entry.kind === "check");
  const at = (entry: KnowledgeEntry) => entry.position ?? Number.MAX_SAFE_INTEGER;
  return checks.sort((a, b) => at(a) - at(b)).map((entry) => entry.id);
}

/**
 * The OP versions the content covers, the default first: the `source.versions` every check lists
 * (buildKnowledgeBase refuses checks that list different ones). The one list of OP versions.
 */
export function opVersionsOf(knowledge: KnowledgeBase): OpVersion[] {
  for (const entry of knowledge.values()) if (entry.kind === "check") return entry.source.versions;
  return [];
}

/** A support phone number as the article writes it (800-218-9916). */
export const PHONE = /\b\d{3}-\d{3}-\d{4}\b/;

/**
 * The number Support is called on: the one the escalation entry (knowledge/escalation.md) gives;
 * buildKnowledgeBase makes sure it gives exactly one.
 */
export function supportPhoneOf(knowledge: KnowledgeBase): string {
  const entry = knowledge.get("escalation");
  const found = entry ? PHONE.exec(entryText(entry)) : null;
  if (!found) throw new Error("knowledge/escalation.md gives no support number");
  return found[0];
}

/** Every text of an entry, one per line (to search it for a fact such as the support number). */
export function entryText(entry: KnowledgeEntry): string {
  return [...entry.why, ...Object.values(entry.steps).flat(), ...entry.notes, ...entry.keepOut].join("\n");
}
