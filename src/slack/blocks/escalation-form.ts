import type { types } from "@slack/bolt";
import { detailsFromAnswers, EscalationDetails } from "../../core/escalation/details.js";
import type { Prompt } from "../../core/flow/prompt.js";
import type { EscalationField } from "../../core/flow/schema.js";
import { encode, VIEW } from "../action-ids.js";
import {
  type Block,
  clip,
  escapeText,
  FIELD_ACTION,
  inputIn,
  LIMITS,
  type ModalView,
  modal,
  plain,
  type StateValues,
  section,
} from "./kit.js";

type FormPrompt = Extract<Prompt, { kind: "escalation_form" }>;

/** The most any one answer may hold; steps_taken's own limit (EscalationDetails) is lower. */
const MAX_ANSWER = 2900;

/**
 * The escalation form as a modal: the flow's fields (labels and hints from flows/portal-check.yaml),
 * prefilled with what the conversation knows. Only the conversation id travels in
 * private_metadata (3000 characters at most); the answers come back in the submission.
 */
export function escalationModal(
  prompt: FormPrompt,
  conversation: string,
  prefill: Record<string, string>,
): ModalView {
  const values = { ...prompt.prefill, ...prefill };
  return modal({
    callbackId: VIEW.escalation,
    metadata: encode({ c: conversation }),
    title: "Escalate to Support",
    submit: "Post escalation",
    blocks: [
      section(
        `Support needs these details to open a case. After posting, call OP Support at *${escapeText(prompt.phone)}*.`,
      ),
      ...prompt.fields.map((field) => fieldInput(field, values[field.id])),
    ],
  });
}

function fieldInput(field: EscalationField, initial: string | undefined): Block {
  const base = {
    type: "input" as const,
    block_id: field.id,
    label: plain(field.label, LIMITS.inputLabel),
    // Support needs every answer, and EscalationDetails refuses an empty one: no field is optional.
    optional: false,
    ...(field.hint ? { hint: plain(field.hint, LIMITS.hint) } : {}),
  };
  if (field.kind === "yes_no") {
    const options = [
      { text: plain("Yes", LIMITS.optionText), value: "yes" },
      { text: plain("No", LIMITS.optionText), value: "no" },
    ];
    const selected = options.find((o) => o.value === initial);
    const element: types.RadioButtons = {
      type: "radio_buttons",
      action_id: FIELD_ACTION,
      options,
      ...(selected ? { initial_option: selected } : {}),
    };
    return { ...base, element };
  }
  const element: types.PlainTextInput = {
    type: "plain_text_input",
    action_id: FIELD_ACTION,
    multiline: field.kind === "lines",
    max_length: field.kind === "lines" ? MAX_ANSWER : 200,
    ...(initial ? { initial_value: clip(initial, field.kind === "lines" ? MAX_ANSWER : 200) } : {}),
  };
  return { ...base, element };
}

export type FormResult =
  | { ok: true; details: EscalationDetails }
  /** Messages by block id, for `response_action: "errors"`. */
  | { ok: false; errors: Record<string, string> };

/** Reads a submitted escalation form and validates it with EscalationDetails. */
export function readEscalationForm(values: StateValues): FormResult {
  const text = (id: string) => inputIn(values, id)?.value ?? "";
  const reset = inputIn(values, "reset_authorized")?.selected_option?.value;
  const errors: Record<string, string> = {};
  if (reset !== "yes" && reset !== "no") errors.reset_authorized = "Choose yes or no (ask the parent first).";
  const parsed = EscalationDetails.safeParse(
    detailsFromAnswers({
      parent_name: text("parent_name"),
      portal_emails: text("portal_emails"),
      patients: text("patients"),
      steps_taken: text("steps_taken"),
      reset_authorized: reset,
    }),
  );
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, details: parsed.data };
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const [field, index] = issue.path;
    const block = String(field);
    if (errors[block]) continue;
    errors[block] =
      typeof index === "number" ? `Line ${index + 1}: ${issue.message}.` : `${capitalise(issue.message)}.`;
  }
  return { ok: false, errors };
}

function capitalise(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
