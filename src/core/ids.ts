import { z } from "zod";

/**
 * Identifiers that are part of the public interface (see docs/architecture.md, "Contracts").
 * Flow steps, knowledge sections, retrieval answers and Slack payloads all use these.
 *
 * Which checks and which OP versions exist is the content's to say, not the code's: the checks
 * are the knowledge entries of kind "check" (walked in the order flows/portal-check.yaml lists
 * them) and the versions are the ones every check's `source.versions` lists, each with its own
 * "## OP <v>" section. `checkIdsOf()` and `opVersionsOf()` (core/knowledge/schema.ts) read them
 * from the loaded content. The schemas here only say what an id or a version looks like, so
 * stored conversations, button values and CLI flags are read the same way whatever the content.
 */

/** A check id: lower-case words joined by "-" ("portal-authority"), its knowledge file's name. */
export const CheckId = z
  .string()
  .regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'a check id is lower-case words joined by "-"');
export type CheckId = z.infer<typeof CheckId>;

/** An OP version as the content names it: digits, a dot, digits ("14.19"). */
export const OpVersion = z.string().regex(/^\d+\.\d+$/, 'an OP version is written like "14.19"');
export type OpVersion = z.infer<typeof OpVersion>;
