import type { RowRule } from "../rule.js";
import { fixPerVersion, mention, patientSubject, rowFinding } from "../rule.js";

const FIX = fixPerVersion((nav) => [
  `${nav.patientStatus}.`,
  "If the patient is still seen at the practice, set Status to Active: only Active patients appear on the portal.",
]);

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
      `${patientSubject(record)} has status "${record.typed.status}", not Active, so ${mention(record.typed.contact, record.line)} cannot see them on the portal.`,
      FIX,
    );
  },
};
