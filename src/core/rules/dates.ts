import { differenceInYears, isExists } from "date-fns";

/**
 * Dates as staff type them: M/D/YYYY, M/D/YY or YYYY-MM-DD, optionally followed by a time
 * ("3/1/2024 10:15 AM", "2024-03-01T10:15:00"); the time is accepted and ignored.
 *
 * A regular expression rather than date-fns `parse`: one pattern covers every accepted form in one
 * pass (a million rows carry three dates each), and two-digit years follow our own rule below,
 * which `parse` does not offer. date-fns still decides whether the day exists and computes ages.
 */
const DATE =
  /^(?:(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})|(\d{4})-(\d{1,2})-(\d{1,2}))(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?)?$/;

export const DATE_FORMATS = "M/D/YYYY, M/D/YY or YYYY-MM-DD (a time may follow)";

/**
 * How a two-digit year is read.
 * - "birth": in this century unless that puts the date after the check date, then the previous
 *   century (a birth date cannot be in the future: 3/4/12 → 2012, 3/4/98 → 1998).
 * - "event": the year nearest the check date (within 50 years), so a start or end date may lie
 *   ahead: with a 2025 check date, 6/30/27 → 2027 and 1/1/99 → 1999.
 */
export type TwoDigitYears = "birth" | "event";

/** A calendar day; `iso` is YYYY-MM-DD, which compares correctly as a string. */
export interface Day {
  year: number;
  month: number;
  day: number;
  iso: string;
}

export function dayOf(year: number, month: number, day: number): Day {
  const y = String(year).padStart(4, "0");
  const m = month < 10 ? `0${month}` : String(month);
  const d = day < 10 ? `0${day}` : String(day);
  return { year, month, day, iso: `${y}-${m}-${d}` };
}

/** Parses "YYYY-MM-DD" (the --today form); undefined when it is not a real day. */
export function parseIsoDay(text: string): Day | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isExists(year, month - 1, day) ? dayOf(year, month, day) : undefined;
}

/** The day, or a short reason it is not one. */
export function parseDay(text: string, today: Day, years: TwoDigitYears): Day | string {
  const m = DATE.exec(text);
  if (!m) return `expected a date as ${DATE_FORMATS}`;
  const slashed = m[1] !== undefined;
  const month = Number(slashed ? m[1] : m[5]);
  const day = Number(slashed ? m[2] : m[6]);
  const yearText = (slashed ? m[3] : m[4]) as string;
  if (m[7] !== undefined && !timeIsValid(Number(m[7]), Number(m[8]), m[9], m[10])) {
    return `the time is not a time of day; expected a date as ${DATE_FORMATS}`;
  }
  let year = Number(yearText);
  if (yearText.length === 2) year = fullYear(year, month, day, today, years);
  if (year < 1900) return `the year is before 1900; expected a date as ${DATE_FORMATS}`;
  if (!isExists(year, month - 1, day)) return `there is no such day; expected a date as ${DATE_FORMATS}`;
  return dayOf(year, month, day);
}

function timeIsValid(hour: number, minute: number, second: string | undefined, meridiem: string | undefined) {
  if (minute > 59 || (second !== undefined && Number(second) > 59)) return false;
  return meridiem === undefined ? hour <= 23 : hour >= 1 && hour <= 12;
}

function fullYear(yy: number, month: number, day: number, today: Day, years: TwoDigitYears): number {
  const century = Math.floor(today.year / 100) * 100;
  if (years === "birth") {
    const candidate = dayOf(century + yy, month, day).iso;
    return candidate > today.iso ? century - 100 + yy : century + yy;
  }
  const nearest = [century - 100 + yy, century + yy, century + 100 + yy];
  return nearest.reduce((best, y) => (Math.abs(y - today.year) < Math.abs(best - today.year) ? y : best));
}

/** Completed years between a birth day and the check day. A Feb 29 birthday comes on Mar 1 in other years. */
export function ageOn(today: Day, birthIso: string): number {
  const [y, m, d] = birthIso.split("-").map(Number) as [number, number, number];
  return differenceInYears(new Date(today.year, today.month - 1, today.day), new Date(y, m - 1, d));
}

/** How the day is shown in messages: M/D/YYYY, as OP shows it. */
export function showDay(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${Number(m)}/${Number(d)}/${y}`;
}
