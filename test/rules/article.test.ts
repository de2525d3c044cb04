import { describe, expect, it } from "vitest";
import { RULE_IDS, type RuleId } from "../../src/core/rules/schema.js";
import { ARTICLE, inArticle, NOT_IN_THE_ARTICLE } from "../support/article.js";
import { check, FINE, ONE_ROW_PER_RULE, type Row, rulesOf } from "../support/rules.js";

/**
 * Every rule rests on a sentence of the help article. Each test below quotes that sentence (word for
 * word: checked against the article when it is at hand) and holds the rule to it, with the
 * boundaries where staff would otherwise be misled: a babysitter is not a parent, any End Date on a
 * parent is a blocker, and the Start Date reads differently in the two versions.
 */
const QUOTES: Record<RuleId, readonly string[]> = {
  "shared-email": ["Due to HIPAA restrictions, each parent is required to have their own account."],
  "duplicate-contact": ["If more than one Contact is displayed, they need to be merged"],
  "patient-inactive": ["Patients need to be Active in order to be displayed on the portal."],
  "minor-access-adult": [
    "If a parent is trying to view records for a patient aged 18+, then they will not be able to view the patient's records if the portal access (see below) is set to Minor.",
  ],
  "portal-none": [
    "None: This Contact does not have access to this patient via the web portal.",
    "babysitter/nanny gets fired",
  ],
  "missing-email": [
    "If parents want to use the same email for the portal account, the Email Address will need to be on only one Contact.",
    "Parent's portal account email.",
  ],
  "authority-none": [
    "None- This parent/guardian has been banned from contact with and medical decision making for the patient. This parent will not be able to access the patient using the portal.",
  ],
  "authority-blank": [
    "Blank- This is the default selection and indicates that there are no authority rules.",
    "If you had a Patient Portal from 2006 - 2010, leaving this field blank may result in errors for the Parent.",
  ],
  "end-date-passed": [
    "If there is an End Date prior to today's date, the Portal account will display a Server Error.",
  ],
  "end-date-set": [
    "Ensure that there is not an End Date set in the End Date field. An End Date will prohibit parental access to the portal.",
  ],
  "start-date-future": [
    "Review the Start and End Date fields for the parental contact information.",
    "Generally, these fields are blank unless a date has been manually set to prohibit a Contact from gaining access to the patient information",
  ],
  "start-date-set": [
    "Ensure that there are no dates in the Start Date and End Date fields for the Parent to have access to their child's records.",
  ],
};

describe("the article sentences the rules rest on", () => {
  it("name every rule", () => {
    expect(Object.keys(QUOTES).sort()).toEqual([...RULE_IDS].sort());
  });

  it.skipIf(ARTICLE === undefined)("are the article's own words", () => {
    for (const [rule, quotes] of Object.entries(QUOTES)) {
      for (const quote of quotes) expect(inArticle(quote), `${rule}: ${quote}`).toBe(true);
    }
  });
});

const findingsOf = (rows: Row[], options: Parameters<typeof check>[1] = {}) =>
  check(rows, options).findings.map((f) => [f.rule, f.severity]);
const fixOf = (rows: Row[], rule: RuleId, options: Parameters<typeof check>[1] = {}) =>
  check(rows, options)
    .findings.find((f) => f.rule === rule)
    ?.fix.join(" ") ?? "";
const messageOf = (rows: Row[], rule: RuleId, options: Parameters<typeof check>[1] = {}) =>
  check(rows, options).findings.find((f) => f.rule === rule)?.message ?? "";

/** Advice that would open the portal to a contact. */
const GRANTS =
  /choose Minor|choose Full|set .*Portal to Full|clear the (End|Start) Date|clearing it|clear it|set Authority|Enter this parent's own email/i;

describe(`shared-email: "${QUOTES["shared-email"][0]}"`, () => {
  it("is a blocker for two parents on one email, and the fix keeps the address on one contact", () => {
    const rows = [FINE, { ...FINE, Contact: "John Smith" }];
    expect(findingsOf(rows)).toEqual([["shared-email", "blocker"]]);
    expect(fixOf(rows, "shared-email")).toMatch(/the address may stay on only one of the two contacts/);
  });
});

