import { assumption, mayBeParent } from "../relationship.js";
import type { RowRule } from "../rule.js";
import { advice, mention, patientLabel, rowFinding } from "../rule.js";

// The check's steps open the contact's row; entering the email there is this finding's own change.
const FIX = advice({
  last: [
    "Enter this parent's own email address on the contact: because of HIPAA, each parent needs a portal account of their own.",
  ],
});

/**
 * Portal access is set on a parent's contact, but it has no email address for the parent's own
 * portal account. Not for a non-parent: adding an email there would open the portal to them.
 */
export const missingEmail: RowRule = {
  id: "missing-email",
  check: "portal-access",
  severity: () => "blocker",
  find(record, ctx) {
    if (record.email !== null || !record.portal || record.portal === "None") return undefined;
    if (!mayBeParent(record)) return undefined;
    return rowFinding(
      this,
      ctx,
      record,
      `${mention(record.typed.contact, record.line)} has Portal "${record.portal}" for ${patientLabel(record)} but no email address; the article asks for each parent's portal account email, one address per contact.${assumption(record)}`,
      FIX,
    );
  },
};
