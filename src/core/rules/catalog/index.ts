import type { EmailRule, RowRule } from "../rule.js";
import { authorityBlank } from "./authority-blank.js";
import { authorityNone } from "./authority-none.js";
import { duplicateContact } from "./duplicate-contact.js";
import { endDatePassed } from "./end-date-passed.js";
import { endDateSet } from "./end-date-set.js";
import { minorAccessAdult } from "./minor-access-adult.js";
import { missingEmail } from "./missing-email.js";
import { patientInactive } from "./patient-inactive.js";
import { portalNone } from "./portal-none.js";
import { sharedEmail } from "./shared-email.js";
import { startDateFuture } from "./start-date-future.js";
import { startDateSet } from "./start-date-set.js";

/** Rules that look at one row at a time, in the article's order. */
export const ROW_RULES: readonly RowRule[] = [
  patientInactive,
  minorAccessAdult,
  portalNone,
  missingEmail,
  authorityNone,
  authorityBlank,
  endDatePassed,
  endDateSet,
  startDateFuture,
  startDateSet,
];

/** Rules over all rows that share an email, run once every row is in. */
export const EMAIL_RULES: readonly EmailRule[] = [sharedEmail, duplicateContact];
