import { z } from "zod";
import { CheckId, OpVersion } from "../ids.js";
import { EscalationField } from "./schema.js";

/**
 * What the engine asks the user, independent of where it is shown. The Slack app renders a
 * prompt to Block Kit and the terminal to text; neither decides what is asked.
 */

/**
 * Every answer a user can give. `value` is what the shells put in buttons and menus. The OP
 * versions offered are the content's ("version:14.19"); "version:newer" is OP 20 / the newer portal.
 */
export const VersionChoice = z.templateLiteral(["version:", z.union([OpVersion, z.literal("newer")])]);
export type VersionChoice = z.infer<typeof VersionChoice>;

/** The answers besides the version: each is an engine event of the same name (eventForChoice). */
export const StepChoice = z.enum([
  "fixed",
  "not_fixed",
  "skip",
  "parent_confirmed",
  "await_parent",
  "parent_not_seen",
  "back",
  "escalate",
  "restart",
]);
export type StepChoice = z.infer<typeof StepChoice>;

export const ChoiceValue = z.union([VersionChoice, StepChoice]);
export type ChoiceValue = z.infer<typeof ChoiceValue>;

/** The version a version choice names ("newer" for OP 20 / the newer portal), undefined for another choice. */
export function versionOfChoice(choice: ChoiceValue): OpVersion | "newer" | undefined {
  return choice.startsWith("version:") ? choice.slice("version:".length) : undefined;
}

export const Choice = z.object({
  value: ChoiceValue,
  label: z.string(),
  /** primary: the expected answer; danger: leaves the checks (escalation). */
  style: z.enum(["primary", "danger"]).optional(),
});
export type Choice = z.infer<typeof Choice>;

export const Citation = z.object({
  check: z.string(),
  version: OpVersion,
  /** Title of the knowledge section, which names the article heading it restates. */
  section: z.string(),
});
export type Citation = z.infer<typeof Citation>;

export const Prompt = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("choose_version"),
    title: z.string(),
    body: z.array(z.string()),
    choices: z.array(Choice),
  }),
  z.object({
    kind: z.literal("check"),
    check: CheckId,
    version: OpVersion,
    /** 1-based position and total, for "Check 3 of 8". */
    position: z.number().int(),
    total: z.number().int(),
    title: z.string(),
    body: z.array(z.string()),
    steps: z.array(z.string()),
    notes: z.array(z.string()),
    question: z.string(),
    choices: z.array(Choice),
    citations: z.array(Citation),
  }),
  z.object({
    kind: z.literal("newer_portal"),
    title: z.string(),
    body: z.array(z.string()),
    choices: z.array(Choice),
  }),
  /** After "fixed": the article's steps after any change, and whether the parent has confirmed. */
  z.object({
    kind: z.literal("confirm_fix"),
    /** The check at which the change was made. */
    check: CheckId,
    version: OpVersion,
    /** The conversation is waiting for the parent (staff answered "waiting" before). */
    waiting: z.boolean(),
    title: z.string(),
    body: z.array(z.string()),
    /** What staff changed, in the flow's words. */
    change: z.string(),
    steps: z.array(z.string()),
    question: z.string(),
    choices: z.array(Choice),
    citations: z.array(Citation),
  }),
  z.object({
    kind: z.literal("resolved"),
    check: CheckId,
    title: z.string(),
    body: z.array(z.string()),
    choices: z.array(Choice),
  }),
  z.object({
    kind: z.literal("escalation_form"),
    title: z.string(),
    body: z.array(z.string()),
    phone: z.string(),
    fields: z.array(EscalationField),
    /** Prefills by field id (steps_taken from the transcript; emails and patients from pasted records). */
    prefill: z.record(z.string(), z.string()),
    choices: z.array(Choice),
  }),
  z.object({
    kind: z.literal("escalated"),
    title: z.string(),
    body: z.array(z.string()),
    phone: z.string(),
    choices: z.array(Choice),
  }),
  /** A one-line remark before the main prompt ("Nothing to undo yet"). */
  z.object({ kind: z.literal("notice"), text: z.string() }),
]);
export type Prompt = z.infer<typeof Prompt>;
