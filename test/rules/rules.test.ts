import { describe, expect, it } from "vitest";
import { Finding } from "../../src/core/rules/schema.js";
import { check, FINE, rulesOf } from "../support/rules.js";

describe("a row with every setting right", () => {
  it("gives no finding and no error", () => {
    const result = check([FINE]);
    expect(result.errors).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.recordCount).toBe(1);
  });
});

describe("patient-inactive", () => {
  it("fires on any status but Active, naming patient, contact and line", () => {
    const result = check([
      FINE,
      { ...FINE, Contact: "John Smith", Email: "john@example.com", Status: "Inactive" },
    ]);
    expect(rulesOf(result)).toEqual(["patient-inactive"]);
    const [finding] = result.findings;
    expect(finding).toMatchObject({
      severity: "blocker",
      check: "patient-status",
      lines: [3],
      patient: "Tom Smith",
    });
    expect(finding?.message).toMatch(/^Line 3: .*Tom Smith.*"Inactive".*John Smith/);
  });

  it("is silent for Active in any case, and for a blank status", () => {
    expect(rulesOf(check([{ ...FINE, Status: "ACTIVE" }]))).toEqual([]);
    expect(rulesOf(check([{ ...FINE, Status: "" }]))).toEqual([]);
  });
});

describe("minor-access-adult", () => {
  it("fires on the 18th birthday itself", () => {
    const result = check([{ ...FINE, DOB: "6/1/2007" }]);
    expect(rulesOf(result)).toEqual(["minor-access-adult"]);
    expect(result.findings[0]?.message).toMatch(/who is 18 \(born 6\/1\/2007\)/);
  });

  it("is silent the day before the 18th birthday (birthday tomorrow)", () => {
    expect(rulesOf(check([{ ...FINE, DOB: "6/2/2007" }]))).toEqual([]);
  });

  it("is silent for Full access and for an unknown birth date", () => {
    expect(rulesOf(check([{ ...FINE, DOB: "1/1/2000", Portal: "Full" }]))).toEqual([]);
    expect(rulesOf(check([{ ...FINE, DOB: "" }]))).toEqual([]);
  });

  it("gives a Feb 29 birthday on Mar 1 in a common year", () => {
    const born = { ...FINE, DOB: "2/29/2008" };
    expect(rulesOf(check([born], { today: "2026-02-28" }))).toEqual([]);
    expect(rulesOf(check([born], { today: "2026-03-01" }))).toEqual(["minor-access-adult"]);
  });

  it("reads a two-digit birth year as the most recent one that is not in the future", () => {
    expect(rulesOf(check([{ ...FINE, DOB: "6/1/07" }]))).toEqual(["minor-access-adult"]);
    expect(rulesOf(check([{ ...FINE, DOB: "6/1/15" }]))).toEqual([]);
  });
});

describe("portal-none", () => {
  it("fires on None and suggests Minor for a child, Full for an adult", () => {
    const child = check([{ ...FINE, Portal: "none" }]);
    expect(rulesOf(child)).toEqual(["portal-none"]);
    expect(child.findings[0]?.fix.join(" ")).toMatch(/choose Minor/);
    const adult = check([{ ...FINE, Portal: "None", DOB: "1/1/2000" }]);
    expect(adult.findings[0]?.fix.join(" ")).toMatch(
      /The patient is 18 or older by the birth date given, so Minor would not let the parent see the records; Full is the choice only if the patient needs that help/,
    );
  });

  it("is silent for Minor and Full, and for a blank Portal cell", () => {
    expect(rulesOf(check([{ ...FINE, Portal: "Full" }]))).toEqual([]);
    expect(rulesOf(check([{ ...FINE, Portal: "" }]))).toEqual([]);
  });
});

