import { ageOn, showDay } from "../dates.js";
import { assumption, mayBeParent } from "../relationship.js";
import type { RowRule } from "../rule.js";
import { advice, mention, patientLabel, rowFinding } from "../rule.js";

// The check's steps say Minor ends at 18 and Full is for a patient who needs a parent's help.
const FIX = advice({
  last: ["Good to know: if the patient does not need a parent's help, leave Minor as it is."],
});

/**
 * Portal "Minor" on a patient aged 18 or older (the birthday itself counts): the article says the
 * parent cannot view the records then. Not for a non-parent, for whom Full would mean new access.
 */
export const minorAccessAdult: RowRule = {
  id: "minor-access-adult",
  check: "patient-age",
  severity: () => "blocker",
  find(record, ctx) {
    if (record.portal !== "Minor" || !record.dob || record.dob > ctx.adultBornBy || !mayBeParent(record))
      return undefined;
    const age = ageOn(ctx.today, record.dob);
    return rowFinding(
      this,
      ctx,
      record,
      `${mention(record.typed.contact, record.line)} has Portal "Minor" for ${patientLabel(record)}, who is ${age} (born ${showDay(record.dob)}); with Minor, a parent cannot view the records of a patient aged 18 or older.${assumption(record)}`,
      FIX,
    );
  },
};
