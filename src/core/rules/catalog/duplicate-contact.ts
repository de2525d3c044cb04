import { repeatedPatients } from "../email-index.js";
import type { EmailRule } from "../rule.js";
import { advice, groupFinding } from "../rule.js";

// The check's steps search the email in the Contact Manager and merge what comes back.
const FIX_MERGE = advice();
const FIX_LISTED_TWICE = advice({
  last: [
    "Good to know: if the search finds a single contact, it is linked to the patient twice: remove the extra line from the patient's contacts.",
  ],
});

/**
 * One email on two records of the same person (same first name): another full name (maiden and
 * married), other contact ids, or the same contact listed twice for one patient. The same contact
 * on rows of different patients is one parent with several children, and is fine.
 */
export const duplicateContact: EmailRule = {
  id: "duplicate-contact",
  check: "duplicate-contact",
  severity: () => "blocker",
  find(group, ctx) {
    if (group.oneContact) {
      // The common case (a parent of several children): only "listed twice" can apply.
      const twice = group.repeatedPatientRows();
      if (twice.length === 0 || twice[0]?.name === "") return [];
      return [groupFinding(this, ctx, group.email, twice, listedTwiceText(group.email), FIX_LISTED_TWICE)];
    }
    const findings = [];
    for (const rows of group.byFirstName.values()) {
      if (rows.length < 2) continue;
      const fullNames = new Set(rows.map((row) => group.names.get(row.name)?.full));
      const ids = new Set(rows.flatMap((row) => (row.contactId ? [row.contactId] : [])));
      if (fullNames.size > 1) {
        const describe = (contacts: string, patients: string) =>
          `${contacts} have the same email ${group.email} (for ${patients}): possibly one person on several contact records, for example under a personal and a professional last name.`;
        findings.push(groupFinding(this, ctx, group.email, rows, describe, FIX_MERGE));
      } else if (ids.size > 1) {
        const describe = (contacts: string, patients: string) =>
          `${contacts} has ${ids.size} contact records (ids ${[...ids].join(", ")}) with the email ${group.email} (for ${patients}); one person should have one contact record.`;
        findings.push(groupFinding(this, ctx, group.email, rows, describe, FIX_MERGE));
      } else {
        const twice = repeatedPatients(rows);
        if (twice.length > 0) {
          findings.push(
            groupFinding(this, ctx, group.email, twice, listedTwiceText(group.email), FIX_LISTED_TWICE),
          );
        }
      }
    }
    return findings;
  },
};

const listedTwiceText = (email: string) => (contacts: string, patients: string) =>
  `${contacts} is listed more than once for ${patients} with the email ${email}.`;
