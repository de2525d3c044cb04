import { millisecondsInDay } from "date-fns/constants";
import { z } from "zod";
import type { CheckId, OpVersion } from "../ids.js";
import { checkIdsOf, type KnowledgeBase, opVersionsOf } from "../knowledge/schema.js";
import { type ConversationOutcome, type OutcomeRecord, outcomeAt } from "./outcome.js";

/**
 * The figures App Home and `portal-check report` show, computed from outcome records alone, so both
 * surfaces show the same numbers for the same period. A conversation belongs to the period in which
 * it started. Periods (weeks, months) are UTC.
 */

export const GROUP_BY = ["week", "month", "version", "check"] as const;
export const GroupBy = z.enum(GROUP_BY);
export type GroupBy = z.infer<typeof GroupBy>;

/** How each --by grouping is titled, in the terminal table and the HTML page. */
export const GROUP_TITLES: Record<GroupBy, string> = {
  week: "By week (ISO, UTC)",
  month: "By month (UTC)",
  version: "By OP version",
  check: "By check (where it was fixed, or where the walk stopped)",
};

export interface Figures {
  started: number;
  open: number;
  resolved: number;
  escalated: number;
  abandoned: number;
  /** Escalated out of finished (resolved + escalated + abandoned); null when none finished. */
  escalationRate: number | null;
  /** Median time from start to "fixed", in ms, over resolved conversations; null when none. */
  medianMsToResolve: number | null;
}

export interface Group {
  key: string;
  figures: Figures;
}

export interface Report {
  since: string;
  until: string;
  /** The time outcomes were judged at (open vs abandoned). */
  at: string;
  totals: Figures;
  /** Resolved conversations by the check that fixed them, every check in article order. */
  fixedBy: { check: CheckId; count: number }[];
  /** Per OP version ("unknown": not chosen, or the newer portal), every version listed. */
  byVersion: Group[];
  /** The rows asked for with --by (absent otherwise). */
  by?: { groupBy: GroupBy; groups: Group[] };
}

/** The key of the "no check reached" and "no version" rows. */
export const NONE = "none";
export const UNKNOWN_VERSION = "unknown";

export function figuresOf(records: readonly OutcomeRecord[], now: Date): Figures {
  const count: Record<ConversationOutcome, number> = { open: 0, resolved: 0, escalated: 0, abandoned: 0 };
  const toResolve: number[] = [];
  for (const record of records) {
    const outcome = outcomeAt(record, now);
    count[outcome]++;
    if (outcome === "resolved" && record.finishedAt) {
      toResolve.push(Date.parse(record.finishedAt) - Date.parse(record.startedAt));
    }
  }
  const finished = count.resolved + count.escalated + count.abandoned;
  return {
    started: records.length,
    ...count,
    escalationRate: finished === 0 ? null : count.escalated / finished,
    medianMsToResolve: median(toResolve),
  };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The row a record falls in when grouping `by`. */
export function groupKey(record: OutcomeRecord, by: GroupBy): string {
  switch (by) {
    case "week":
      return isoWeek(new Date(record.startedAt));
    case "month":
      return record.startedAt.slice(0, 7);
    case "version":
      return record.version ?? UNKNOWN_VERSION;
    case "check":
      return record.fixedAt ?? record.stoppedAt ?? NONE;
  }
}

/**
 * The OP versions and checks the content lists (opVersionsOf, checkIdsOf), in its order: the rows
 * a report always shows and the order it shows them in.
 */
export interface Listed {
  versions: readonly OpVersion[];
  checks: readonly CheckId[];
}

export function listedIn(knowledge: KnowledgeBase): Listed {
  return { versions: opVersionsOf(knowledge), checks: checkIdsOf(knowledge) };
}

/**
 * Rows in a stable order: periods ascending; versions and checks in their listed order (one the
 * content no longer lists, from an older conversation, after them).
 */
function keyOrder(by: GroupBy, listed: Listed): (a: string, b: string) => number {
  const order: readonly string[] | undefined =
    by === "version"
      ? [...listed.versions, UNKNOWN_VERSION]
      : by === "check"
        ? [...listed.checks, NONE]
        : undefined;
  if (!order) return (a, b) => a.localeCompare(b);
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  return (a, b) => rank(a) - rank(b) || a.localeCompare(b);
}

export function groupFigures(
  records: readonly OutcomeRecord[],
  by: GroupBy,
  now: Date,
  listed: Listed,
): Group[] {
  const rows = new Map<string, OutcomeRecord[]>();
  if (by === "version") for (const v of [...listed.versions, UNKNOWN_VERSION]) rows.set(v, []);
  for (const record of records) {
    const key = groupKey(record, by);
    rows.set(key, [...(rows.get(key) ?? []), record]);
  }
  return [...rows.keys()]
    .sort(keyOrder(by, listed))
    .map((key) => ({ key, figures: figuresOf(rows.get(key) ?? [], now) }));
}

/** Only the records that started in [since, until). */
export function inPeriod(records: readonly OutcomeRecord[], since: Date, until: Date): OutcomeRecord[] {
  return records.filter((r) => {
    const t = Date.parse(r.startedAt);
    return t >= since.getTime() && t < until.getTime();
  });
}

export function buildReport(
  records: readonly OutcomeRecord[],
  period: { since: Date; until: Date; now: Date; by?: GroupBy; listed: Listed },
): Report {
  const { since, until, now, by, listed } = period;
  const chosen = inPeriod(records, since, until);
  const fixed = new Map<string, number>();
  for (const r of chosen) {
    if (outcomeAt(r, now) === "resolved" && r.fixedAt) fixed.set(r.fixedAt, (fixed.get(r.fixedAt) ?? 0) + 1);
  }
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    at: now.toISOString(),
    totals: figuresOf(chosen, now),
    fixedBy: listed.checks.map((check) => ({ check, count: fixed.get(check) ?? 0 })),
    byVersion: groupFigures(chosen, "version", now, listed),
    ...(by ? { by: { groupBy: by, groups: groupFigures(chosen, by, now, listed) } } : {}),
  };
}

/**
 * The default period of App Home and `portal-check report`: the `days` whole UTC days up to and
 * including today, so both show the same figures on the same day.
 */
export function lastDays(now: Date, days: number): { since: Date; until: Date } {
  const until = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + millisecondsInDay;
  return { since: new Date(until - days * millisecondsInDay), until: new Date(until) };
}

/**
 * ISO 8601 week ("2026-W05") of a UTC date. Written out because date-fns' getISOWeek works in the
 * machine's local time zone, and the figures must not change with the machine's zone.
 */
export function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  // The Thursday of the same week decides the year.
  day.setUTCDate(day.getUTCDate() + 4 - (day.getUTCDay() || 7));
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / millisecondsInDay + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}
