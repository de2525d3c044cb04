import type { Choice, Citation, Prompt } from "../../core/flow/prompt.js";
import { ACTION, actionIdFor, encode } from "../action-ids.js";
import {
  actions,
  type Block,
  button,
  capBlocks,
  clip,
  context,
  escapeText,
  header,
  LIMITS,
  section,
  sections,
} from "./kit.js";

/** Where the buttons of a drawing point: the conversation, and the turn it was drawn at. */
export interface Drawing {
  conversation: string;
  turn: number;
}

export interface SlackMessage {
  /** Notification / screen-reader text. Never holds PHI: it shows in push notifications. */
  text: string;
  blocks: Block[];
}

/**
 * The check message: the engine's prompt (plus any notices above it) as Block Kit. What is asked and
 * which answers exist comes from the prompt; the Slack-only extras are the paste button on screens
 * where records help, and the button that reopens the escalation form.
 */
export function renderPrompts(prompts: Prompt[], drawing: Drawing): SlackMessage {
  const notices = prompts.flatMap((p) => (p.kind === "notice" ? [p.text] : []));
  const main = prompts.find((p): p is Exclude<Prompt, { kind: "notice" }> => p.kind !== "notice");
  const blocks: Block[] = notices.map((n) => context(`:information_source: ${escapeText(n)}`));
  if (!main) return { text: notices.join(" ") || "portal-check", blocks };
  blocks.push(...renderMain(main, drawing));
  return { text: clip(main.title, 150), blocks: capBlocks(blocks) };
}

function renderMain(prompt: Exclude<Prompt, { kind: "notice" }>, drawing: Drawing): Block[] {
  switch (prompt.kind) {
    case "choose_version":
    case "newer_portal":
      return [
        header(prompt.title),
        ...sections(prompt.body.map(escapeText)),
        choiceButtons(prompt.choices, drawing),
      ];
    case "check": {
      const checkDrawing = { ...drawing, check: prompt.check };
      const out: Block[] = [
        context(`Check ${prompt.position} of ${prompt.total} · OP ${prompt.version}`),
        header(prompt.title),
        ...sections(prompt.body.map(escapeText)),
      ];
      if (prompt.steps.length > 0) {
        out.push(
          ...sections([
            `*In OP ${prompt.version}:*`,
            ...prompt.steps.map((s, i) => `${i + 1}. ${escapeText(s)}`),
          ]),
        );
      }
      // Notes are tips, not the article's words: they say so.
      if (prompt.notes.length > 0)
        out.push(...sections(["*Good to know:*", ...prompt.notes.map((n) => `• ${escapeText(n)}`)]));
      if (prompt.citations.length > 0) out.push(citationsOf(prompt.citations));
      out.push(section(`*${escapeText(prompt.question)}*`));
      out.push(
        actions(`check:${prompt.check}`, [
          ...choiceButtonsOf(prompt.choices, checkDrawing),
          button(ACTION.paste, "Paste contact records", encode({ c: drawing.conversation })),
        ]),
      );
      return out;
    }
    case "confirm_fix": {
      const out: Block[] = [
        context(`OP ${prompt.version} · after the change`),
        header(prompt.title),
        ...sections(prompt.body.map(escapeText)),
      ];
      if (prompt.steps.length > 0)
        out.push(...sections(prompt.steps.map((s, i) => `${i + 1}. ${escapeText(s)}`)));
      if (prompt.citations.length > 0) out.push(citationsOf(prompt.citations));
      out.push(section(`*${escapeText(prompt.question)}*`), choiceButtons(prompt.choices, drawing));
      return out;
    }
    case "resolved":
      return [
        header(prompt.title),
        ...sections(prompt.body.map(escapeText)),
        choiceButtons(prompt.choices, drawing),
      ];
    case "escalation_form":
      return [
        header(prompt.title),
        ...withPhone(prompt.body, prompt.phone, "Then call OP Support at"),
        actions("escalation", [
          button(
            ACTION.escalate,
            "Open the escalation form",
            encode({ c: drawing.conversation, t: drawing.turn }),
            "primary",
          ),
          button(ACTION.paste, "Paste contact records", encode({ c: drawing.conversation })),
          ...choiceButtonsOf(prompt.choices, drawing),
        ]),
      ];
    case "escalated":
      return [
        header(prompt.title),
        ...withPhone(prompt.body, prompt.phone, "OP Support:"),
        choiceButtons(prompt.choices, drawing),
        // The checks ended without a fix: say so, for whoever maintains the help content.
        actions("feedback", [
          button(ACTION.checkNotHelped, "This did not help", encode({ c: drawing.conversation })),
        ]),
      ];
  }
}

function citationsOf(citations: Citation[]): Block {
  return context(...citations.map((c) => `Source: “${escapeText(c.section)}” (OP ${c.version})`));
}

/** The body with the support number in bold; a line of its own when the body does not give it. */
function withPhone(body: string[], phone: string, lead: string): Block[] {
  const number = escapeText(phone);
  const paragraphs = body.map((p) => escapeText(p).replaceAll(number, `*${number}*`));
  return body.some((p) => p.includes(phone))
    ? sections(paragraphs)
    : [...sections(paragraphs), section(`:telephone_receiver: ${lead} *${number}*.`)];
}

/** A row of the engine's choices as buttons pointing at a drawing (also the parent reminder's buttons). */
export function choiceButtons(choices: Choice[], drawing: Drawing): Block {
  return actions("choices", choiceButtonsOf(choices, drawing));
}

/**
 * The buttons of the engine's choices. They all carry the same value (the drawing; the action id
 * says which choice), so it is signed once for the row.
 */
function choiceButtonsOf(choices: Choice[], drawing: Drawing & { check?: string }) {
  const value = encode({
    c: drawing.conversation,
    t: drawing.turn,
    ...(drawing.check ? { k: drawing.check } : {}),
  });
  return choices.map((choice) =>
    button(actionIdFor(choice.value), clip(choice.label, LIMITS.buttonText), value, choice.style),
  );
}
