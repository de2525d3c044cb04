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
