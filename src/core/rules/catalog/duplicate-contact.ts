import { nameKey } from "../names.js";
import { mergeSteps } from "../navigation.js";
import type { EmailRow, EmailRule } from "../rule.js";
import { fixPerVersion, groupFinding } from "../rule.js";

const FIX_MERGE = fixPerVersion((nav) => mergeSteps(nav));
const FIX_LISTED_TWICE = fixPerVersion((nav) => [
  ...mergeSteps(nav),
  `If the search shows a single contact, it is linked to the patient twice: ${lowerFirst(nav.familyContacts)}, then remove the extra line.`,
]);

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
    const findings = [];
    for (const rows of group.byFirstName.values()) {
      if (rows.length < 2) continue;
      const fullNames = new Set(rows.map((row) => nameKey(row.name)?.full));
      const ids = new Set(rows.flatMap((row) => (row.contactId ? [row.contactId] : [])));
      if (fullNames.size > 1) {
        const describe = (contacts: string, patients: string) =>
          `${contacts} have the same email ${group.email} (for ${patients}): most likely one person on several contact records, for example under a maiden and a married name.`;
        findings.push(groupFinding(this, ctx, group.email, rows, describe, FIX_MERGE));
      } else if (ids.size > 1) {
        const describe = (contacts: string, patients: string) =>
          `${contacts} has ${ids.size} contact records (ids ${[...ids].join(", ")}) with the email ${group.email} (for ${patients}); one person should have one contact record.`;
        findings.push(groupFinding(this, ctx, group.email, rows, describe, FIX_MERGE));
      } else {
        const twice = listedTwice(rows);
        if (twice.length === 0) continue;
        const describe = (contacts: string, patients: string) =>
          `${contacts} is listed more than once for ${patients} with the email ${group.email}.`;
        findings.push(groupFinding(this, ctx, group.email, twice, describe, FIX_LISTED_TWICE));
      }
    }
    return findings;
  },
};

/** The rows of patients this (one) contact appears on more than once. */
function listedTwice(rows: readonly EmailRow[]): EmailRow[] {
  const byPatient = new Map<string, EmailRow[]>();
  for (const row of rows) {
    const same = byPatient.get(row.patient.key);
    if (same) same.push(row);
    else byPatient.set(row.patient.key, [row]);
  }
  return [...byPatient.values()].filter((same) => same.length > 1).flat();
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