describe("missing-email", () => {
  it("fires when a contact with portal access has a blank email", () => {
    expect(rulesOf(check([{ ...FINE, Email: "" }]))).toEqual(["missing-email"]);
    expect(rulesOf(check([{ ...FINE, Email: "  ", Portal: "Full" }]))).toEqual(["missing-email"]);
  });

  it("is silent without portal access, or when the input has no email column", () => {
    expect(rulesOf(check([{ ...FINE, Email: "", Portal: "None" }]))).toEqual(["portal-none"]);
    const { Email: _, ...noEmailColumn } = FINE;
    expect(rulesOf(check([noEmailColumn]))).toEqual([]);
  });
});

describe("authority-none and authority-blank", () => {
  it("authority None is a blocker", () => {
    const result = check([{ ...FINE, Authority: "None" }]);
    expect(rulesOf(result)).toEqual(["authority-none"]);
    expect(result.findings[0]?.severity).toBe("blocker");
  });

  it("a blank Authority is a warning, and a blocker for a legacy (2006-2010) portal", () => {
    const plain = check([{ ...FINE, Authority: "" }]);
    expect(plain.findings.map((f) => [f.rule, f.severity])).toEqual([["authority-blank", "warning"]]);
    const legacy = check([{ ...FINE, Authority: "" }], { legacyPortal: true });
    expect(legacy.findings.map((f) => [f.rule, f.severity])).toEqual([["authority-blank", "blocker"]]);
  });

  it("Exclusive and Joint are fine; a missing Authority column says nothing", () => {
    expect(rulesOf(check([{ ...FINE, Authority: "exclusive" }]))).toEqual([]);
    const { Authority: _, ...noAuthority } = FINE;
    expect(rulesOf(check([noAuthority]))).toEqual([]);
  });
});

describe("end-date-passed and end-date-set", () => {
  it("an end date yesterday has passed: blocker", () => {
    const result = check([{ ...FINE, "End Date": "5/31/2025" }]);
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([["end-date-passed", "blocker"]]);
  });

  it("an end date today has not passed, but any End Date prohibits access: blocker", () => {
    const result = check([{ ...FINE, "End Date": "6/1/2025" }]);
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([["end-date-set", "blocker"]]);
  });

  it("an end date next year: blocker", () => {
    expect(rulesOf(check([{ ...FINE, "End Date": "6/1/2026 9:00 AM" }]))).toEqual(["end-date-set"]);
  });

  it("reads two-digit end years near the check date", () => {
    expect(rulesOf(check([{ ...FINE, "End Date": "1/1/24" }]))).toEqual(["end-date-passed"]);
    expect(rulesOf(check([{ ...FINE, "End Date": "1/1/27" }]))).toEqual(["end-date-set"]);
  });
});

describe("start-date-future", () => {
  it("a start date tomorrow is a blocker; today or earlier is fine", () => {
    expect(rulesOf(check([{ ...FINE, "Start Date": "6/2/2025" }]))).toEqual(["start-date-future"]);
    expect(rulesOf(check([{ ...FINE, "Start Date": "2025-06-01" }]))).toEqual([]);
    expect(rulesOf(check([{ ...FINE, "Start Date": "1/1/20" }]))).toEqual([]);
  });
});

describe("shared-email", () => {
  it("fires for different people on one email, even when it differs in case and spaces", () => {
    const result = check([
      FINE,
      { ...FINE, Contact: "John Smith", Email: "  JANE@Example.COM " },
      { ...FINE, Contact: "Ann Other", Email: "ann@example.com" },
    ]);
    expect(rulesOf(result)).toEqual(["shared-email"]);
    expect(result.findings[0]).toMatchObject({
      contacts: ["Jane Smith", "John Smith"],
      email: "jane@example.com",
      lines: [2, 3],
      patient: "Tom Smith",
    });
    expect(result.findings[0]?.message).toMatch(
      /^Lines 2, 3: Jane Smith and John Smith share the email jane@example\.com/,
    );
  });

  it("is silent for one email per parent", () => {
    expect(rulesOf(check([FINE, { ...FINE, Contact: "John Smith", Email: "john@example.com" }]))).toEqual([]);
  });
});

