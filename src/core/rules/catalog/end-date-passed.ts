import { showDay } from "../dates.js";
import { assumption, mayBeParent } from "../relationship.js";
import type { RowRule } from "../rule.js";
import { advice, mention, patientLabel, rowFinding } from "../rule.js";

/**
 * Why a date may be there, in the article's examples, said before the steps: they ask to find out
 * why before clearing a date, and these are the reasons to look for. Each date rule builds its own
 * advice from it (fixes are told apart by array in reports).
 */
export const DATE_EXAMPLES =
  "for example after a death, a babysitter or nanny let go, a court ruling or a divorce";
export const WHY_A_DATE = `These date fields are normally empty: a date is entered by hand to keep a contact from the patient's information, ${DATE_EXAMPLES}.`;
const FIX = advice({ first: [WHY_A_DATE] });

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
