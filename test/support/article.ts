import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../src/content/sources.js";

/**
 * The help article the app's advice rests on. It is not part of the repository (the project restates
 * it, it does not copy it); tests that compare quotes with it find it next to the checkout, as the
 * team's machines have it, or at PORTAL_CHECK_ARTICLE. Undefined when it is nowhere to be found:
 * those comparisons are then skipped, and the quotes in the tests still document each rule.
 */
const NAME = "former-portal-parents-cannot-view-children.txt";
const CANDIDATES = [
  process.env.PORTAL_CHECK_ARTICLE,
  join(PROJECT_ROOT, "..", "shared", "seed", NAME),
  join(PROJECT_ROOT, "..", "..", "shared", "seed", NAME),
  join(PROJECT_ROOT, "seed", NAME),
].filter((path): path is string => path !== undefined);

const path = CANDIDATES.find((candidate) => existsSync(candidate));
export const ARTICLE: string | undefined = path ? readFileSync(path, "utf8") : undefined;

/** Spacing and quote marks as the comparison ignores them. */
export const flatten = (text: string) => text.replace(/[’‘]/g, "'").replace(/\s+/g, " ").trim();

/** True when the article says this, word for word (spacing and apostrophes aside). */
export function inArticle(quote: string): boolean {
  return ARTICLE !== undefined && flatten(ARTICLE).includes(flatten(quote));
}

/**
 * The article's headings, as it writes them: its title, the two version headings, the problem
 * headings, and the three settings of the last problem (each opens a bullet: "Portal Access",
 * "Portal Authority: ...", "Start and End Dates: ...").
 */
export const ARTICLE_HEADINGS = [
  "Former Portal: Why Can't Parents View Their Child(ren) on the OP Patient Portal?",
  "Important Content Update Message",
  "Version 14.19",
  "Version 14.10",
  "Mom and Dad share the same email address",
  "The parent might have a duplicate contact",
  "Patient Status needs to be set to Active",
  "Patient Age",
  "Portal Access, Authority and Start/End Dates for the parent may not be set correctly",
  "Portal Access",
  "Portal Authority",
  "Start and End Dates",
] as const;
