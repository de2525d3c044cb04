import { z } from "zod";
import type { ChoiceValue } from "../core/flow/prompt.js";
import { CheckId } from "../core/ids.js";

/**
 * Action ids, view callback ids and what buttons carry. The check buttons, `escalation_form` and
 * its block ids are part of the contract in docs/architecture.md; the rest are this app's own.
 */
export const ACTION = {
  fixed: "check_fixed",
  notFixed: "check_not_fixed",
  skip: "check_skip",
  back: "check_back",
  escalate: "escalate_now",
  paste: "paste_records",
  restart: "restart",
  /** After "fixed": the parent confirmed, has not logged in yet, or still cannot see the child. */
  parentConfirmed: "parent_confirmed",
  awaitParent: "parent_waiting",
  parentNotSeen: "parent_not_seen",
  /** `choose_version_14.19`, `choose_version_14.10`, `choose_version_newer`. */
  versionPrefix: "choose_version_",
  /** Start a guided check from an answer to a question (mention or DM). */
  start: "start_check",
  /** Redraw a conversation after Slack failed to show it (offered in error messages). */
  redraw: "redraw",
  caseOpened: "escalation_case_opened",
  supportResolved: "escalation_resolved",
} as const;

export const VIEW = {
  escalation: "escalation_form",
  paste: "paste_records_form",
  caseNumber: "case_number_form",
} as const;

/** The action id of every engine choice; the version buttons share ACTION.versionPrefix. */
const CHOICE_ACTIONS: Record<ChoiceValue, string> = {
  fixed: ACTION.fixed,
  not_fixed: ACTION.notFixed,
  skip: ACTION.skip,
  back: ACTION.back,
  escalate: ACTION.escalate,
  restart: ACTION.restart,
  parent_confirmed: ACTION.parentConfirmed,
  await_parent: ACTION.awaitParent,
  parent_not_seen: ACTION.parentNotSeen,
  "version:14.19": `${ACTION.versionPrefix}14.19`,
  "version:14.10": `${ACTION.versionPrefix}14.10`,
  "version:newer": `${ACTION.versionPrefix}newer`,
};
const ACTION_CHOICES = new Map(
  Object.entries(CHOICE_ACTIONS).map(([choice, action]) => [action, choice as ChoiceValue]),
);

/** The action id that carries each engine choice. */
export function actionIdFor(choice: ChoiceValue): string {
  return CHOICE_ACTIONS[choice];
}

/** The engine choice behind an action id (undefined for the app's own actions). */
export function choiceFor(actionId: string): ChoiceValue | undefined {
  return ACTION_CHOICES.get(actionId);
}

/**
 * What a conversation button carries: the conversation id, the turn it was drawn at (a click from an
 * older drawing is stale) and the check on screen. Compact keys: values are limited to 2000 chars.
 */
export const ButtonValue = z.object({
  c: z.string().min(1).max(100),
  t: z.number().int().min(0),
  k: CheckId.optional(),
});
export type ButtonValue = z.infer<typeof ButtonValue>;

/** A start button on an answer: the check the answer suggests. */
export const StartValue = z.object({ k: CheckId.optional() });
export type StartValue = z.infer<typeof StartValue>;

/** Buttons and modals of a conversation: its id only (the state stays in the store). */
export const ConversationRef = z.object({ c: z.string().min(1).max(100) });
export type ConversationRef = z.infer<typeof ConversationRef>;

/**
 * The status buttons of an escalation post and the case-number modal: the conversation and which of
 * its escalations (a conversation restarted after one can escalate again).
 */
export const EscalationRef = ConversationRef.extend({ e: z.string().min(1).max(40) });
export type EscalationRef = z.infer<typeof EscalationRef>;

export function encode<T>(value: T): string {
  return JSON.stringify(value);
}

/** Parses a value we wrote earlier; undefined when it is not ours (an old app version, a forged click). */
export function decode<T>(schema: z.ZodType<T>, raw: string | undefined): T | undefined {
  if (!raw) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
