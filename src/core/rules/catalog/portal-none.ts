import { assumption, mayBeParent } from "../relationship.js";
import type { RowRule } from "../rule.js";
import { advice, mention, patientLabel, rowFinding } from "../rule.js";

/** Said before any change: the article gives no reason for None, and it may be deliberate. */
const ON_PURPOSE =
  "Good to know: None is sometimes chosen on purpose (a custody arrangement, a court order), so find out why this contact has None before changing it.";

// The setting the article describes depends on the patient's age when it is known.
const FIX_CHILD = advice(
  ON_PURPOSE,
  "If this parent or guardian should see the patient, choose Minor in this contact's Portal column (access until the patient's 18th birthday).",
);
const FIX_ADULT = advice(
  ON_PURPOSE,
  "The patient is 18 or older: Full is the setting for a patient who needs a parent's help after turning 18; choose it in this contact's Portal column only if that is the case.",
);
const FIX_UNKNOWN_AGE = advice(
  ON_PURPOSE,
  "If this parent or guardian should see the patient, choose Minor in this contact's Portal column for a patient under 18, or Full for a patient who needs a parent's help after turning 18.",
);

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