describe(`duplicate-contact: "${QUOTES["duplicate-contact"][0]}"`, () => {
  it("searches by email and merges; the article's example is a personal and a professional last name", () => {
    const rows = [FINE, { ...FINE, Contact: "Jane Doe", Patient: "Amy Smith" }];
    expect(findingsOf(rows)).toEqual([["duplicate-contact", "blocker"]]);
    expect(messageOf(rows, "duplicate-contact")).toMatch(/a personal and a professional last name/);
    expect(fixOf(rows, "duplicate-contact")).toMatch(/Search.*Merge/);
  });
});

describe(`patient-inactive: "${QUOTES["patient-inactive"][0]}"`, () => {
  it("is a blocker whoever the contact is, and never says more than the article about why", () => {
    const rows = [{ ...FINE, Status: "Inactive", Relationship: "Babysitter" }];
    expect(findingsOf(rows)).toEqual([["patient-inactive", "blocker"]]);
    expect(fixOf(rows, "patient-inactive")).toMatch(
      /Good to know: a status other than Active may be deliberate/,
    );
  });
});

describe(`minor-access-adult: "${QUOTES["minor-access-adult"][0]}"`, () => {
  it("is a blocker for a parent; Full is offered only for a patient who needs a parent's help", () => {
    const rows = [{ ...FINE, DOB: "1/1/2000", Relationship: "Father" }];
    expect(findingsOf(rows)).toEqual([["minor-access-adult", "blocker"]]);
    const fix = fixOf(rows, "minor-access-adult");
    expect(fix).toMatch(/Full is the setting for a patient who needs a parent's help .*if that is the case/);
    expect(fix).toMatch(/if the patient does not need a parent's help, leave Minor as it is/);
  });

  it("is silent for a babysitter: Full would be new access for a non-parent", () => {
    expect(findingsOf([{ ...FINE, DOB: "1/1/2000", Relationship: "Babysitter" }])).toEqual([]);
  });
});

describe(`portal-none: "${QUOTES["portal-none"][0]}"`, () => {
  it("is a blocker for a parent or guardian, with a fix that asks why before choosing Minor", () => {
    for (const relationship of ["Mother", "Father", "Step-father", "Legal Guardian", "Mother, custodial"]) {
      const rows = [{ ...FINE, Portal: "None", Relationship: relationship }];
      expect(findingsOf(rows), relationship).toEqual([["portal-none", "blocker"]]);
      const fix = fixOf(rows, "portal-none");
      expect(fix).toMatch(/Good to know: None is sometimes chosen on purpose, so find out why/);
      expect(fix.indexOf("find out why")).toBeLessThan(fix.indexOf("choose Minor"));
    }
  });

  it(`is silent for a babysitter or nanny (the article: "${QUOTES["portal-none"][1]}") and other non-parents`, () => {
    for (const relationship of ["Babysitter", "Nanny", "Grandmother", "Aunt", "Sitter", "Self"]) {
      expect(findingsOf([{ ...FINE, Portal: "None", Relationship: relationship }]), relationship).toEqual([]);
    }
  });

  it("assumes a parent when the input gives no relationship, and says so", () => {
    const noColumn = [{ ...FINE, Portal: "None" }];
    const blankCell = [{ ...FINE, Portal: "None", Relationship: "" }];
    for (const rows of [noColumn, blankCell]) {
      expect(findingsOf(rows)).toEqual([["portal-none", "blocker"]]);
      expect(messageOf(rows, "portal-none")).toMatch(/this assumes a parent or guardian/);
    }
    expect(messageOf([{ ...FINE, Portal: "None", Relationship: "Mother" }], "portal-none")).not.toMatch(
      /assumes/,
    );
  });
});

describe(`missing-email: "${QUOTES["missing-email"][0]}"`, () => {
  it("is a blocker for a parent with portal access and no email", () => {
    expect(findingsOf([{ ...FINE, Email: "", Relationship: "Mother" }])).toEqual([
      ["missing-email", "blocker"],
    ]);
  });

  it("is silent for a babysitter: an email there would open the portal to a non-parent", () => {
    expect(findingsOf([{ ...FINE, Email: "", Relationship: "Babysitter" }])).toEqual([]);
  });
});

describe(`authority-none: "${QUOTES["authority-none"][0]}"`, () => {
  it("is a blocker for a parent; the fix asks why before any change", () => {
    const rows = [{ ...FINE, Authority: "None", Relationship: "Father" }];
    expect(findingsOf(rows)).toEqual([["authority-none", "blocker"]]);
    const fix = fixOf(rows, "authority-none");
    const ask = fix.search(/change it only when the practice confirms the ban no longer applies/);
    expect(ask).toBeGreaterThan(-1);
    expect(ask).toBeLessThan(fix.indexOf("choose the Authority that matches the custody"));
  });

  it("is silent for a nanny", () => {
    expect(findingsOf([{ ...FINE, Authority: "None", Relationship: "Nanny" }])).toEqual([]);
  });
});

describe(`authority-blank: "${QUOTES["authority-blank"][1]}"`, () => {
  it("names the 2006–2010 portal as the only reason, never a server error by itself", () => {
    const rows = [{ ...FINE, Authority: "" }];
    expect(findingsOf(rows)).toEqual([["authority-blank", "warning"]]);
    expect(findingsOf(rows, { legacyPortal: true })).toEqual([["authority-blank", "blocker"]]);
    for (const options of [{}, { legacyPortal: true }]) {
      const fix = fixOf(rows, "authority-blank", options);
      if (!("legacyPortal" in options))
        expect(fix).toMatch(
          /If the practice's patient portal does not date from 2006 to 2010, leave the blank as it is/,
        );
      // The old advice also sent staff here for "a server error at login", which is the End Date's symptom.
      expect(fix).not.toMatch(/or the parent gets a server error/i);
      expect(messageOf(rows, "authority-blank", options)).toMatch(/2006–2010/);
    }
  });

  it("says nothing for a contact who is not meant to use the portal", () => {
    expect(findingsOf([{ ...FINE, Authority: "", Relationship: "Babysitter" }])).toEqual([]);
    expect(findingsOf([{ ...FINE, Authority: "", Portal: "None", Relationship: "Nanny" }])).toEqual([]);
    // A parent with Portal None: portal-none says what matters; a blank Authority adds nothing.
    expect(findingsOf([{ ...FINE, Authority: "", Portal: "None", Relationship: "Mother" }])).toEqual([
      ["portal-none", "blocker"],
    ]);
  });
});

describe(`end dates: "${QUOTES["end-date-passed"][0]}" / "${QUOTES["end-date-set"][0]}"`, () => {
  const parent = (end: string, relationship = "Mother") => [
    { ...FINE, "End Date": end, Relationship: relationship },
  ];

  it("yesterday: end-date-passed, a blocker that names the Server Error", () => {
    expect(findingsOf(parent("5/31/2025"))).toEqual([["end-date-passed", "blocker"]]);
    expect(messageOf(parent("5/31/2025"), "end-date-passed")).toMatch(/Server Error/);
  });

  it("today and next year: end-date-set, a blocker (an End Date prohibits access), never 'works until then'", () => {
    for (const end of ["6/1/2025", "6/1/2026"]) {
      expect(findingsOf(parent(end)), end).toEqual([["end-date-set", "blocker"]]);
      const message = messageOf(parent(end), "end-date-set");
      expect(message).toMatch(/prohibits portal access/);
      expect(message).not.toMatch(/until|stops on that day/);
    }
  });

  it("asks staff to find out why before clearing it, in both versions", () => {
    for (const opVersion of ["14.19", "14.10"] as const) {
      for (const [end, rule] of [
        ["5/31/2025", "end-date-passed"],
        ["6/1/2026", "end-date-set"],
      ] as const) {
        const fix = fixOf(parent(end), rule, { opVersion });
        // Why such a date is set comes first; the check's step asks why before clearing it.
        expect(fix).toMatch(/^These date fields are normally empty: .*a babysitter or nanny let go/);
        const ask = fix.indexOf("find out why");
        expect(ask).toBeGreaterThan(-1);
        expect(ask).toBeLessThan(fix.search(/clearing it|clear it/));
      }
    }
  });

  it("is silent for a babysitter or nanny let go, whatever the date", () => {
    for (const end of ["5/31/2025", "6/1/2025", "6/1/2026"]) {
      expect(findingsOf(parent(end, "Babysitter")), end).toEqual([]);
      expect(findingsOf(parent(end, "Nanny")), end).toEqual([]);
    }
  });

  it("reports an End Date when the relationship is not given, saying it assumes a parent", () => {
    const rows = [{ ...FINE, "End Date": "6/1/2026" }];
    expect(findingsOf(rows)).toEqual([["end-date-set", "blocker"]]);
    expect(messageOf(rows, "end-date-set")).toMatch(/assumes a parent or guardian/);
  });
});

describe(`start dates: "${QUOTES["start-date-set"][0]}" (14.10) / "${QUOTES["start-date-future"][0]}" (14.19)`, () => {
  const parent = (start: string, relationship = "Father") => [
    { ...FINE, "Start Date": start, Relationship: relationship },
  ];

  it("OP 14.10: any Start Date on a parent is start-date-set, past, today or future", () => {
    for (const start of ["1/1/2020", "6/1/2025", "6/2/2025"]) {
      expect(findingsOf(parent(start), { opVersion: "14.10" }), start).toEqual([
        ["start-date-set", "blocker"],
      ]);
    }
    expect(fixOf(parent("1/1/2020"), "start-date-set", { opVersion: "14.10" })).toMatch(
      /both date fields are empty; find out why a date was set, and clear it/,
    );
  });

  it("OP 14.19: only a Start Date after today is a finding (start-date-future); start-date-set never fires", () => {
    expect(findingsOf(parent("6/2/2025"), { opVersion: "14.19" })).toEqual([
      ["start-date-future", "blocker"],
    ]);
    expect(findingsOf(parent("6/1/2025"), { opVersion: "14.19" })).toEqual([]);
    expect(findingsOf(parent("1/1/2020"), { opVersion: "14.19" })).toEqual([]);
  });

  it("is silent for a non-parent in either version", () => {
    for (const opVersion of ["14.19", "14.10"] as const) {
      expect(findingsOf(parent("6/2/2025", "Babysitter"), { opVersion })).toEqual([]);
    }
  });
});

describe("no rule advises access for a non-parent", () => {
  it("gives a babysitter with every setting wrong no finding that would open the portal to them", () => {
    const sitter = {
      ...FINE,
      Relationship: "Babysitter",
      Email: "",
      Portal: "None",
      Authority: "None",
      "Start Date": "1/1/2020",
      "End Date": "1/1/2024",
      DOB: "1/1/2000",
    };
    for (const opVersion of ["14.19", "14.10"] as const) {
      for (const legacyPortal of [false, true]) {
        const result = check([sitter, { ...sitter, Portal: "Minor", Authority: "" }], {
          opVersion,
          legacyPortal,
        });
        expect(rulesOf(result)).toEqual([]);
      }
    }
  });

  it("gives the same rows as a parent's every finding, with advice to grant only after asking why", () => {
    const rows = [{ ...FINE, Relationship: "Mother", Portal: "None", "End Date": "1/1/2024" }];
    const result = check(rows);
    expect(rulesOf(result)).toEqual(["end-date-passed", "portal-none"]);
    for (const finding of result.findings) {
      const fix = finding.fix.join(" ");
      expect(fix, finding.rule).toMatch(GRANTS);
      expect(fix, finding.rule).toMatch(/find out why/i);
    }
  });
});

describe("rule messages and fixes", () => {
  it("have none of the sentences that said more than the article, in either version", () => {
    const rows = ONE_ROW_PER_RULE;
    const seen = new Set<string>();
    for (const opVersion of ["14.19", "14.10"] as const) {
      for (const legacyPortal of [false, true]) {
        for (const finding of check(rows, { opVersion, legacyPortal }).findings) {
          seen.add(finding.rule);
          const text = [finding.message, ...finding.fix].join("\n");
          for (const [pattern, why] of NOT_IN_THE_ARTICLE)
            expect(text, `${finding.rule}: ${why}`).not.toMatch(pattern);
        }
      }
    }
    // Every rule was looked at (start-date-set under 14.10, start-date-future under 14.19).
    expect([...seen].sort()).toEqual([...RULE_IDS].sort());
  });
});
