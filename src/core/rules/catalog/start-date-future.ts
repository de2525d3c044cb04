import { showDay } from "../dates.js";
import { assumption, mayBeParent } from "../relationship.js";
import type { RowRule } from "../rule.js";
import { advice, appliesTo, mention, patientLabel, rowFinding } from "../rule.js";
import { FIND_OUT_WHY } from "./end-date-passed.js";

const FIX = advice(FIND_OUT_WHY, "If this parent or guardian should have access now, clear the Start Date.");

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
