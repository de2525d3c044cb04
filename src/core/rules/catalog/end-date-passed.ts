import { showDay } from "../dates.js";
import { assumption, mayBeParent } from "../relationship.js";
import type { RowRule } from "../rule.js";
import { advice, mention, patientLabel, rowFinding } from "../rule.js";

/** Why a date may be there, in the article's examples: never cleared without asking. */
export const FIND_OUT_WHY =
  "Find out why the date was set before clearing it: these fields are normally empty, and a date is entered by hand to keep a contact from the patient's information (for example after a death, a babysitter or nanny let go, a court ruling or a divorce).";
/** The End Date rules' advice. Each rule builds its own (fixes are told apart by array in reports). */
export const CLEAR_END_DATE = [
  FIND_OUT_WHY,
  "If this parent or guardian should have access, clear the End Date.",
];
const FIX = advice(...CLEAR_END_DATE);

/**
 * An End Date before the check date on a parent's or guardian's contact (or one of unknown
 * relationship): the article says the portal account then shows a Server Error. Silent for a
 * non-parent, whose End Date is the article's way of keeping them off (a nanny let go).
 */
export const endDatePassed: RowRule = {
  id: "end-date-passed",
  check: "start-end-dates",
  severity: () => "blocker",
  find(record, ctx) {
    if (!record.end || record.end >= ctx.today.iso || !mayBeParent(record)) return undefined;
    return rowFinding(
      this,
      ctx,
      record,
      `${mention(record.typed.contact, record.line)} has End Date ${showDay(record.end)} for ${patientLabel(record)}, before ${showDay(ctx.today.iso)}: with an End Date before today the portal account shows a Server Error.${assumption(record)}`,
      FIX,
    );
  },
};
