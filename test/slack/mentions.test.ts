import { afterEach, describe, expect } from "vitest";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { CHANNEL, USER } from "../support/slack-payloads.js";
import { blocksText, buttons, conversationView, must } from "../support/slack-thread.js";

let t: TestApp;
afterEach(async () => {
  await t.close();
});

const mention = (text: string, ts: string, thread?: string) => ({
  type: "app_mention",
  user: USER,
  text,
  ts,
  event_ts: ts,
  ...(thread ? { thread_ts: thread } : {}),
});

describe("mentions", () => {
  it("answers in the mention's thread, without repeating the question, with a button to start at the suggested check", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.event(
      mention("<@UBOT> why does Carlos get a server error when he logs in?", "1790000600.000100"),
    );
    const answer = must([...t.api.messages.values()][0]);
    expect(answer.thread_ts).toBe("1790000600.000100");
    const text = blocksText(answer.blocks);
    expect(text).toContain("Authority");
    expect(text).toContain("In OP 14.19:");
    expect(text).not.toContain("[portal-authority]");
    expect(text).not.toContain("Carlos");
    // Issue 14: every answer also carries 👍/👎 (see feedback.test.ts).
    expect(buttons(answer)).toEqual(["start_check", "answer_helpful", "answer_not_helpful"]);

    // The button starts the guided check in the same thread, at the check the answer points to.
    await t.click(answer, "start_check");
    const inThread = t.api.inThread(CHANNEL, "1790000600.000100");
    const root = must(inThread.find((m) => blocksText(m.blocks).includes("started a portal check")));
    expect(root.thread_ts).toBe("1790000600.000100");
    const check = must(inThread.find((m) => buttons(m).includes("check_fixed")));
    expect(blocksText(check.blocks)).toContain("The parent's Authority (custody) setting");
    expect(blocksText(check.blocks)).toContain("Check 6 of 8");
    const stored = await t.store.getByKey(`slack:T0TEAM:${CHANNEL}:1790000600.000100`);
    expect(stored?.state.current).toBe("portal-authority");

    // A second click on the same start button points at the running check instead of starting another.
    await t.click(answer, "start_check");
    expect(String(t.api.responses.at(-1)?.text)).toContain("already running in this thread");
    expect(
      t.api.inThread(CHANNEL, "1790000600.000100").filter((m) => buttons(m).includes("check_fixed")),
    ).toHaveLength(1);
  });

  it("offers the checks when the question is not covered, and introduces itself on an empty mention", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.event(mention("<@UBOT> what's the weather like?", "1790000700.000100"));
    await t.event(mention("<@UBOT>", "1790000700.000200"));
    const [uncovered, intro] = [...t.api.messages.values()];
    // Issue 14: a refusal says what the bot covers (and is rated like any answer).
    expect(blocksText(must(uncovered).blocks)).toContain("outside what I cover");
    expect(buttons(must(uncovered))).toEqual(["start_check", "answer_helpful", "answer_not_helpful"]);
    expect(blocksText(must(intro).blocks)).toContain("Ask me a question");
  });
});

describe("direct messages", () => {
  it("answers a question sent in a DM, in its thread", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.10" } });
    await t.event({
      type: "message",
      channel: "D0DIRECT01",
      channel_type: "im",
      user: USER,
      text: "mom and dad use the same email, is that a problem?",
      ts: "1790000800.000100",
    });
    const answer = must([...t.api.messages.values()][0]);
    expect(answer.channel).toBe("D0DIRECT01");
    expect(answer.thread_ts).toBe("1790000800.000100");
    expect(blocksText(answer.blocks)).toContain("In OP 14.10:");
  });

  it("ignores the bot's own messages and edits", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.10" } });
    await t.event({
      type: "message",
      channel: "D0DIRECT01",
      channel_type: "im",
      bot_id: "BBOT",
      user: "UBOT",
      text: "hi",
      ts: "1.1",
    });
    await t.event({
      type: "message",
      subtype: "message_changed",
      channel: "D0DIRECT01",
      channel_type: "im",
      ts: "1.2",
    });
    expect(t.api.calls).toEqual([]);
  });
});

describe("/portal-check with a description", () => {
  it("starts at the check the description points to, and does not echo it in the channel", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.command("dad Carlos Lopez gets a server error");
    const view = conversationView(t.api);
    expect(view.text(view.check)).toContain("The parent's Authority (custody) setting");
    expect(view.text(view.root)).toContain("which matches the description");
    for (const m of t.api.messages.values())
      expect(`${m.text}${blocksText(m.blocks)}`).not.toContain("Carlos");
  });

  it("shows help for /portal-check help", async () => {
    t = await startTestApp();
    await t.command("help");
    expect(String(t.api.responses.at(-1)?.text)).toContain("/portal-check dad gets a server error");
    expect(t.api.calls).toEqual([]);
  });
});
