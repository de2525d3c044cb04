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

/** Sentences found to say more than (or the opposite of) the article, and what was wrong with each. */
export const NOT_IN_THE_ARTICLE: readonly [RegExp, string][] = [
  [/compete for one account/i, "the article only says each parent needs an account of their own"],
  [/usual cause/i, "the article never ranks the causes of a Server Error"],
  [
    /InteliChart, used with OP 20|OP 20 \/ newer portal|newer portal \(OP 20\)/i,
    "OP 20 is not the InteliChart portal",
  ],
  [/Support will want/i, "the article does not say what Support wants about interfaces"],
  [/maiden and a married/i, "the article's example is a personal and a professional last name"],
  [/checked, not the cause/i, "'still not visible' only says the parent still cannot see the child"],
  [/or the parent gets a server error at login/i, "a blank Authority matters only for the 2006–2010 portal"],
  [
    /access stops on that day|works until/i,
    "an End Date prohibits access; it does not mean access until then",
  ],
];
