import { assumption, mayBeParent } from "../relationship.js";
import type { RowRule } from "../rule.js";
import { advice, mention, patientLabel, rowFinding } from "../rule.js";

// The check's steps say what None means and to change it only once the ban no longer applies; the
// rule adds where to look for that, and which Authority to choose then.
const FIX = advice({
  last: [
    "Good to know: custody papers or a court order on file usually say whether the ban still applies.",
    "To change it, choose the Authority that matches the custody: Exclusive (one parent or guardian has full custody), Joint (custody is shared) or blank (no authority rules; typical when the parents are together).",
  ],
});

/**
 * Authority "None": the parent or guardian is banned from contact and medical decisions, and cannot
 * reach the patient on the portal. Not for a contact the input names as a non-parent.
 */
export const authorityNone: RowRule = {
  id: "authority-none",
  check: "portal-authority",
  severity: () => "blocker",
  find(record, ctx) {
    if (record.authority !== "None" || !mayBeParent(record)) return undefined;
    return rowFinding(
      this,
      ctx,
      record,
      `${mention(record.typed.contact, record.line)} has Authority "None" for ${patientLabel(record)}: a contact banned from the patient, who cannot reach this patient on the portal.${assumption(record)}`,
      FIX,
    );
  },
};
