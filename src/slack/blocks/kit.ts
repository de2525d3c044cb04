import type { types, ViewStateValue } from "@slack/bolt";

/**
 * Small builders that keep every block inside Block Kit's limits. Slack rejects a whole message
 * (`invalid_blocks`) when one text is a character too long, so limits are enforced where text is
 * placed, not hoped for.
 */

export type Block = types.KnownBlock;
export type ModalView = types.ModalView;

export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  buttonText: 75,
  id: 255,
  buttonValue: 2000,
  modalTitle: 24,
  modalButton: 24,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  inputLabel: 2000,
  hint: 2000,
  placeholder: 150,
  optionText: 75,
  inputValue: 3000,
  /** The top-level `text` (notifications, screen readers); Slack truncates past 40 000, keep it short. */
  fallbackText: 3000,
} as const;

/** Cuts `text` to `max` characters, ending with an ellipsis when something was cut. */
export function clip(text: string, max: number): string {
  // A string's length is never below its count of characters: most texts need no counting.
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Slack's mrkdwn needs &, < and > escaped; everything from content or users goes through this. */
export function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function plain(text: string, max: number): types.PlainTextElement {
  return { type: "plain_text", text: clip(text, max), emoji: true };
}

export function section(mrkdwn: string, blockId?: string): Block {
  return {
    type: "section",
    text: { type: "mrkdwn", text: clip(mrkdwn, LIMITS.sectionText) },
    ...(blockId ? { block_id: clip(blockId, LIMITS.id) } : {}),
  };
}

/**
 * Lines packed into as few sections as clip (3000 characters each), so long step lists or finding
 * lists are split between lines rather than cut.
 */
export function sections(lines: string[]): Block[] {
  const out: Block[] = [];
  let current = "";
  for (const line of lines) {
    const piece = clip(line, LIMITS.sectionText);
    if (current && current.length + 1 + piece.length > LIMITS.sectionText) {
      out.push(section(current));
      current = piece;
    } else {
      current = current ? `${current}\n${piece}` : piece;
    }
  }
  if (current) out.push(section(current));
  return out;
}

export function header(text: string): Block {
  return { type: "header", text: plain(text, LIMITS.headerText) };
}

export function context(...mrkdwn: string[]): Block {
  return {
    type: "context",
    elements: mrkdwn
      .slice(0, LIMITS.contextElements)
      .map((text) => ({ type: "mrkdwn" as const, text: clip(text, LIMITS.sectionText) })),
  };
}

export function divider(): Block {
  return { type: "divider" };
}

export function button(
  actionId: string,
  text: string,
  value: string,
  style?: "primary" | "danger",
): types.Button {
  if (value.length > LIMITS.buttonValue) throw new Error(`button value for ${actionId} is too long`);
  return {
    type: "button",
    action_id: clip(actionId, LIMITS.id),
    text: plain(text, LIMITS.buttonText),
    value,
    ...(style ? { style } : {}),
  };
}

export function actions(blockId: string, elements: types.Button[]): Block {
  return {
    type: "actions",
    block_id: clip(blockId, LIMITS.id),
    elements: elements.slice(0, LIMITS.actionsElements),
  };
}

/**
 * Keeps a message within 50 blocks: the end (buttons, notes) matters most, so the middle is cut and
 * a line says so, with `advice` on where to see everything.
 */
export function capBlocks(blocks: Block[], advice = ""): Block[] {
  const max = LIMITS.blocksPerMessage;
  if (blocks.length <= max) return blocks;
  const tail = blocks.slice(-2);
  return [
    ...blocks.slice(0, max - 3),
    context(`_Shortened to fit in one Slack message._ ${advice}`.trim()),
    ...tail,
  ];
}

/** Every input's action id (docs/architecture.md: the block id is the field id, the element is `value`). */
export const FIELD_ACTION = "value";

/** A submitted modal's `view.state.values`: by block id, then action id. */
export type StateValues = Record<string, Record<string, ViewStateValue | undefined> | undefined>;

/** What the input in block `blockId` of a submitted modal holds. */
export function inputIn(values: StateValues, blockId: string): ViewStateValue | undefined {
  return values[blockId]?.[FIELD_ACTION];
}

/**
 * A modal with a submit button and Cancel. `metadata` comes back with the submission; it holds at
 * most 3000 characters, so it carries ids, never state.
 */
export function modal(spec: {
  callbackId: string;
  metadata: string;
  title: string;
  submit: string;
  blocks: Block[];
}): ModalView {
  return {
    type: "modal",
    callback_id: spec.callbackId,
    private_metadata: spec.metadata,
    title: plain(spec.title, LIMITS.modalTitle),
    submit: plain(spec.submit, LIMITS.modalButton),
    close: plain("Cancel", LIMITS.modalButton),
    blocks: spec.blocks,
  };
}

/** A Slack date token: shown in each reader's own time zone, with a plain fallback. */
export function slackTime(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${iso.slice(0, 16).replace("T", " ")} UTC>`;
}
