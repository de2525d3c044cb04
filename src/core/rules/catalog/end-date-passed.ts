import { showDay } from "../dates.js";
import type { RowRule } from "../rule.js";
import { fixPerVersion, mention, patientLabel, rowFinding } from "../rule.js";

export const CLEAR_END_DATE =
  "Clear this contact's End Date, unless access was ended on purpose (a court order, a custody change, a caregiver who left, a death).";
const FIX = fixPerVersion((nav) => [`${nav.familyContacts}.`, CLEAR_END_DATE]);

/** An End Date before the check date: the portal answers this parent with a server error. */
export const endDatePassed: RowRule = {
  id: "end-date-passed",
  check: "start-end-dates",
  severity: () => "blocker",
  find(record, ctx) {
    if (!record.end || record.end >= ctx.today.iso) return undefined;
    return rowFinding(
      this,
      ctx,
      record,
      `${mention(record.typed.contact, record.line)} has End Date ${showDay(record.end)} for ${patientLabel(record)}, before ${showDay(ctx.today.iso)}; the portal gives this parent a server error.`,
      FIX,
    );
  },
};
