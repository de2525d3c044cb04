import type { OpVersion } from "../ids.js";

/**
 * Where things are in OP, per version. The fixes of every rule are written with these, so a
 * change of menus is made here once. (14.19 and 14.10 differ only in where the screens are.)
 */
export interface Navigation {
  /** Opens the grid of a patient's contacts with the Portal, Authority, Start Date and End Date columns. */
  familyContacts: string;
  /** Opens the place where the patient's Status is set. */
  patientStatus: string;
  /** Opens the Contact Manager, where contacts are searched by email and merged. */
  contactManager: string;
}

export const NAVIGATION: Record<OpVersion, Navigation> = {
  "14.19": {
    familyContacts: "Open the patient's chart (Patient Chart button) and click Family Contacts",
    patientStatus: "Open the patient's chart (Patient Chart button) and go to Basic Information",
    contactManager: "Click the Practice Management button to open the Contact Manager",
  },
  "14.10": {
    familyContacts: "Open the patient in the Patient Register and click the Contacts tab",
    patientStatus: "Open the patient in the Patient Register",
    contactManager: "From the main menu choose Activities > Contact Manager",
  },
};

/** The last step of every fix: OP only settles the change once the parent has logged in again. */
export const LOG_IN_AGAIN =
  "Call the parent and ask them to log in to the portal again and confirm they see the child; OP grays out the contact's email only after that login.";

/** Steps that find and merge one person's contact records, given where the Contact Manager is. */
export function mergeSteps(nav: Navigation): string[] {
  return [
    `${nav.contactManager}.`,
    "Type the email into the Contact name / email field and click Search.",
    "If more than one contact is listed, hold Ctrl and click each of them, click Merge, and answer Yes to confirm.",
  ];
}
