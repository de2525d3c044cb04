import type { Field } from "./schema.js";

/**
 * Column headers, keys and JSON keys the reader understands: the one table of them. Matching
 * ignores case and everything but letters, digits and "#" (`endDate` = `End Date` = `end_date`,
 * `Portal (Y/N)` = `Portal YN`), so each entry lists only the words.
 *
 * Contact headers also come with the prefix an export puts on them ("Guardian Email", "Parent
 * First Name", "Responsible Party Name"): CONTACT_PREFIXES × CONTACT_WORDS below.
 *
 * Single everyday words ("First", "Last", "Chart") are left out on purpose: a chat reply such as
 * "Last: called the mom" must not be taken for a key: value record.
 */
const SYNONYMS: Readonly<Record<Field, readonly string[]>> = {
  contactId: ["ID", "Contact ID", "Contact No", "Contact Number", "Contact #"],
  contact: ["Contact", "Name", "Full Name", "Parent", "Guardian", "Responsible Party", "Family Contact"],
  contactFirst: ["First Name", "Given Name"],
  contactMiddle: ["Middle Name", "Middle Initial"],
  contactLast: ["Last Name", "Surname", "Family Name"],
  email: ["Email", "E-mail", "Home Email", "Email Address", "E-mail Address", "Portal Email"],
  relationship: ["Relationship", "Role", "Relation", "Relationship to Patient"],
  patientId: [
    "Patient ID",
    "Patient No",
    "Patient Number",
    "Patient #",
    "Chart Number",
    "Chart #",
    "Chart No",
    "MRN",
    "Account Number",
    "Account #",
  ],
  patient: ["Patient", "Patient Name", "Child", "Child Name", "Patient Full Name"],
  patientFirst: ["Patient First Name", "Child First Name", "Patient First"],
  patientLast: ["Patient Last Name", "Child Last Name", "Patient Last"],
  dob: [
    "DOB",
    "Birth Date",
    "Patient DOB",
    "Date of Birth",
    "Birthdate",
    "Patient Birth Date",
    "Patient Date of Birth",
    "Child DOB",
  ],
  status: ["Status", "Patient Status"],
  portal: [
    "Portal",
    "Portal Access",
    "Access",
    "Portal Enabled",
    "Portal Enabled (Y/N)",
    "Portal (Y/N)",
    "Portal Y/N",
    "Has Portal",
    "Portal Account",
    "Portal Level",
  ],
  authority: ["Authority", "Portal Authority", "Custody", "Custody Authority", "Legal Authority"],
  start: ["Start", "Start Date", "Access Start", "Portal Start Date"],
  end: ["End", "End Date", "Access End", "Portal End Date"],
};

/** What an export puts before a contact's header words; "Contact" itself is among them. */
const CONTACT_PREFIXES = ["Contact", "Parent", "Guardian", "Responsible Party", "Family Contact"] as const;
const CONTACT_WORDS: readonly [string, Field][] = [
  ["Name", "contact"],
  ["Full Name", "contact"],
  ["First Name", "contactFirst"],
  ["Middle Name", "contactMiddle"],
  ["Last Name", "contactLast"],
  ["Email", "email"],
  ["E-mail", "email"],
  ["Email Address", "email"],
  ["ID", "contactId"],
  ["Relationship", "relationship"],
  ["Relation", "relationship"],
  ["Role", "relationship"],
];

/** Every header the reader knows, with its field: the table above, spelled out (and tested entry by entry). */
export const HEADER_SYNONYMS: readonly { header: string; field: Field }[] = [
  ...(Object.entries(SYNONYMS) as [Field, readonly string[]][]).flatMap(([field, headers]) =>
    headers.map((header) => ({ header, field })),
  ),
  ...CONTACT_PREFIXES.flatMap((prefix) =>
    CONTACT_WORDS.map(([word, field]) => ({ header: `${prefix} ${word}`, field })),
  ),
];

/** The shape a header is compared in: lower case letters, digits and "#" only. */
function headerKey(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9#]+/g, "");
}

const BY_KEY = new Map<string, Field>();
for (const { header, field } of HEADER_SYNONYMS) {
  const key = headerKey(header);
  const known = BY_KEY.get(key);
  // A header spelled two ways for two fields would be a mistake in the table.
  if (known !== undefined && known !== field)
    throw new Error(`header "${header}" is listed for ${known} and ${field}`);
  BY_KEY.set(key, field);
}

/** The field a header, key or JSON key stands for, or undefined when it is not one we check. */
export function fieldFor(label: string): Field | undefined {
  // Longer than any header in the table: not looked at (a whole pasted line is not a header).
  if (label.length > 80) return undefined;
  return BY_KEY.get(headerKey(label));
}

/** What each field is called in reports ("as contact first name"). */
export const FIELD_NAMES: Readonly<Record<Field, string>> = {
  contactId: "contact ID",
  contact: "contact name",
  contactFirst: "contact first name",
  contactMiddle: "contact middle name",
  contactLast: "contact last name",
  email: "email",
  relationship: "relationship",
  patientId: "patient ID",
  patient: "patient name",
  patientFirst: "patient first name",
  patientLast: "patient last name",
  dob: "birth date",
  status: "patient status",
  portal: "portal access",
  authority: "authority",
  start: "start date",
  end: "end date",
};

/** A few headers for messages that say what a header row should look like. */
export const EXAMPLE_HEADERS =
  "Contact ID, Contact (or First Name, Last Name), Email, Portal, Authority, Start Date, End Date, Patient, DOB, Status";
