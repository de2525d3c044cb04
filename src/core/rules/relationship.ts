import type { ContactRecord } from "./schema.js";

/**
 * Who a contact is to the patient, as far as the rules need to know. The article's portal
 * settings are about "the parent" and "parents/guardians", and it names a babysitter or nanny who
 * was let go as someone kept off the portal on purpose: a rule that would have staff open the
 * portal to a contact fires only for a parent or guardian, or for a contact whose relationship the
 * input does not give (then its message says it assumes a parent).
 *
 * - "parent": the relationship names a parent or guardian (Mother, Father, Stepmother, Foster
 *   father, Legal guardian, "Mother, custodial"...);
 * - "not-given": no relationship column, or a blank cell;
 * - "other": anything else (Babysitter, Nanny, Grandmother, Aunt, Self...). A relationship that is
 *   given but not recognised counts as "other": the rules never advise access for someone the
 *   input describes as something other than a parent.
 */
export type Relationship = "parent" | "not-given" | "other";

/** Words that make a relationship a parent's or guardian's (compared in lower case, whole words). */
const PARENT_WORDS = new Set([
  "parent",
  "parents",
  "mother",
  "father",
  "mom",
  "mum",
  "mommy",
  "mama",
  "dad",
  "daddy",
  "papa",
  "stepmother",
  "stepfather",
  "stepparent",
  "stepmom",
  "stepdad",
  "guardian",
  "guardians",
]);

/** Relationships already classified, by the text as typed: an export repeats a few spellings. */
const KNOWN = new Map<string, Relationship>();
const KNOWN_MAX = 200;

function classify(text: string): Relationship {
  // "Step-mother", "step mother" and "Mother (custodial)" all name a parent.
  const words = text
    .toLowerCase()
    .replace(/step[\s-]+/g, "step")
    .split(/[^a-z]+/);
  return words.some((word) => PARENT_WORDS.has(word)) ? "parent" : "other";
}

export function relationshipOf(record: ContactRecord): Relationship {
  const text = record.typed.relationship;
  if (text === undefined || text === "") return "not-given";
  let known = KNOWN.get(text);
  if (known === undefined) {
    known = classify(text);
    if (KNOWN.size < KNOWN_MAX) KNOWN.set(text, known);
  }
  return known;
}

/** A contact the portal rules speak about: a parent or guardian, or one of unknown relationship. */
export function mayBeParent(record: ContactRecord): boolean {
  return relationshipOf(record) !== "other";
}

/** Added to a message when the relationship is not given, so staff know what the finding assumes. */
export function assumption(record: ContactRecord): string {
  return relationshipOf(record) === "not-given"
    ? " (The input does not say how this contact is related to the patient; this assumes a parent or guardian.)"
    : "";
}
