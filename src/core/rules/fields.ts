import type { Field } from "./schema.js";

/**
 * Column headers, keys and JSON keys the reader understands, per field. Matching ignores case,
 * spaces, "_", "-" and "." (`endDate` = `End Date` = `end_date`), so only the words are listed.
 */
const SYNONYMS: Record<Field, readonly string[]> = {
  contactId: ["ID", "Contact ID", "Contact No", "Contact Number"],
  contact: ["Contact", "Name", "Contact Name", "Full Name", "Parent", "Parent Name", "Guardian"],
  email: ["Email", "E-mail", "Home Email", "Email Address", "Contact Email", "Portal Email"],
  relationship: ["Relationship", "Role", "Relation"],
  patientId: ["Patient ID", "Patient No", "Patient Number", "Patient #", "Chart Number", "MRN"],
  patient: ["Patient", "Patient Name", "Child", "Child Name"],
  dob: ["DOB", "Birth Date", "Patient DOB", "Date of Birth", "Birthdate", "Patient Birth Date"],
  status: ["Status", "Patient Status"],
  portal: ["Portal", "Portal Access", "Access"],
  authority: ["Authority", "Portal Authority"],
  start: ["Start", "Start Date"],
  end: ["End", "End Date"],
};

/** The shape a header is compared in: lower case, without spaces, "_", "-", "." or a trailing ":". */
function headerKey(label: string): string {
  return label.toLowerCase().replace(/[\s_.:-]+/g, "");
}

const BY_KEY = new Map<string, Field>();
for (const [field, names] of Object.entries(SYNONYMS) as [Field, readonly string[]][]) {
  for (const name of names) BY_KEY.set(headerKey(name), field);
}

/** The field a header, key or JSON key stands for, or undefined when it is not one we check. */
export function fieldFor(label: string): Field | undefined {
  return BY_KEY.get(headerKey(label));
}

/** A few headers for messages that say what a header row should look like. */
export const EXAMPLE_HEADERS =
  "Contact, Email, Portal, Authority, Start Date, End Date, Patient, DOB, Status";
