import { ageOn, showDay } from "../dates.js";
import type { RowRule } from "../rule.js";
import { fixPerVersion, mention, patientLabel, rowFinding } from "../rule.js";

const FIX = fixPerVersion((nav) => [
  `${nav.familyContacts}.`,
  "Minor access ends on the patient's 18th birthday. If this parent should keep access (for example, the patient needs their help as an adult), set this contact's Portal to Full; otherwise the lost access is expected.",
]);

/** Portal "Minor" stops working once the patient is 18 (the birthday itself counts). */
export const minorAccessAdult: RowRule = {
  id: "minor-access-adult",
  check: "patient-age",
  severity: () => "blocker",
  find(record, ctx) {
    if (record.portal !== "Minor" || !record.dob || record.dob > ctx.adultBornBy) return undefined;
    const age = ageOn(ctx.today, record.dob);
    return rowFinding(
      this,
      ctx,
      record,
      `${mention(record.typed.contact, record.line)} has Portal "Minor" for ${patientLabel(record)}, who is ${age} (born ${showDay(record.dob)}); Minor access ends at 18.`,
      FIX,
    );
  },
};
