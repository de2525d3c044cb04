import { conversationKey } from "../../src/slack/surface.js";
import type { ConversationStore } from "../../src/store/types.js";
import type { ShownMessage, SlackApiMock } from "./slack-api.js";
import { TEAM } from "./slack-payloads.js";

/** The messages of the conversation a /portal-check started, as Slack shows them now. */
export function conversationView(api: SlackApiMock, rootIndex = 0) {
  const roots = [...api.messages.values()].filter((m) => m.thread_ts === undefined);
  const root = roots[rootIndex];
  if (!root) throw new Error("no root message was posted");
  const replies = api.inThread(root.channel, root.ts).filter((m) => m.ts !== root.ts);
  const check = replies[0];
  if (!check) throw new Error("no check message in the thread");
  return {
    root,
    check,
    replies,
    /** The transcript: the reply that starts with the transcript context. */
    transcript: replies.find((m) => JSON.stringify(m.blocks).includes("*Transcript*")),
    /** Plain text of a message's blocks, for assertions on what a reader sees. */
    text: (m: ShownMessage) => blocksText(m.blocks),
  };
}

/** The stored conversation behind the thread conversationView finds; a failed test when none is. */
export async function storedConversation(t: { api: SlackApiMock; store: ConversationStore }, at?: Date) {
  const { root } = conversationView(t.api);
  return must(
    await t.store.getByKey(conversationKey(TEAM, root.channel, root.ts), at),
    "stored conversation",
  );
}

export function blocksText(blocks: Array<Record<string, unknown>>): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.text === "string") out.push(o.text);
      for (const [k, child] of Object.entries(o)) if (k !== "text" || typeof child !== "string") walk(child);
    }
  };
  walk(blocks);
  return out.join("\n");
}

/** The action ids of a message's buttons. */
export function buttons(m: ShownMessage): string[] {
  return m.blocks
    .filter((b) => b.type === "actions")
    .flatMap((b) => (b.elements as Array<Record<string, unknown>>).map((e) => String(e.action_id)));
}

/** The value, or a failed test saying what was missing. */
export function must<T>(value: T | undefined | null, what = "value"): T {
  if (value === undefined || value === null) throw new Error(`expected a ${what}, found none`);
  return value;
}

/** The element of a modal's input block, as the modal was opened. */
export function modalInput(view: Record<string, unknown>, blockId: string) {
  const block = ((view.blocks ?? []) as Array<Record<string, unknown>>).find((b) => b.block_id === blockId);
  return must(block, `input ${blockId}`).element as {
    initial_value?: string;
    initial_option?: { value: string };
  };
}
