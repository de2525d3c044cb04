import { showDay } from "../dates.js";
import type { RowRule } from "../rule.js";
import { fixPerVersion, mention, patientLabel, rowFinding } from "../rule.js";

const FIX = fixPerVersion((nav) => [
  `${nav.familyContacts}.`,
  "Clear this contact's Start Date (or set it to today or earlier), unless access is meant to begin later.",
]);

/** A Start Date after the check date: no access until then. */
export const startDateFuture: RowRule = {
  id: "start-date-future",
  check: "start-end-dates",
  severity: () => "blocker",
  find(record, ctx) {
    if (!record.start || record.start <= ctx.today.iso) return undefined;
    return rowFinding(
      this,
      ctx,
      record,
      `${mention(record.typed.contact, record.line)} has Start Date ${showDay(record.start)} for ${patientLabel(record)}, after ${showDay(ctx.today.iso)}; no portal access before then.`,
      FIX,
    );
  },
};
