import type { RowRule } from "../rule.js";
import { advice, mention, patientSubject, rowFinding } from "../rule.js";

// The check's steps set the Status to Active; they do not say it may have been set on purpose.
const FIX = advice({
  first: [
    "Good to know: a status other than Active may be deliberate (for example, a patient who left the practice); check before changing it.",
  ],
});

/** The patient's status is not Active, so no contact sees them on the portal. */
export const patientInactive: RowRule = {
  id: "patient-inactive",
  check: "patient-status",
  severity: () => "blocker",
  find(record, ctx) {
    if (!record.status || record.status === "active") return undefined;
    return rowFinding(
      this,
      ctx,
      record,
      `${patientSubject(record)} has status "${record.typed.status}", not Active, so ${mention(record.typed.contact, record.line)} cannot see them on the portal: only Active patients are displayed there.`,
      FIX,
    );
  },
};
