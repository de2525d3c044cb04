import { showDay } from "../dates.js";
import { assumption, mayBeParent } from "../relationship.js";
import type { RowRule } from "../rule.js";
import { advice, appliesTo, mention, patientLabel, rowFinding } from "../rule.js";
import { WHY_A_DATE } from "./end-date-passed.js";

// The 14.10 steps say both fields must be empty, and to find out why before clearing a date.
const FIX = advice({ first: [WHY_A_DATE] });

/**
 * OP 14.10 only: any Start Date on a parent's or guardian's contact (or one of unknown
 * relationship). The 14.10 article asks that there be no dates in the Start Date and End Date
 * fields for the parent to have access, whatever the date.
 */
export const startDateSet: RowRule = {
  id: "start-date-set",
  check: "start-end-dates",
  versions: ["14.10"],
  severity: () => "blocker",
  find(record, ctx) {
    if (!appliesTo(this, ctx.opVersion) || !record.start || !mayBeParent(record)) return undefined;
    return rowFinding(
      this,
      ctx,
      record,
      `${mention(record.typed.contact, record.line)} has Start Date ${showDay(record.start)} for ${patientLabel(record)}: in OP 14.10 a parent has access only with both date fields empty.${assumption(record)}`,
      FIX,
    );
  },
};