describe("duplicate-contact", () => {
  it("fires for a maiden and a married name on one email, and it is not a shared email", () => {
    const result = check([
      { ...FINE, Contact: "Smith, Jane" },
      { ...FINE, Contact: "Jane Doe", Patient: "Amy Smith", DOB: "2/2/2017" },
    ]);
    expect(rulesOf(result)).toEqual(["duplicate-contact"]);
    expect(result.findings[0]).toMatchObject({ contacts: ["Smith, Jane", "Jane Doe"], lines: [2, 3] });
    expect(result.findings[0]?.patients).toEqual(["Tom Smith", "Amy Smith"]);
    expect(result.findings[0]?.fix.join(" ")).toMatch(/Contact Manager.*Search.*Ctrl.*Merge.*Yes/);
  });

  it("fires for one name on two contact ids", () => {
    const result = check([
      { ...FINE, ID: "101" },
      { ...FINE, ID: "205", Patient: "Amy Smith", DOB: "2/2/2017" },
    ]);
    expect(rulesOf(result)).toEqual(["duplicate-contact"]);
    expect(result.findings[0]?.message).toMatch(/ids 101, 205/);
  });

  it("fires for the same contact listed twice for one patient", () => {
    const result = check([FINE, { ...FINE, Relationship: "Mother" }]);
    expect(rulesOf(result)).toEqual(["duplicate-contact"]);
    expect(result.findings[0]?.message).toMatch(/listed more than once for Tom Smith/);
  });

  it("finds the patient listed twice among many (a contact on twenty patients)", () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ ...FINE, Patient: `Child ${i}`, DOB: "1/1/2015" }));
    rows.push({ ...FINE, Patient: "Child 7", DOB: "1/1/2015" });
    const result = check(rows);
    expect(result.findings.map((f) => [f.rule, f.lines, f.patient])).toEqual([
      ["duplicate-contact", [9, 22], "Child 7"],
    ]);
  });

  it("is silent for a mother linked to three children", () => {
    const result = check([
      { ...FINE, ID: "7" },
      { ...FINE, ID: "7", Patient: "Amy Smith", DOB: "2/2/2017" },
      { ...FINE, ID: "7", Patient: "Leo Smith", DOB: "9/9/2019" },
    ]);
    expect(result.findings).toEqual([]);
  });

  it("without a patient column, takes all rows to be one patient's contacts", () => {
    const { Patient: _p, DOB: _d, ...pasted } = FINE;
    expect(rulesOf(check([pasted, pasted]))).toEqual(["duplicate-contact"]);
  });
});

describe("findings", () => {
  const messy = [
    {
      ...FINE,
      Contact: "Ann Lee",
      Email: "ann@example.com",
      Patient: "Zed Lee",
      DOB: "1/1/2016",
      Authority: "",
    },
    { ...FINE, Portal: "None", "End Date": "1/1/2020" },
    { ...FINE, Contact: "John Smith", Email: "john@example.com", "Start Date": "7/1/2025" },
  ];

  it("match the Finding schema, with the OP version's navigation in the fix", () => {
    const old = check(messy, { opVersion: "14.10" });
    const current = check(messy, { opVersion: "14.19" });
    for (const finding of [...old.findings, ...current.findings])
      expect(() => Finding.parse(finding)).not.toThrow();
    const portal = (r: typeof old) => r.findings.find((f) => f.rule === "portal-none")?.fix.join(" ");
    expect(portal(old)).toMatch(/Patient Register.*Contacts tab/);
    expect(portal(current)).toMatch(/Patient Chart.*Family Contacts/);
    // Every fix ends with the steps after a change (knowledge/after-changes.md).
    expect(portal(current)).toMatch(/Ask them to log in to the patient portal/);
  });

  it("come blockers first, grouped by patient", () => {
    const result = check(messy);
    expect(result.findings.map((f) => [f.patient, f.rule])).toEqual([
      ["Tom Smith", "portal-none"],
      ["Tom Smith", "end-date-passed"],
      ["Tom Smith", "start-date-future"],
      ["Zed Lee", "authority-blank"],
    ]);
    expect(result.findings.every((f) => f.message.startsWith(`Line ${f.lines[0]}:`))).toBe(true);
  });
});
