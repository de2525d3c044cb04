import type { RowRule } from "../rule.js";
import { fixPerVersion, mention, patientLabel, rowFinding } from "../rule.js";

const SET_IT =
  "set this contact's Authority to Exclusive (this parent has sole custody) or Joint (custody is shared).";
const FIX_LEGACY = fixPerVersion((nav) => [`${nav.familyContacts}.`, `Then ${SET_IT}`]);
const FIX = fixPerVersion((nav) => [
  `${nav.familyContacts}.`,
  `A blank Authority is normally fine. If the practice had the portal between 2006 and 2010, or the parent gets a server error at login, ${SET_IT}`,
]);

/**
 * Authority left blank (the default). Harmless on most portals; portals from 2006–2010 can give the
 * parent a server error, so with the legacy-portal option it is a blocker.
 */
export const authorityBlank: RowRule = {
  id: "authority-blank",
  check: "portal-authority",
  severity: (ctx) => (ctx.legacyPortal ? "blocker" : "warning"),
  find(record, ctx) {
    if (record.authority !== null) return undefined;
    const who = `${mention(record.typed.contact, record.line)} has a blank Authority for ${patientLabel(record)}`;
    return ctx.legacyPortal
      ? rowFinding(
          this,
          ctx,
          record,
          `${who}; on this practice's 2006–2010 portal that gives server errors at login.`,
          FIX_LEGACY,
        )
      : rowFinding(
          this,
          ctx,
          record,
          `${who}; portals set up in 2006–2010 can give server errors at login.`,
          FIX,
        );
  },
};
