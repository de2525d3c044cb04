import { subYears } from "date-fns/subYears";

/**
 * Dates as staff type them: M/D/YYYY, M/D/YY or YYYY-MM-DD, optionally followed by a time
 * ("3/1/2024 10:15 AM", "2024-03-01T10:15:00"); the time is accepted and ignored.
 *
 * Read by hand rather than with date-fns `parse`: a whole-practice export has a million rows with
 * up to three dates each, and trying format after format costs more than the CSV parsing itself;
 * two-digit years also follow our own rule below, which `parse` does not offer.
 */
const TIME = /^[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const TWO_DIGITS = Array.from({ length: 32 }, (_, n) => String(n).padStart(2, "0"));

const DATE_FORMATS = "M/D/YYYY, M/D/YY or YYYY-MM-DD (a time may follow)";
const NOT_A_DATE = `expected a date as ${DATE_FORMATS}`;

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
  return { year, month, day, iso: isoDay(year, month, day) };
}

function isoDay(year: number, month: number, day: number): string {
  return `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}`;
}

/** Parses "YYYY-MM-DD" (the --today form); undefined when it is not a real day. */
export function parseIsoDay(text: string): Day | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= 1900 && exists(year, month, day) ? dayOf(year, month, day) : undefined;
}

/** Why a cell is not a date. */
export interface NotADate {
  problem: string;
}

/** The day as YYYY-MM-DD, or why it is not one. */
export function parseDay(text: string, today: Day, years: TwoDigitYears): string | NotADate {
  let year: number;
  let month: number;
  let day: number;
  let yearDigits: number;
  // digitsAt returns one shared record: each value is read before the next call.
  const first = digitsAt(text, 0);
  if (first.count === 0) return { problem: NOT_A_DATE };
  const separator = text.charCodeAt(first.end);
  if (separator === SLASH && first.count <= 2) {
    month = first.value;
    const d = digitsAt(text, first.end + 1);
    if (d.count === 0 || d.count > 2 || text.charCodeAt(d.end) !== SLASH) return { problem: NOT_A_DATE };
    day = d.value;
    const y = digitsAt(text, d.end + 1);
    if (y.count !== 2 && y.count !== 4) return { problem: NOT_A_DATE };
    year = y.value;
    yearDigits = y.count;
  } else if (separator === DASH && first.count === 4) {
    year = first.value;
    yearDigits = 4;
    const m = digitsAt(text, first.end + 1);
    if (m.count === 0 || m.count > 2 || text.charCodeAt(m.end) !== DASH) return { problem: NOT_A_DATE };
    month = m.value;
    const d = digitsAt(text, m.end + 1);
    if (d.count === 0 || d.count > 2) return { problem: NOT_A_DATE };
    day = d.value;
  } else return { problem: NOT_A_DATE };
  const end = scan.end;
  if (end < text.length) {
    const time = TIME.exec(text.slice(end));
    if (!time) return { problem: NOT_A_DATE };
    if (!timeIsValid(Number(time[1]), Number(time[2]), time[3], time[4])) {
      return { problem: `the time is not a time of day; ${NOT_A_DATE}` };
    }
  }
  // A placeholder such as 00/00/0000: say so before anything about its year.
  if (month === 0 || day === 0 || month > 12) return { problem: `there is no such day; ${NOT_A_DATE}` };
  if (yearDigits === 2) year = fullYear(year, month, day, today, years);
  if (year < 1900) return { problem: `the year is before 1900; ${NOT_A_DATE}` };
  if (!exists(year, month, day)) return { problem: `there is no such day; ${NOT_A_DATE}` };
  return isoDay(year, month, day);
}

const SLASH = 47;
const DASH = 45;

/** The last run of digits read: one shared record, so reading a date leaves no garbage behind. */
const scan = { value: 0, count: 0, end: 0 };

/** Reads the run of ASCII digits starting at `from` (more than 4 count as none) into `scan`. */
function digitsAt(text: string, from: number): typeof scan {
  let value = 0;
  let at = from;
  while (at < text.length && at - from < 5) {
    const digit = text.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
    at++;
  }
  scan.value = value;
  scan.count = at - from > 4 ? 0 : at - from;
  scan.end = at;
  return scan;
}

function exists(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number));
}

function timeIsValid(hour: number, minute: number, second: string | undefined, meridiem: string | undefined) {
  if (minute > 59 || (second !== undefined && Number(second) > 59)) return false;
  return meridiem === undefined ? hour <= 23 : hour >= 1 && hour <= 12;
}

function fullYear(yy: number, month: number, day: number, today: Day, years: TwoDigitYears): number {
  const century = Math.floor(today.year / 100) * 100;
  if (years === "birth") {
    const candidate = isoDay(century + yy, month, day);
    return candidate > today.iso ? century - 100 + yy : century + yy;
  }
  const nearest = [century - 100 + yy, century + yy, century + 100 + yy];
  return nearest.reduce((best, y) => (Math.abs(y - today.year) < Math.abs(best - today.year) ? y : best));
}

/**
 * Completed years between a birth day and the check day, as date-fns `differenceInYears` counts
 * them (a Feb 29 birthday comes on Mar 1 in other years); in integers, as it runs per finding.
 */
export function ageOn(today: Day, birthIso: string): number {
  const year = Number(birthIso.slice(0, 4));
  const monthDay = birthIso.slice(5);
  const todayMonthDay = today.iso.slice(5);
  return today.year - year - (todayMonthDay < monthDay ? 1 : 0);
}

/**
 * The latest birth day of someone who is `years` old on `today` (as ageOn counts), so that an age
 * check on a million rows is one string comparison: born on or before it ⇔ at least that old.
 */
export function bornBy(today: Day, years: number): string {
  const day = subYears(new Date(today.year, today.month - 1, today.day), years);
  return dayOf(day.getFullYear(), day.getMonth() + 1, day.getDate()).iso;
}

/** How the day is shown in messages: M/D/YYYY, as OP shows it. */
export function showDay(iso: string): string {
  return `${Number(iso.slice(5, 7))}/${Number(iso.slice(8, 10))}/${iso.slice(0, 4)}`;
}
