import { assumption, mayBeParent } from "../relationship.js";
import type { RowRule } from "../rule.js";
import { advice, mention, patientLabel, rowFinding } from "../rule.js";

const FIX = advice(
  "Authority None records that this parent or guardian was banned from contact with the patient and from medical decisions. Find out why it was set before changing it (good to know: custody papers or a court order on file usually say); only if the ban no longer applies, set Authority to match the custody: Exclusive, Joint or blank.",
);

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
