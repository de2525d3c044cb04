import type { RowRule } from "../rule.js";
import { fixPerVersion, mention, patientLabel, rowFinding } from "../rule.js";

// The right setting depends on the patient's age when it is known.
const FIX_CHILD = fixPerVersion((nav) => [
  `${nav.familyContacts}.`,
  "In the Portal column of this contact choose Minor (access until the patient turns 18).",
]);
const FIX_ADULT = fixPerVersion((nav) => [
  `${nav.familyContacts}.`,
  "The patient is 18 or older: choose Full in the Portal column of this contact only if the patient still needs this parent's help.",
]);
const FIX_UNKNOWN_AGE = fixPerVersion((nav) => [
  `${nav.familyContacts}.`,
  "In the Portal column of this contact choose Minor for a patient under 18, or Full for an adult patient who still needs this parent's help.",
]);

/** Portal "None": this contact has no portal access to this patient. */
export const portalNone: RowRule = {
  id: "portal-none",
  check: "portal-access",
  severity: () => "blocker",
  find(record, ctx) {
    if (record.portal !== "None") return undefined;
    const fix = !record.dob ? FIX_UNKNOWN_AGE : record.dob > ctx.adultBornBy ? FIX_CHILD : FIX_ADULT;
    return rowFinding(
      this,
      ctx,
      record,
      `${mention(record.typed.contact, record.line)} has Portal "None" for ${patientLabel(record)}: no portal access to this patient.`,
      fix,
    );
  },
};
