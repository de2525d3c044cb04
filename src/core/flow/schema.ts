import { z } from "zod";
import { CheckId } from "../ids.js";
import { REFERENCE_IDS } from "../knowledge/schema.js";

/**
 * A flow is data (flows/*.yaml): its steps are walked in list order, and after the last one the
 * escalation form opens. Repair (back, skip, escalate now, restart) is the engine's job, not the flow's.
 */

/** What an old flow file wrote as `next` of its last check: hand over to the escalation form. */
export const ESCALATE = "escalate";

export const FlowStep = z.strictObject({
  /** The check this step walks; also the id in transcripts and Slack button values. */
  id: CheckId,
  /** Knowledge entry shown for this step; defaults to the step id. */
  knowledge: z.string().min(1).optional(),
  /** The question asked under the steps. */
  question: z.string().trim().min(3).max(150).default("Did this fix it?"),
  /**
   * What staff changed when they answer "fixed" here, as the transcript and an escalation report it
   * ("merged the parent's duplicate contacts"). Lower case, no full stop.
   */
  change: z.string().trim().min(3).max(120).default("changed a setting at this check"),
  /**
   * No longer needed: steps are walked in list order. Still accepted from files written before, when
   * it names the step listed next (or "escalate" on the last one); parseFlowFile refuses any other
   * value with a message saying so. Removed from the parsed flow.
   */
  next: z
    .union([CheckId, z.literal(ESCALATE)], {
      error: `must be a check id or "${ESCALATE}"`,
    })
    .optional(),
});
export type FlowStep = z.infer<typeof FlowStep>;

/** The escalation form's fields. Their ids are the Slack modal's block ids (contract: docs/architecture.md). */
export const ESCALATION_FIELD_IDS = [
  "parent_name",
  "portal_emails",
  "patients",
  "steps_taken",
  "reset_authorized",
] as const;
export const EscalationFieldId = z.enum(ESCALATION_FIELD_IDS);
export type EscalationFieldId = z.infer<typeof EscalationFieldId>;

export const EscalationField = z.strictObject({
  id: EscalationFieldId,
  /** Short label (Slack: at most 2000 chars, keep it to one line). */
  label: z.string().trim().min(3).max(150),
  hint: z.string().trim().max(150).optional(),
  /** text: one line; lines: one item per line; yes_no: an explicit yes or no. */
  kind: z.enum(["text", "lines", "yes_no"]),
  /**
   * Every field is required: Support needs all five answers, and EscalationDetails refuses an empty
   * one. Files that say `required: true` still load; `required: false` is refused at start-up.
   */
  required: z
    .literal(true, {
      error: 'every escalation field is required (Support needs it): remove "required: false"',
    })
    .optional(),
});
export type EscalationField = z.infer<typeof EscalationField>;

const label = z.string().trim().min(1).max(75);
export const ChoiceLabels = z.strictObject({
  fixed: label,
  not_fixed: label,
  skip: label,
  back: label,
  escalate: label,
  /** The answers to the question after a change: has the parent confirmed? */
  parent_confirmed: label.default("Parent confirmed: they see the child"),
  await_parent: label.default("Waiting for the parent"),
  parent_not_seen: label.default("Parent still cannot see the child"),
});
export type ChoiceLabels = z.infer<typeof ChoiceLabels>;

/** flows/portal-check.yaml as written; parseFlowFile turns it into a Flow. */
export const FlowFile = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, "use lower-case letters, digits and -"),
  title: z.string().trim().min(3).max(150),
  /**
   * Knowledge entry shown after "fixed" (the e-mail stays editable until the parent logs in again;
   * call the parent and have them confirm they see their children).
   */
  after_fix: z.enum(REFERENCE_IDS).default("after-changes"),
  /** Asked after "fixed", under the after_fix steps. */
  confirm_question: z
    .string()
    .trim()
    .min(3)
    .max(150)
    .default("Has the parent logged in and confirmed that they see their children?"),
  /** Knowledge entry shown when the practice is on OP 20 / the newer portal. */
  newer_portal: z.enum(REFERENCE_IDS).default("newer-portal"),
  choices: ChoiceLabels,
  steps: z.array(FlowStep).min(1),
  escalation: z.strictObject({
    knowledge: z.enum(REFERENCE_IDS).default("escalation"),
    /**
     * No longer needed: the number is knowledge/escalation.md's (supportPhoneOf). Still accepted
     * from files written before when it is that number; parseFlowFile refuses another one.
     */
    phone: z.string().optional(),
    fields: z.array(EscalationField).min(1),
  }),
});
export type FlowFile = z.infer<typeof FlowFile>;

/** A parsed flow: the escalation's `phone` is the escalation entry's number. */
export const Flow = FlowFile.extend({
  escalation: FlowFile.shape.escalation.extend({ phone: z.string() }),
});
export type Flow = z.infer<typeof Flow>;
