import { assumption, mayBeParent } from "../relationship.js";
import type { RowRule } from "../rule.js";
import { advice, mention, patientLabel, rowFinding } from "../rule.js";

// The check's steps say to set Exclusive or Joint for a practice whose portal dates from 2006–2010,
// and check the errors; the rule adds what the two mean, and (not knowing the portal's age) when to
// leave the blank.
const CUSTODY =
  "Exclusive is for one parent or guardian with full custody, Joint for custody that is shared.";
const FIX_LEGACY = advice({ last: [CUSTODY] });
const FIX = advice({
  last: [
    CUSTODY,
    "If the practice's patient portal does not date from 2006 to 2010, leave the blank as it is.",
  ],
});

/**
 * Authority left blank (the default, which lets a parent reach the patient). The article warns only
 * practices whose patient portal dates from 2006–2010 that it may give the parent errors; with the
 * legacy-portal option it is a blocker. Silent for a contact who is not meant to use the portal: a
 * non-parent, or a contact whose Portal is None.
 */
export const authorityBlank: RowRule = {
  id: "authority-blank",
  check: "portal-authority",
  severity: (ctx) => (ctx.legacyPortal ? "blocker" : "warning"),
  find(record, ctx) {
    if (record.authority !== null || record.portal === "None" || !mayBeParent(record)) return undefined;
    const who = `${mention(record.typed.contact, record.line)} has a blank Authority for ${patientLabel(record)}`;
    return ctx.legacyPortal
      ? rowFinding(
          this,
          ctx,
          record,
          `${who}; with a patient portal from 2006–2010, as this practice had, a blank Authority may give the parent errors.${assumption(record)}`,
          FIX_LEGACY,
        )
      : rowFinding(
          this,
          ctx,
          record,
          `${who}; that is the default and allows access, but a practice whose patient portal dates from 2006–2010 may see errors from it.${assumption(record)}`,
          FIX,
        );
  },
};
