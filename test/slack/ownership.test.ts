import { afterEach, beforeEach, describe, expect } from "vitest";
import { ACTION, encode } from "../../src/slack/action-ids.js";
import { CASE_BLOCK } from "../../src/slack/blocks/case-number.js";
import { PASTE_BLOCK } from "../../src/slack/blocks/paste.js";
import { conversationKey } from "../../src/slack/surface.js";
import type { ShownMessage } from "../support/slack-api.js";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { CHANNEL, type ClickTarget, ESCALATION_FORM, TEAM } from "../support/slack-payloads.js";
import { buttons, conversationView, must } from "../support/slack-thread.js";

/**
 * Item 4 of issue 17: buttons and forms act only on their own conversation. Every request here is
 * signed as Slack signs it; what is wrong is the value inside: a conversation id swapped for
 * another's (keeping the signature), a value from before values were signed, or a correctly signed
 * button clicked in another channel.
 */

const OTHER_CHANNEL = "G0PRIVATE2";
let t: TestApp;
/** Conversation A in CHANNEL, conversation B in OTHER_CHANNEL. */
let a: { id: string; check: ShownMessage };
let b: { id: string; check: ShownMessage };

beforeEach(async () => {
  t = await startTestApp({ env: { OP_VERSION: "14.19" } });
  await t.command("");
  await t.command("", { channel: OTHER_CHANNEL });
  const idOf = async (i: number) => {
    const root = conversationView(t.api, i).root;
    return must(await t.store.getByKey(conversationKey(TEAM, root.channel, root.ts))).id;
  };
  a = { id: await idOf(0), check: conversationView(t.api, 0).check };
  b = { id: await idOf(1), check: conversationView(t.api, 1).check };
  expect(a.check.channel).toBe(CHANNEL);
  expect(b.check.channel).toBe(OTHER_CHANNEL);
});
afterEach(async () => {
  await t.close();
});

/** A copy of `message` whose `actionId` button carries `edit(value)`. */
function withValue(
  message: ClickTarget,
  actionId: string,
  edit: (value: Record<string, unknown>) => Record<string, unknown>,
): ClickTarget {
  const copy = structuredClone(message);
  for (const block of copy.blocks) {
    if (block.type !== "actions") continue;
    for (const element of block.elements as Array<Record<string, unknown>>) {
      if (element.action_id === actionId)
        element.value = JSON.stringify(edit(JSON.parse(String(element.value)) as Record<string, unknown>));
    }
  }
  return copy;
}
const swapTo = (id: string) => (v: Record<string, unknown>) => ({ ...v, c: id });
const unsigned = ({ s: _s, ...v }: Record<string, unknown>) => v;
/** The same message, as if it sat in another channel (the click's channel.id is the message's). */
const inChannel = (message: ClickTarget, channel: string): ClickTarget => ({
  ...structuredClone(message),
  channel,
});

const lastTold = () => String(t.api.responses.at(-1)?.text);
const answers = async (id: string) => must(await t.store.get(id)).state.answers.length;
/** The stored conversation, to compare before and after: equal means nothing was written. */
const storedNow = async (id: string) => must(await t.store.get(id));

describe("answer buttons", () => {
  it("refuse a value whose conversation id was swapped for another's, and move neither", async () => {
    const before = [await storedNow(a.id), await storedNow(b.id)];
    const res = await t.click(withValue(a.check, ACTION.notFixed, swapTo(b.id)), ACTION.notFixed);
    expect(res.status).toBe(200);
    expect(lastTold()).toContain("not drawn by this app");
    expect([await storedNow(a.id), await storedNow(b.id)]).toEqual(before);
  });

  it("refuse a value whose turn was changed", async () => {
    await t.click(a.check, ACTION.notFixed);
    const next = conversationView(t.api, 0).check;
    await t.click(
      withValue(a.check, ACTION.skip, (v) => ({ ...v, t: 1 })),
      ACTION.skip,
    );
    expect(lastTold()).toContain("not drawn by this app");
    expect(await answers(a.id)).toBe(1);
    expect(buttons(next)).toContain(ACTION.skip);
  });

  it("refuse a correctly signed button clicked in another channel", async () => {
    await t.click(inChannel(a.check, OTHER_CHANNEL), ACTION.notFixed);
    expect(lastTold()).toContain("another channel");
    expect(await answers(a.id)).toBe(0);
    expect(t.logs.some((l) => l.includes("button from another channel refused"))).toBe(true);
  });

  it("tell a value from before values were signed that it is outdated", async () => {
    await t.click(withValue(a.check, ACTION.notFixed, unsigned), ACTION.notFixed);
    expect(lastTold()).toContain("older version of the app");
    expect(await answers(a.id)).toBe(0);
  });

  it("still work as drawn (the control case)", async () => {
    await t.click(a.check, ACTION.notFixed);
    expect(await answers(a.id)).toBe(1);
    expect(await answers(b.id)).toBe(0);
  });
});

