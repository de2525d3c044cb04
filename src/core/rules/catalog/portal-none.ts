import { assumption, mayBeParent } from "../relationship.js";
import type { RowRule } from "../rule.js";
import { advice, mention, patientLabel, rowFinding } from "../rule.js";

// The check's steps ask why None was chosen before any change, then name Minor for a child and Full
// for a patient who needs a parent's help after 18: the rule says which of the two fits this patient.
const FIX_CHILD = advice({
  last: ["The patient is under 18 by the birth date given, so the setting to choose is Minor."],
});
const FIX_ADULT = advice({
  last: [
    "The patient is 18 or older by the birth date given, so Minor would not let the parent see the records; Full is the choice only if the patient needs that help.",
  ],
});
const FIX_UNKNOWN_AGE = advice({
  last: [
    "The input gives no birth date: confirm whether the patient is under 18 before choosing between Minor and Full.",
  ],
});

/**
 * Portal "None": the contact has no portal access to this patient (the article's meaning of None).
 * Only for a parent or guardian, or a contact of unknown relationship: a babysitter or other
 * non-parent with None is not a finding, and no fix ever suggests access for one.
 */
export const portalNone: RowRule = {
  id: "portal-none",
  check: "portal-access",
  severity: () => "blocker",
  find(record, ctx) {
    if (record.portal !== "None" || !mayBeParent(record)) return undefined;
    const fix = !record.dob ? FIX_UNKNOWN_AGE : record.dob > ctx.adultBornBy ? FIX_CHILD : FIX_ADULT;
    return rowFinding(
      this,
      ctx,
      record,
      `${mention(record.typed.contact, record.line)} has Portal "None" for ${patientLabel(record)}: this contact has no portal access to this patient.${assumption(record)}`,
      fix,
    );
  },
};
