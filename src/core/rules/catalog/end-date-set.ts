import { showDay } from "../dates.js";
import { assumption, mayBeParent } from "../relationship.js";
import type { RowRule } from "../rule.js";
import { advice, mention, patientLabel, rowFinding } from "../rule.js";
import { WHY_A_DATE } from "./end-date-passed.js";

// The check's steps say to find out why and clear the End Date; see end-date-passed.
const FIX = advice({ first: [WHY_A_DATE] });

/**
 * An End Date today or later on a parent's or guardian's contact (or one of unknown relationship).
 * The article: an End Date prohibits parental access to the portal (14.19), and the parent has
 * access only with both date fields empty (14.10). So it is a blocker now, not a warning about a
 * future day.
 */
export const endDateSet: RowRule = {
  id: "end-date-set",
  check: "start-end-dates",
  severity: () => "blocker",
  find(record, ctx) {
    if (!record.end || record.end < ctx.today.iso || !mayBeParent(record)) return undefined;
    return rowFinding(
      this,
      ctx,
      record,
      `${mention(record.typed.contact, record.line)} has End Date ${showDay(record.end)} for ${patientLabel(record)}: an End Date on a parent's contact prohibits portal access.${assumption(record)}`,
      FIX,
    );
  },
};
