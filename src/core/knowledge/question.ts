/**
 * What of a person's text the knowledge search looks at: the one place user text is capped and
 * normalized before search, for Slack (mentions, direct messages, `/portal-check <text>`) and the
 * terminal (`ask`) alike. Search time grows with the text: a single 40,000-character "word" (a
 * long URL) took 5 to 9 seconds of fuzzy matching, during which the Slack server answered nobody,
 * and a 1 MB one threw a RangeError. Capped, the worst text costs a few tens of milliseconds
 * (test/slack/stall.test.ts holds any search to that).
 */

/** Longer than any question worth asking; Slack itself shows at most 4,000 characters of a message. */
export const MAX_QUESTION_CHARS = 4000;

/**
 * Longer than any word the knowledge base uses (test/knowledge/question.test.ts keeps that true), so
 * a longer one — a URL, a pasted token, a key held down — can match nothing and is left out.
 */
export const MAX_WORD_CHARS = 40;

/**
 * Every word is looked up with typos allowed, so the number of words bounds the work as much as
 * their length: 800 made-up four-letter words took about 50 ms (on a busy two-core machine). A question
 * rarely has more than 30 words; the rest of a longer text is not searched.
 */
export const MAX_QUESTION_WORDS = 100;

/** A run of characters the search tokenizer keeps together (it splits on spaces and punctuation). */
const LONG_WORD = new RegExp(`[^\\s\\p{Z}\\p{P}]{${MAX_WORD_CHARS + 1},}`, "gu");

/**
 * The text the search sees: at most MAX_QUESTION_CHARS characters, words longer than
 * MAX_WORD_CHARS left out, white space collapsed, at most MAX_QUESTION_WORDS words.
 */
export function questionText(raw: string): string {
  return raw
    .slice(0, MAX_QUESTION_CHARS)
    .replace(LONG_WORD, " ")
    .split(/\s+/)
    .filter((word) => word !== "")
    .slice(0, MAX_QUESTION_WORDS)
    .join(" ");
}
