import type { CheckId } from "../ids.js";
import { type ChoiceValue, type StepChoice, versionOfChoice } from "./prompt.js";
import type { FlowEvent } from "./state.js";

/**
 * The engine event behind a choice the user picked, for both shells (terminal and Slack).
 * `check` pins an answer to the check it was given on, so a stale answer is recognized.
 */
export function eventForChoice(choice: ChoiceValue, at: string, check?: CheckId): FlowEvent {
  const version = versionOfChoice(choice);
  if (version !== undefined) return { type: "choose_version", at, version };
  const step = choice as StepChoice;
  switch (step) {
    case "fixed":
    case "not_fixed":
    case "skip":
      return { type: step, at, ...(check ? { check } : {}) };
    case "back":
    case "escalate":
    case "restart":
    case "parent_confirmed":
    case "await_parent":
    case "parent_not_seen":
      return { type: step, at };
  }
}