describe("the paste button", () => {
  it("opens no form for a swapped value or from another channel", async () => {
    await t.click(withValue(a.check, ACTION.paste, swapTo(b.id)), ACTION.paste);
    expect(lastTold()).toContain("not drawn by this app");
    await t.click(inChannel(a.check, OTHER_CHANNEL), ACTION.paste);
    expect(lastTold()).toContain("another channel");
    expect(t.api.callsTo("views.open")).toHaveLength(0);
    await t.click(a.check, ACTION.paste);
    expect(t.api.callsTo("views.open")).toHaveLength(1);
  });
});

describe("the Try again button", () => {
  it("redraws nothing for a swapped value", async () => {
    const note: ClickTarget = {
      channel: CHANNEL,
      ts: "1790000999.000001",
      blocks: [
        {
          type: "actions",
          block_id: "retry",
          elements: [{ type: "button", action_id: ACTION.redraw, value: encode({ c: a.id }) }],
        },
      ],
    };
    const updates = t.api.callsTo("chat.update").length;
    await t.click(withValue(note, ACTION.redraw, swapTo(b.id)), ACTION.redraw);
    expect(lastTold()).toContain("not drawn by this app");
    expect(t.api.callsTo("chat.update")).toHaveLength(updates);
    await t.click(note, ACTION.redraw);
    expect(t.api.callsTo("chat.update").length).toBeGreaterThan(updates);
  });
});

describe("forms", () => {
  it("the escalation form is not saved when its private_metadata names another conversation", async () => {
    await t.click(a.check, ACTION.escalate);
    const modal = t.lastModal();
    const metadata = JSON.parse(String(modal.private_metadata)) as Record<string, unknown>;
    const res = await t.submit(
      { ...modal, private_metadata: JSON.stringify(swapTo(b.id)(metadata)) },
      ESCALATION_FORM,
    );
    const answer = (await res.json()) as { response_action: string; errors: Record<string, string> };
    expect(answer.response_action).toBe("errors");
    expect(answer.errors.parent_name).toContain("not opened by this app");
    expect(must(await t.store.get(b.id)).state.phase).not.toBe("escalated");
    expect(must(await t.store.get(a.id)).state.phase).toBe("escalation");
    expect(t.api.callsTo("chat.postMessage").some((c) => JSON.stringify(c.args).includes("Maria"))).toBe(
      false,
    );
    // The real form still goes through.
    await t.submit(modal, ESCALATION_FORM);
    expect(must(await t.store.get(a.id)).state.phase).toBe("escalated");
  });

  it("pasted records are not checked into another conversation", async () => {
    await t.click(a.check, ACTION.paste);
    const modal = t.lastModal();
    const metadata = JSON.parse(String(modal.private_metadata)) as Record<string, unknown>;
    const res = await t.submit(
      { ...modal, private_metadata: JSON.stringify(swapTo(b.id)(metadata)) },
      { [PASTE_BLOCK]: "Email: maria.lopez@example.org\nPortal Access: Full" },
    );
    const answer = (await res.json()) as { errors: Record<string, string> };
    expect(answer.errors[PASTE_BLOCK]).toContain("not opened by this app");
    expect(must(await t.store.get(b.id)).surface.pasted).toBeNull();
  });
});

describe("escalation post buttons and the case-number form", () => {
  async function escalated() {
    await t.click(a.check, ACTION.escalate);
    await t.submit(t.lastModal(), ESCALATION_FORM);
    return must(conversationView(t.api, 0).replies.find((m) => buttons(m).includes(ACTION.supportResolved)));
  }

  it("resolve nothing for a swapped value or from another channel", async () => {
    const post = await escalated();
    await t.click(withValue(post, ACTION.supportResolved, swapTo(b.id)), ACTION.supportResolved);
    expect(lastTold()).toContain("not drawn by this app");
    await t.click(inChannel(post, OTHER_CHANNEL), ACTION.supportResolved);
    expect(lastTold()).toContain("another channel");
    await t.click(withValue(post, ACTION.caseOpened, swapTo(b.id)), ACTION.caseOpened);
    expect(lastTold()).toContain("not drawn by this app");
    const escalation = (must(await t.store.get(a.id)).surface.escalation ?? {}) as { status?: string };
    expect(escalation.status).toBe("open");
  });

  it("the case-number form records nothing when its private_metadata was changed", async () => {
    const post = await escalated();
    await t.click(post, ACTION.caseOpened);
    const modal = t.lastModal();
    const metadata = JSON.parse(String(modal.private_metadata)) as Record<string, unknown>;
    const res = await t.submit(
      { ...modal, private_metadata: JSON.stringify({ ...metadata, e: "t999" }) },
      { [CASE_BLOCK]: "12345678" },
    );
    const answer = (await res.json()) as { errors: Record<string, string> };
    expect(answer.errors[CASE_BLOCK]).toContain("not opened by this app");
    const escalation = (must(await t.store.get(a.id)).surface.escalation ?? {}) as { status?: string };
    expect(escalation.status).toBe("open");
  });
});
