import MiniSearch from "minisearch";
import { words as popularWords } from "popular-english-words";
import { stemmer } from "stemmer";
import { eng } from "stopword";

/**
 * How text becomes search terms, for the knowledge and for questions alike: lower case, staff
 * shorthand mapped to the article's words, stop words dropped, English stems (so "merging"
 * finds "merge" and "divorced" finds "divorce").
 */

/**
 * Words that carry no signal here: every entry is about a parent who cannot see a child on the
 * portal, so these appear in nearly every question and every section.
 */
export const DOMAIN_STOP_WORDS = [
  "portal",
  "parent",
  "parents",
  "mom",
  "mum",
  "mommy",
  "mother",
  "dad",
  "daddy",
  "father",
  "child",
  "children",
  "kid",
  "kids",
  "son",
  "daughter",
  "patient",
  "patients",
  "see",
  "sees",
  "seeing",
  "view",
  "able",
  "cannot",
  "cant",
  "anymore",
  "please",
  "help",
  "thanks",
  "hi",
  "hey",
  "anything",
  "nothing",
  "just",
  "now",
  "she",
  "not",
  "no",
];

/** What the tokenizer leaves of contractions ("doesn't" → "doesn", "t"); one letter is dropped anyway. */
const CONTRACTION_PARTS = [
  "don",
  "doesn",
  "didn",
  "isn",
  "wasn",
  "aren",
  "weren",
  "won",
  "wouldn",
  "couldn",
  "shouldn",
  "haven",
  "hasn",
  "hadn",
  "ve",
  "ll",
  "re",
];

/** stopword's English list, less the words that tell checks apart here ("same email", "both parents"). */
const KEEP = new Set(["same", "both"]);
const STOP_WORDS = new Set([
  ...eng.filter((word) => !KEEP.has(word)),
  ...DOMAIN_STOP_WORDS,
  ...CONTRACTION_PARTS,
]);

/** Staff shorthand → the words the knowledge uses. Applied before stemming, to single tokens. */
const SHORTHAND: Record<string, string[]> = {
  gmail: ["email"],
  yahoo: ["email"],
  hotmail: ["email"],
  outlook: ["email"],
  mail: ["email"],
  emails: ["email"],
  ise: ["internal", "server", "error"],
  "500": ["server", "error"],
  bday: ["birthday"],
  acct: ["account"],
  accts: ["account"],
  surname: ["last", "name"],
  "18yo": ["18"],
  "18th": ["18"],
  eighteen: ["eighteen", "18"],
  grey: ["gray"],
  greyed: ["grayed"],
  login: ["log"],
  logon: ["log"],
  signin: ["log"],
  api: ["interface"],
  // The stemmer gives "inactiv" for these and "inact" for "inactive": the same status.
  inactivated: ["inactive"],
  inactivate: ["inactive"],
  inactivating: ["inactive"],
};

/** A year the article's legacy-portal note covers (portals from 2006 to 2010); understand() keeps birth years out. */
const LEGACY_YEAR = /^20(0[6-9]|10)$/;

/** Words the spelling corrector must leave alone although the knowledge never uses them. */
export function knownWords(): string[] {
  return [
    ...eng,
    ...DOMAIN_STOP_WORDS,
    ...Object.keys(SHORTHAND),
    // The 40,000 most common English words: "fixed" is not a typo of "fired", nor "lock" of "look".
    // A typo is rarely a common word, so this costs little recall.
    ...popularWords.getMostPopular(COMMON_WORDS),
  ];
}
const COMMON_WORDS = 40_000;

const ENGLISH_STOP = new Set(
  eng.filter((word) => !KEEP.has(word) && !["not", "no", "my", "own", "who"].includes(word)),
);

/**
 * A word as the intent classifier sees it: its stem, or nothing for a plain English function word.
 * Unlike processTerm, the domain's common words stay ("portal", "see", "anything"): they tell a vague
 * complaint about the portal from a question about something else.
 */
export function classifierStem(word: string): string | undefined {
  if (ENGLISH_STOP.has(word) || (word.length < 2 && !/\d/.test(word))) return undefined;
  const mapped = SHORTHAND[word];
  return stemmer(mapped ? mapped.join(" ") : word);
}

const defaultTokenize = MiniSearch.getDefault("tokenize") as (text: string) => string[];

/** "e-mail" and "E mail" are one word to staff; the default tokenizer would split them. */
export function tokenize(text: string): string[] {
  return defaultTokenize(text.toLowerCase().replace(/\be[\s-]mail/g, "email"));
}

/** One token → its search terms (none for stop words). */
export function processTerm(token: string): string[] {
  const term = token.toLowerCase();
  if (STOP_WORDS.has(term) || (term.length < 2 && !/\d/.test(term))) return [];
  if (LEGACY_YEAR.test(term)) return ["2006", "2010", "legacy"].map(stemmer);
  return (SHORTHAND[term] ?? [term]).map(stemmer);
}

/** The search terms of a whole text, in order. */
export function analyze(text: string): string[] {
  return tokenize(text).flatMap(processTerm);
}

/** The search terms of each word that counts, e.g. "turned eighteen" → [["turn"], ["eighteen", "18"]]. */
export function analyzeWords(text: string): string[][] {
  return tokenize(text)
    .map(processTerm)
    .filter((terms) => terms.length > 0);
}

/**
 * Words naming the rest of a practice's work, which the bot does not cover: billing, insurance,
 * scheduling, clinical orders, vaccines, office equipment, documents. The classifier gets one shared
 * feature for all of them (a lookup table, as Rasa's featurizers have), so the out-of-scope examples
 * teach it about the whole group: "the end date on the prior auth" is declined like "the end date on
 * the insurance policy", though "auth" is in no example. Only nouns that never name the portal problem.
 */
const OFFICE_WORK = new Set(
  [
    "bill billing bills billed invoice invoices statement statements copay copays payment payments",
    "claim claims insurance insurer eligibility authorization auth prior-auth superbill fee fees",
    "collections balance refund refunds deductible",
    "appointment appointments schedule schedules scheduling calendar reminder reminders visit visits",
    "checkup physical physicals",
    "vaccine vaccines vaccination vaccinations immunization immunizations shot shots flu",
    "lab labs order orders prescription prescriptions refill refills pharmacy erx medication medications",
    "referral referrals specialist allergy allergies diagnosis",
    "fax faxes printer printers scanner scanners kiosk kiosks wifi internet network computer computers",
    "voicemail tablet tablets monitor keyboard label labels pc pcs laptop laptops tv television copier copiers",
    "form forms letter letters template templates report reports document documents subpoena",
    "payroll timesheet license training webinar school camp nurse nurses testify testimony deposition",
  ]
    .join(" ")
    .split(" "),
);

/** The group a word belongs to for the classifier's lookup-table feature, if any. */
export function wordGroup(word: string): string | undefined {
  return OFFICE_WORK.has(word) ? "office" : undefined;
}
