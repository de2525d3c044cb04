import type { ChoiceValue, Prompt } from "../../core/flow/prompt.js";
import { CLI } from "../io.js";

/**
 * The terminal chat's vocabulary: what a typed line means at a prompt. Pure; the session
 * (session.ts) turns the answer into an engine event.
 */

/** What a typed word may mean: an engine choice, or the session's own quit and help. */
export type Typed = ChoiceValue | "quit" | "help";

export const WORDS: Record<string, Typed> = {
  back: "back",
  b: "back",
  undo: "back",
  skip: "skip",
  s: "skip",
  escalate: "escalate",
  e: "escalate",
  restart: "restart",
  "start over": "restart",
  fixed: "fixed",
  yes: "fixed",
  y: "fixed",
  "not fixed": "not_fixed",
  no: "not_fixed",
  n: "not_fixed",
  // After "fixed": has the parent confirmed?
  confirmed: "parent_confirmed",
  "parent confirmed": "parent_confirmed",
  waiting: "await_parent",
  wait: "await_parent",
  later: "await_parent",
  "not seen": "parent_not_seen",
  "still not": "parent_not_seen",
  quit: "quit",
  q: "quit",
  exit: "quit",
  help: "help",
  "?": "help",
};

/** The word a line is, if any (case and spacing ignored). */
export function wordOf(input: string): Typed | undefined {
  return WORDS[input.trim().toLowerCase().replace(/\s+/g, " ")];
}

/** Maps what was typed at a prompt to a choice; undefined when it matches nothing on offer. */
export function choiceForInput(input: string, prompt: Prompt): Typed | undefined {
  const text = input.trim().toLowerCase().replace(/\s+/g, " ");
  const choices = "choices" in prompt ? prompt.choices : [];
  if (/^\d+$/.test(text)) return choices[Number(text) - 1]?.value;
  let word = WORDS[text];
  // "Has the parent confirmed?": yes and no answer that question.
  if (prompt.kind === "confirm_fix" && word === "fixed") word = "parent_confirmed";
  if (prompt.kind === "confirm_fix" && word === "not_fixed") word = "parent_not_seen";
  if (word === "quit" || word === "help") return word;
  // On the first question the engine answers `back` with "nothing to undo yet".
  if (word === "back" && prompt.kind === "choose_version") return word;
  if (word && (wordsAt(prompt).includes(word as Word) || choices.some((c) => c.value === word))) return word;
  // A typed version answers the version question when it is one of the choices ("OP 14.19", "20").
  const version = /^(?:op\s*)?(\d+(?:\.\d+)?)$/.exec(text)?.[1];
  if (version && prompt.kind === "choose_version")
    return choices.find((c) => c.value === (version === "20" ? "version:newer" : `version:${version}`))
      ?.value;
  return undefined;
}

export type Word = "back" | "skip" | "escalate" | "restart" | "quit";

/**
 * The words that do something at this prompt, as the hint and `help` list them. The version
 * question has none but quit: skipping it or escalating before it would leave every later screen
 * without the version its menus are given in.
 */
export function wordsAt(prompt: Prompt): Word[] {
  if (prompt.kind === "choose_version") return ["quit"];
  const offered = new Set<string>("choices" in prompt ? prompt.choices.map((c) => c.value) : []);
  const words: Word[] = [];
  if (prompt.kind !== "escalated") words.push("back");
  if (offered.has("skip")) words.push("skip");
  if (offered.has("escalate")) words.push("escalate");
  words.push("restart", "quit");
  return words;
}

export const WORD_HELP: Record<Word, string> = {
  back: "undo the last answer and show that screen again",
  skip: "go on to the next check without answering this one",
  escalate: "stop the checks and answer the questions for the call to OP Support",
  restart: "start over from the first check (the answers so far are dropped)",
  quit: `stop here; the conversation is saved and \`${CLI} chat\` continues it`,
};

/** The one-line hint under a prompt: the numbers and words that work there. */
export function helpLine(prompt: Prompt): string {
  const count = "choices" in prompt ? prompt.choices.length : 0;
  const words = [...wordsAt(prompt), "help"].join(", ");
  if (count === 0) return `Type ${words}.\n`;
  return `Type ${count === 1 ? "1" : `a number from 1 to ${count}`}, or ${words}.\n`;
}

/** `help`: what each word does at this prompt, not just their names. */
export function helpText(prompt: Prompt): string {
  const lines = ["Answer with the number of a choice."];
  if (prompt.kind === "choose_version") {
    // The versions are the choices the engine offers (the content's), then OP 20.
    const versions = prompt.choices.flatMap((c) =>
      c.value === "version:newer" || !c.value.startsWith("version:")
        ? []
        : [c.value.slice("version:".length)],
    );
    lines.push(`The version can also be typed: ${[...versions].join(", ")} or 20.`);
  }
  if (prompt.kind === "check")
    lines.push('"fixed" or "yes", and "not fixed" or "no", answer the question too.');
  for (const word of wordsAt(prompt)) lines.push(`  ${word.padEnd(9)} ${WORD_HELP[word]}`);
  return `${lines.join("\n")}\n`;
}

/** Why a typed word that is not a choice at this prompt was refused. */
export function refusal(raw: string, prompt: Prompt): string {
  const word = wordOf(raw);
  if (prompt.kind === "choose_version" && (word === "skip" || word === "escalate")) {
    return "does not work on this question: every later screen gives the steps in your version's menus, so choose the version first.";
  }
  return "is not one of the choices.";
}
