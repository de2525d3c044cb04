import { differenceInYears } from "date-fns";
import { describe, expect, it } from "vitest";
import { ageOn, bornBy, type Day, parseDay, parseIsoDay } from "../../src/core/rules/dates.js";

const today = parseIsoDay("2025-06-01") as Day;
const iso = (text: string, years: "birth" | "event" = "event") => {
  const day = parseDay(text, today, years);
  return typeof day === "string" ? day : `problem: ${day.problem}`;
};

describe("parseDay", () => {
  it("reads M/D/YYYY, M/D/YY and YYYY-MM-DD, with or without leading zeros", () => {
    expect(iso("3/1/2024")).toBe("2024-03-01");
    expect(iso("03/01/2024")).toBe("2024-03-01");
    expect(iso("2024-03-01")).toBe("2024-03-01");
    expect(iso("2024-3-1")).toBe("2024-03-01");
  });

  it("accepts a time after the date and ignores it", () => {
    expect(iso("3/1/2024 10:15 AM")).toBe("2024-03-01");
    expect(iso("3/1/2024 10:15:30 pm")).toBe("2024-03-01");
    expect(iso("2024-03-01T23:59:59.123")).toBe("2024-03-01");
    expect(iso("3/1/2024 13:15 PM")).toMatch(/^problem: the time/);
    expect(iso("3/1/2024 10:75")).toMatch(/^problem: the time/);
  });

  it("rejects days that do not exist, other formats and text, saying what is expected", () => {
    expect(iso("2/30/2024")).toMatch(/no such day.*M\/D\/YYYY/);
    expect(iso("2/29/2023")).toMatch(/no such day/);
    expect(iso("2/29/2024")).toBe("2024-02-29");
    expect(iso("13/1/2024")).toMatch(/no such day/);
    expect(iso("1.3.2024")).toMatch(/^problem: expected a date as M\/D\/YYYY, M\/D\/YY or YYYY-MM-DD/);
    expect(iso("yesterday")).toMatch(/^problem: expected a date/);
    expect(iso("1/1/1850")).toMatch(/before 1900/);
  });

  it("reads a two-digit birth year in this century unless that would be after the check date", () => {
    expect(iso("3/4/07", "birth")).toBe("2007-03-04");
    expect(iso("6/1/25", "birth")).toBe("2025-06-01"); // the check date itself is not in the future
    expect(iso("6/2/25", "birth")).toBe("1925-06-02"); // tomorrow in 2025 would be a future birth
    expect(iso("12/31/99", "birth")).toBe("1999-12-31");
  });

  it("reads a two-digit start or end year as the year nearest the check date, so it may lie ahead", () => {
    expect(iso("1/1/24")).toBe("2024-01-01");
    expect(iso("6/30/27")).toBe("2027-06-30");
    expect(iso("1/1/99")).toBe("1999-01-01");
    expect(iso("1/1/74")).toBe("2074-01-01");
  });
});

describe("ageOn", () => {
  const age = (on: string, born: string) => {
    const years = ageOn(parseIsoDay(on) as Day, born);
    // date-fns is the reference for how completed years are counted.
    expect(years).toBe(differenceInYears(new Date(`${on}T00:00:00`), new Date(`${born}T00:00:00`)));
    return years;
  };

  it("counts the birthday itself as the new age", () => {
    expect(age("2025-06-01", "2007-06-01")).toBe(18);
    expect(age("2025-05-31", "2007-06-01")).toBe(17);
  });

  it("gives a Feb 29 birthday on Mar 1 in other years, and on Feb 29 in leap years", () => {
    expect(age("2026-02-28", "2008-02-29")).toBe(17);
    expect(age("2026-03-01", "2008-02-29")).toBe(18);
    expect(age("2024-02-28", "2004-02-29")).toBe(19);
    expect(age("2028-02-29", "2008-02-29")).toBe(20);
    expect(age("2028-02-28", "2008-02-29")).toBe(19);
  });
});

describe("bornBy", () => {
  it("is the latest birth day of an 18-year-old, agreeing with ageOn on Feb 29", () => {
    for (const [today, expected] of [
      ["2025-06-01", "2007-06-01"],
      ["2026-02-28", "2008-02-28"],
      ["2026-03-01", "2008-03-01"],
      ["2028-02-29", "2010-02-28"],
    ] as const) {
      const day = parseIsoDay(today) as Day;
      expect(bornBy(day, 18)).toBe(expected);
      expect(ageOn(day, expected)).toBe(18);
      const dayAfter = new Date(`${expected}T12:00:00Z`);
      dayAfter.setUTCDate(dayAfter.getUTCDate() + 1);
      expect(ageOn(day, dayAfter.toISOString().slice(0, 10))).toBe(17);
    }
  });
});
