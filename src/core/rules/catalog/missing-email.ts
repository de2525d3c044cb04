import type { RowRule } from "../rule.js";
import { fixPerVersion, mention, patientLabel, rowFinding } from "../rule.js";

const FIX = fixPerVersion((nav) => [
  `${nav.familyContacts}.`,
  "Enter this parent's own email on the contact: the portal account is tied to it, and no other contact may use the same one.",
]);

/** Portal access is set, but the contact has no email for a portal account. */
export const missingEmail: RowRule = {
  id: "missing-email",
  check: "portal-access",
  severity: () => "blocker",
  find(record, ctx) {
    if (record.email !== null || !record.portal || record.portal === "None") return undefined;
    return rowFinding(
      this,
      ctx,
      record,
      `${mention(record.typed.contact, record.line)} has Portal "${record.portal}" for ${patientLabel(record)} but no email, so there is no portal account to sign in with.`,
      FIX,
    );
  },
};
