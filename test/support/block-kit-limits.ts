/**
 * Block Kit's published limits, checked on every message and modal a test captures. Written
 * independently of src/slack/blocks/kit.ts so a mistake there cannot hide itself.
 * https://docs.slack.dev/reference/block-kit/blocks
 */
const MAX = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  sectionField: 2000,
  sectionFields: 10,
  buttonText: 75,
  id: 255,
  buttonValue: 2000,
  modalTitle: 24,
  modalButton: 24,
  header: 150,
  contextElements: 10,
  actionsElements: 25,
  inputLabel: 2000,
  hint: 2000,
  placeholder: 150,
  optionText: 75,
  privateMetadata: 3000,
  initialValue: 3000,
};

type Json = Record<string, unknown>;

function length(s: unknown): number {
  return typeof s === "string" ? Array.from(s).length : 0;
}

/** A Home tab view has the modal's 100-block limit and no title or buttons of its own. */
export function blockKitProblems(payload: Json, kind: "message" | "modal" | "home"): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const blocks = (payload.blocks ?? []) as Json[];
  check(Array.isArray(blocks), "blocks is not an array");
  check(
    blocks.length <= (kind === "message" ? MAX.messageBlocks : MAX.modalBlocks),
    `${blocks.length} blocks in a ${kind}`,
  );
  if (kind === "modal") {
    check(
      length((payload.title as Json)?.text) <= MAX.modalTitle,
      `modal title "${(payload.title as Json)?.text}" over 24`,
    );
    check(length((payload.title as Json)?.text) > 0, "modal without a title");
    for (const b of ["submit", "close"] as const) {
      if (payload[b]) check(length((payload[b] as Json).text) <= MAX.modalButton, `modal ${b} over 24`);
    }
    check(length(payload.private_metadata) <= MAX.privateMetadata, "private_metadata over 3000");
    check(length(payload.callback_id) <= MAX.id, "callback_id over 255");
  }
  const ids = new Set<string>();
  for (const block of blocks) {
    if (block.block_id !== undefined) {
      check(length(block.block_id) <= MAX.id, `block_id over 255`);
      check(!ids.has(String(block.block_id)), `duplicate block_id ${block.block_id}`);
      ids.add(String(block.block_id));
    }
    switch (block.type) {
      case "section": {
        const text = block.text as Json | undefined;
        const fields = (block.fields ?? []) as Json[];
        check(text !== undefined || fields.length > 0, "section without text or fields");
        if (text) {
          check(length(text.text) <= MAX.sectionText, `section text of ${length(text.text)} chars`);
          check(length(text.text) > 0, "empty section text");
        }
        check(fields.length <= MAX.sectionFields, `${fields.length} section fields`);
        const accessory = block.accessory as Json | undefined;
        if (accessory?.type === "button") {
          check(length((accessory.text as Json).text) <= MAX.buttonText, "accessory button text over 75");
          check(length(accessory.action_id) <= MAX.id, "accessory action_id over 255");
          if (accessory.url !== undefined) check(length(accessory.url) <= 3000, "button url over 3000");
        }
        for (const f of fields)
          check(length(f.text) <= MAX.sectionField, `section field of ${length(f.text)} chars`);
        break;
      }
      case "header":
        check(length((block.text as Json).text) <= MAX.header, "header over 150");
        break;
      case "context": {
        const elements = block.elements as Json[];
        check(
          elements.length >= 1 && elements.length <= MAX.contextElements,
          `${elements.length} context elements`,
        );
        for (const e of elements) check(length(e.text) <= MAX.sectionText, "context text over 3000");
        break;
      }
      case "actions": {
        const elements = block.elements as Json[];
        check(
          elements.length >= 1 && elements.length <= MAX.actionsElements,
          `${elements.length} action elements`,
        );
        const actionIds = new Set<string>();
        for (const e of elements) {
          check(length(e.action_id) <= MAX.id, "action_id over 255");
          check(!actionIds.has(String(e.action_id)), `duplicate action_id ${e.action_id} in one block`);
          actionIds.add(String(e.action_id));
          if (e.type === "button") {
            check(
              length((e.text as Json).text) <= MAX.buttonText,
              `button text "${(e.text as Json).text}" over 75`,
            );
            check(length(e.value) <= MAX.buttonValue, "button value over 2000");
          }
        }
        break;
      }
      case "input": {
        check(length((block.label as Json).text) <= MAX.inputLabel, "input label over 2000");
        if (block.hint) check(length((block.hint as Json).text) <= MAX.hint, "hint over 2000");
        const element = block.element as Json;
        check(length(element.action_id) <= MAX.id, "input action_id over 255");
        if (element.placeholder)
          check(length((element.placeholder as Json).text) <= MAX.placeholder, "placeholder over 150");
        if (element.initial_value !== undefined) {
          check(length(element.initial_value) <= MAX.initialValue, "initial_value over 3000");
          if (typeof element.max_length === "number") {
            check(
              length(element.initial_value) <= element.max_length,
              "initial_value longer than max_length",
            );
          }
        }
        for (const o of (element.options ?? []) as Json[]) {
          check(length((o.text as Json).text) <= MAX.optionText, "option text over 75");
        }
        break;
      }
      case "divider":
        break;
      default:
        problems.push(`unexpected block type ${String(block.type)}`);
    }
  }
  return problems;
}
