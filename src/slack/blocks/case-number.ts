import type { types } from "@slack/bolt";
import { type EscalationRef, encode, VIEW } from "../action-ids.js";
import { FIELD_ACTION, inputIn, LIMITS, type ModalView, modal, plain, type StateValues } from "./kit.js";

export const CASE_BLOCK = "case_number";

/** Asks for Support's case number when someone records that a case was opened. */
export function caseNumberModal(ref: EscalationRef, current: string | null): ModalView {
  const element: types.PlainTextInput = {
    type: "plain_text_input",
    action_id: FIELD_ACTION,
    max_length: 40,
    placeholder: plain("e.g. 01234567", LIMITS.placeholder),
    ...(current ? { initial_value: current } : {}),
  };
  return modal({
    callbackId: VIEW.caseNumber,
    metadata: encode(ref),
    title: "Support case opened",
    submit: "Save",
    blocks: [
      {
        type: "input",
        block_id: CASE_BLOCK,
        label: plain("Case number from OP Support", LIMITS.inputLabel),
        hint: plain("The requester is told in their thread.", LIMITS.hint),
        element,
      },
    ],
  });
}

/** The case number, or an inline error for the modal. */
export function readCaseNumber(
  values: StateValues,
): { ok: true; caseNumber: string } | { ok: false; error: string } {
  const raw = (inputIn(values, CASE_BLOCK)?.value ?? "").trim();
  if (!raw) return { ok: false, error: "Enter the case number Support gave you." };
  // No spaces and at least one digit: the number is repeated in the requester's thread and the root
  // message, which may be in a public channel, so free text (a parent's name) must not fit here.
  if (!/^[A-Za-z0-9#][A-Za-z0-9#._/-]{0,39}$/.test(raw) || !/\d/.test(raw)) {
    return {
      ok: false,
      error:
        "Use the case number as Support gave it: digits, with letters, #, -, . or / if it has them, no spaces, up to 40 characters.",
    };
  }
  return { ok: true, caseNumber: raw };
}
