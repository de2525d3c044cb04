import type { RowRule } from "../rule.js";
import { fixPerVersion, mention, patientLabel, rowFinding } from "../rule.js";

const FIX = fixPerVersion((nav) => [
  `${nav.familyContacts}.`,
  "Authority None means this contact was barred from contact with the patient and from medical decisions. Check the custody papers on file first; only if that no longer applies, set Authority to Exclusive, Joint or blank.",
]);

/** Authority "None": the contact is barred from the patient, so the portal shows nothing. */
export const authorityNone: RowRule = {
  id: "authority-none",
  check: "portal-authority",
  severity: () => "blocker",
  find(record, ctx) {
    if (record.authority !== "None") return undefined;
    return rowFinding(
      this,
      ctx,
      record,
      `${mention(record.typed.contact, record.line)} has Authority "None" for ${patientLabel(record)}, which bars portal access to this patient.`,
      FIX,
    );
  },
};
