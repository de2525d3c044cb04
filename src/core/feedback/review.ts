import { z } from "zod";
import { LabelledQuestion } from "../knowledge/labelled-questions.js";
import type { QuestionRecord, Verdict } from "./schema.js";

/**
 * What `portal-check questions` shows: the stored questions worth a content maintainer's look,
 * grouped by their (redacted) text, most frequent first.
 */

/** An answer retrieval was less sure of than this is worth a look even without a 👎. */
export const LOW_CONFIDENCE = 0.45;

export const ReviewReason = z.enum(["unanswered", "guided", "thumbs-down", "did-not-help", "low-confidence"]);
export type ReviewReason = z.infer<typeof ReviewReason>;

export interface ReviewItem {
  text: string;
  /** How many times it was asked (records with this text). */
  count: number;
  reasons: ReviewReason[];
  /** What the answers led with (entry ids, "(guided check)" or "(refused)"), most common first. */
  answered: string[];
  verdicts: Record<Verdict, number>;
  lastAskedAt: string;
}

function reasonsOf(record: QuestionRecord): ReviewReason[] {
  const reasons: ReviewReason[] = [];
  if (record.outcome === "refuse") reasons.push("unanswered");
  if (record.outcome === "guide") reasons.push("guided");
  if (record.verdict === "down") reasons.push("thumbs-down");
  if (record.verdict === "not-helped") reasons.push("did-not-help");
  if (record.outcome === "answer" && record.confidence < LOW_CONFIDENCE) reasons.push("low-confidence");
  return reasons;
}

export function questionsToReview(records: readonly QuestionRecord[]): ReviewItem[] {
  const groups = new Map<
    string,
    { item: ReviewItem; answered: Map<string, number>; spellings: Map<string, number> }
  >();
  for (const record of records) {
    const reasons = reasonsOf(record);
    if (reasons.length === 0) continue;
    const key = record.text.toLowerCase().replace(/\s+/g, " ").trim();
    const group = groups.get(key) ?? {
      item: {
        text: record.text,
        count: 0,
        reasons: [],
        answered: [],
        verdicts: { up: 0, down: 0, "not-helped": 0 },
        lastAskedAt: record.askedAt,
      },
      answered: new Map<string, number>(),
      spellings: new Map<string, number>(),
    };
    group.spellings.set(record.text, (group.spellings.get(record.text) ?? 0) + 1);
    const { item } = group;
    item.count += 1;
    for (const reason of reasons) if (!item.reasons.includes(reason)) item.reasons.push(reason);
    if (record.verdict) item.verdicts[record.verdict] += 1;
    if (record.askedAt > item.lastAskedAt) item.lastAskedAt = record.askedAt;
    const led =
      record.outcome === "refuse"
        ? "(refused)"
        : record.outcome === "guide"
          ? "(guided check)"
          : (record.top ?? "?");
    group.answered.set(led, (group.answered.get(led) ?? 0) + 1);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map(({ item, answered, spellings }) => ({
      ...item,
      // The way it was typed most often (then the first in code order): the same on every store.
      text: mostCommon(spellings),
      answered: [...answered].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([led]) => led),
    }))
    .sort(
      (a, b) =>
        b.count - a.count || b.lastAskedAt.localeCompare(a.lastAskedAt) || a.text.localeCompare(b.text),
    );
}

/**
 * A reviewed list, as a maintainer edits the JSON of `portal-check questions --json`: each item
 * keeps its `text` and gains `accept` (and `number` for a support-number question). Items without
 * `accept` were not reviewed and are skipped.
 */
export const ReviewedItem = z.looseObject({
  text: z.string().trim().min(3),
  accept: LabelledQuestion.shape.accept.optional(),
  number: z.boolean().optional(),
});
export type ReviewedItem = z.infer<typeof ReviewedItem>;

export interface ToEval {
  entries: LabelledQuestion[];
  /** Items without `accept`, and questions the evaluation set already has. */
  skipped: Array<{ text: string; why: string }>;
}

/** The reviewed items as new evaluation entries, leaving out those the set already holds. */
export function evalEntriesFrom(items: readonly ReviewedItem[], existing: readonly string[]): ToEval {
  const seen = new Set(existing.map((q) => q.toLowerCase().trim()));
  const entries: LabelledQuestion[] = [];
  const skipped: ToEval["skipped"] = [];
  for (const item of items) {
    if (!item.accept) {
      skipped.push({ text: item.text, why: "no accept list (not reviewed)" });
      continue;
    }
    const key = item.text.toLowerCase().trim();
    if (seen.has(key)) {
      skipped.push({ text: item.text, why: "already in the evaluation set" });
      continue;
    }
    seen.add(key);
    entries.push(
      LabelledQuestion.parse({ q: item.text, accept: item.accept, ...(item.number ? { number: true } : {}) }),
    );
  }
  return { entries, skipped };
}

function mostCommon(counts: ReadonlyMap<string, number>): string {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? "";
}
