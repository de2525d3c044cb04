import type { CheckId } from "../ids.js";
import type { ChoiceValue } from "./prompt.js";
import type { FlowEvent } from "./state.js";

/**
 * The engine event behind a choice the user picked, for both shells (terminal and Slack).
 * `check` pins an answer to the check it was given on, so a stale answer is recognized.
 */
export function eventForChoice(choice: ChoiceValue, at: string, check?: CheckId): FlowEvent {
  switch (choice) {
    case "version:14.19":
      return { type: "choose_version", at, version: "14.19" };
    case "version:14.10":
      return { type: "choose_version", at, version: "14.10" };
    case "version:newer":
      return { type: "choose_version", at, version: "newer" };
    case "fixed":
    case "not_fixed":
    case "skip":
      return { type: choice, at, ...(check ? { check } : {}) };
    case "back":
    case "escalate":
    case "restart":
    case "parent_confirmed":
    case "await_parent":
    case "parent_not_seen":
      return { type: choice, at };
  }
}
