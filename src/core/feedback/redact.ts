import { questionText } from "../knowledge/question.js";

/**
 * Removes what looks like PHI from a question before it is stored for review: email addresses,
 * phone numbers, dates, other numbers, and names (capitalized words that are not the domain's own
 * words, and the word after a title or before "family"). What stays is the shape of the question,
 * which is all a content maintainer needs ("mom <name> can't see <name> since <date>").
 *
 * A name typed in lower case ("the smith family" aside) cannot be told from a word; that is why
 * the stored text has its own, short retention and is never shown in Slack.
 */

/** Capitalized words that are the product's or the article's own vocabulary, kept as they are. */
const KEEP = new Set(
  [
    "OP",
    "Office",
    "Practicum",
    "Support",
    "Portal",
    "Patient",
    "Chart",
    "Family",
    "Contacts",
    "Contact",
    "Manager",
    "Register",
    "Practice",
    "Management",
    "Basic",
    "Information",
    "Authority",
    "Access",
    "Full",
    "Minor",
    "None",
    "Joint",
    "Exclusive",
    "Blank",
    "Active",
    "Inactive",
    "Start",
    "End",
    "Date",
    "Dates",
    "Server",
    "Error",
    "Internal",
    "InteliChart",
    "HIPAA",
    "HL7",
    "API",
    "Help",
    "About",
    "Status",
    "Email",
    "E-mail",
    "Mom",
    "Dad",
    "Mother",
    "Father",
    "Parent",
    "Parents",
    "Grandma",
    "Grandpa",
    "Nanny",
    "Babysitter",
    "I",
    "I'm",
    "I've",
    "I'll",
    "I'd",
    "DOB",
    "Slack",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
  ].map((w) => w.toLowerCase()),
);
/** Words that may start a sentence with a capital without being a name. */
const SENTENCE_WORDS = new Set(
  (
    "a an the and but or so if when why what whats what's who whom whose how where which is are was were do does did " +
    "can cant can't could should would will wont won't has have had my our we she he they her his their it its " +
    "this that there these those hi hey hello please thanks thank ok okay yes no not still just also after before " +
    "since now then our any every some one two both all mrs mr ms dr miss"
  ).split(" "),
);
const TITLES = /\b(Mrs?|Ms|Miss|Dr)\.?\s+([A-Za-z][\w'-]*)/g;

/** Stand-in for the i-th OP version while numbers are removed: a private-use character no one types. */
const STAND_IN = 0xe000;

/**
 * OP versions are not PHI and say which menus were meant, so they survive the number rule. They are
 * the content's (opVersionsOf), passed in: core reads no files.
 */
export function redactQuestionText(text: string, opVersions: readonly string[]): string {
  const escaped = opVersions.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const version = opVersions.length > 0 ? new RegExp(`\\b(?:${escaped.join("|")})\\b`, "g") : undefined;
  // Only what the search looked at is kept (questionText's caps): the patterns below cost time that
  // grows faster than the text, and a 40,000-character word took seconds, stalling the server.
  let out = questionText(text);
  if (version) out = out.replace(version, (m) => String.fromCharCode(STAND_IN + opVersions.indexOf(m)));
  out = out
    .replace(/[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[a-z]{2,}/gi, "<email>")
    .replace(/(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/g, "<phone>")
    .replace(
      /\b\d{1,2}[/.-]\d{4}\b|\b\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?\b/gi,
      "<date>",
    )
    .replace(TITLES, (_m, title: string) => `${title} <name>`)
    .replace(/\b([A-Za-z][\w'-]*)(?=\s+family\b)/g, (m) =>
      SENTENCE_WORDS.has(m.toLowerCase()) || KEEP.has(m.toLowerCase()) ? m : "<name>",
    )
    .replace(/\d+/g, "<n>");
  // Capitalized words: a name unless the domain's own word, or an ordinary word starting a sentence.
  out = out.replace(/(^|[.!?]\s+|\s|["'(])([A-Z][\w'-]*)/g, (m, before: string, word: string) => {
    const lower = word.toLowerCase();
    if (KEEP.has(lower)) return m;
    const sentenceStart = before === "" || /[.!?]\s+$/.test(before);
    if (sentenceStart && SENTENCE_WORDS.has(lower)) return m;
    return `${before}<name>`;
  });
  opVersions.forEach((v, i) => {
    out = out.replaceAll(String.fromCharCode(STAND_IN + i), v);
  });
  return out.replace(/\s+/g, " ").trim();
}
