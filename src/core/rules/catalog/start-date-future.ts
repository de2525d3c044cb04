import { showDay } from "../dates.js";
import { assumption, mayBeParent } from "../relationship.js";
import type { RowRule } from "../rule.js";
import { advice, appliesTo, mention, patientLabel, rowFinding } from "../rule.js";
import { DATE_EXAMPLES } from "./end-date-passed.js";

// The 14.19 steps ask why before clearing an End Date, and only to look at the Start Date. The
// message already says the fields are normally empty unless a date is set to keep a contact away.
const FIX = advice({
  first: [`Dates like this are set, ${DATE_EXAMPLES}.`],
  last: [
    "The Start Date after today is the same kind of date: once you know why it was set, clear it if the parent should have access now.",
  ],
});

/**
 * OP 14.19: a Start Date after the check date on a parent's contact. The 14.19 article asks to review
 * both date fields, which are generally blank unless set by hand to keep a contact away. (With
 * `--op-version 14.10`, start-date-set reports any Start Date instead.)
 */
export const startDateFuture: RowRule = {
  id: "start-date-future",
  check: "start-end-dates",
  versions: ["14.19"],
  severity: () => "blocker",
  find(record, ctx) {
    if (!appliesTo(this, ctx.opVersion)) return undefined;
    if (!record.start || record.start <= ctx.today.iso || !mayBeParent(record)) return undefined;
    return rowFinding(
      this,
      ctx,
      record,
      `${mention(record.typed.contact, record.line)} has Start Date ${showDay(record.start)} for ${patientLabel(record)}, after ${showDay(ctx.today.iso)}; the date fields are normally empty unless set by hand to keep a contact away.${assumption(record)}`,
      FIX,
    );
  },
};
