import { showDay } from "../dates.js";
import type { RowRule } from "../rule.js";
import { fixPerVersion, mention, patientLabel, rowFinding } from "../rule.js";
import { CLEAR_END_DATE } from "./end-date-passed.js";

const FIX = fixPerVersion((nav) => [`${nav.familyContacts}.`, CLEAR_END_DATE]);

/** An End Date on or after the check date: access works now but stops on that day. */
export const endDateSet: RowRule = {
  id: "end-date-set",
  check: "start-end-dates",
  severity: () => "warning",
  find(record, ctx) {
    if (!record.end || record.end < ctx.today.iso) return undefined;
    return rowFinding(
      this,
      ctx,
      record,
      `${mention(record.typed.contact, record.line)} has End Date ${showDay(record.end)} for ${patientLabel(record)}; portal access stops on that day.`,
      FIX,
    );
  },
};
