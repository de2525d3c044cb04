import { z } from "zod";

/** What Support asks for before it opens a case (the escalation form's answers). PHI. */
export const EscalationDetails = z.object({
  parent_name: z
    .string()
    .trim()
    .regex(/\S\s+\S/, "give the parent's first and last name (at least two words)")
    .max(200),
  portal_emails: z
    .array(z.email("this is not an email address").trim().toLowerCase())
    .min(1, "give at least one portal account email"),
  patients: z.array(z.string().trim().min(1).max(200)).min(1, "list at least one patient"),
  steps_taken: z.string().trim().min(1, "say what has been tried").max(2900),
  reset_authorized: z.boolean(),
});
export type EscalationDetails = z.infer<typeof EscalationDetails>;

/** The escalation form's answers as typed, in Slack's modal or the terminal chat: all text. */
export type FormAnswers = { readonly [K in keyof EscalationDetails]?: string };

/** Emails: one per line, or separated by commas or semicolons (neither appears in an address). */
const EMAIL_SEPARATORS = /[\r\n,;]+/;
/** Patients: one per line only; a comma belongs to a name written "Last, First". */
const LINE_SEPARATORS = /\r?\n/;

const listOf = (text: string | undefined, separators: RegExp) =>
  (text ?? "")
    .split(separators)
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * The form's text answers in EscalationDetails' input shape, the same for Slack and the terminal;
 * validate the result with EscalationDetails. Reset: "y" or "yes" (any case) is yes, anything else no.
 */
export function detailsFromAnswers(answers: FormAnswers): z.input<typeof EscalationDetails> {
  return {
    parent_name: answers.parent_name ?? "",
    portal_emails: listOf(answers.portal_emails, EMAIL_SEPARATORS),
    patients: listOf(answers.patients, LINE_SEPARATORS),
    steps_taken: answers.steps_taken ?? "",
    reset_authorized: /^y(es)?$/i.test(answers.reset_authorized?.trim() ?? ""),
  };
}
