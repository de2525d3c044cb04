import { afterEach, describe, expect } from "vitest";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { ESCALATION_FORM as FORM } from "../support/slack-payloads.js";
import {
  blocksText,
  conversationView,
  modalInput,
  must,
  storedConversation,
} from "../support/slack-thread.js";

const PUBLIC = "C0PUBLIC01";

let t: TestApp;
afterEach(async () => {
  await t.close();
});

function phiAnywhere() {
  return [...t.api.messages.values()].some((m) => `${m.text} ${blocksText(m.blocks)}`.includes("Lopez"));
}

describe("escalations and public channels", () => {
  it("refuses to post an escalation in a public ESCALATION_CHANNEL, says why and what to configure, keeps the answers", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19", ESCALATION_CHANNEL: PUBLIC } });
    t.api.publicChannels.add(PUBLIC);
    await t.command("");
    await t.click(conversationView(t.api).check, "escalate_now");
    await t.submit(t.lastModal(), FORM);

    expect([...t.api.messages.values()].filter((m) => m.channel === PUBLIC)).toEqual([]);
    expect(phiAnywhere()).toBe(false);
    const view = conversationView(t.api);
    const refusal = must(view.replies.at(-1)).text;
    expect(refusal).toContain(`<#${PUBLIC}> (ESCALATION_CHANNEL) is a public channel`);
    expect(refusal).toContain("`ESCALATION_CHANNEL`");
    expect(refusal).toContain("`ALLOW_PUBLIC_ESCALATION=true`");
    expect(refusal).toContain("Your answers are saved");
    // The form was saved before Slack was answered, then withdrawn in one write: nothing waits in
    // the outbox and the conversation is back at the form.
    expect(await t.store.listPendingEscalations()).toEqual([]);
    const stored = await storedConversation(t);
    expect(stored.state.phase).toBe("escalation");
    expect(stored.surface).toMatchObject({ escalation: null, draft: { parent_name: "Maria Lopez" } });

    await t.click(view.check, "escalate_now");
    const initial = modalInput(t.lastModal(), "parent_name");
    expect(initial.initial_value).toBe("Maria Lopez");
  });

  it("refuses the default target too: the conversation's own thread in a public channel", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    t.api.publicChannels.add(PUBLIC);
    await t.command("", { channel: PUBLIC });
    await t.click(conversationView(t.api).check, "escalate_now");
    await t.submit(t.lastModal(), FORM);
    expect(phiAnywhere()).toBe(false);
    expect(must(conversationView(t.api).replies.at(-1)).text).toContain(
      "This conversation is in a public channel",
    );
  });

  it("refuses when Slack cannot say whether the channel is private", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19", ESCALATION_CHANNEL: "G0ESCALATE" } });
    await t.command("");
    await t.click(conversationView(t.api).check, "escalate_now");
    t.api.failNext("conversations.info", { error: "missing_scope" });
    await t.submit(t.lastModal(), FORM);
    expect(phiAnywhere()).toBe(false);
    expect(must(conversationView(t.api).replies.at(-1)).text).toContain(
      "I couldn't confirm that <#G0ESCALATE> is private",
    );
    // Not known to be public: it stays saved, and is posted once Slack confirms the channel.
    expect(await t.store.listPendingEscalations()).toHaveLength(1);
  });

  it("posts in a public channel when ALLOW_PUBLIC_ESCALATION=true", async () => {
    t = await startTestApp({
      env: { OP_VERSION: "14.19", ESCALATION_CHANNEL: PUBLIC, ALLOW_PUBLIC_ESCALATION: "true" },
    });
    t.api.publicChannels.add(PUBLIC);
    await t.command("");
    await t.click(conversationView(t.api).check, "escalate_now");
    await t.submit(t.lastModal(), FORM);
    const posted = [...t.api.messages.values()].filter((m) => m.channel === PUBLIC);
    expect(posted).toHaveLength(1);
    expect(t.api.callsTo("conversations.info")).toEqual([]);
  });

  it("says how to invite the bot when it is not in ESCALATION_CHANNEL", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19", ESCALATION_CHANNEL: "G0ESCALATE" } });
    await t.command("");
    await t.click(conversationView(t.api).check, "escalate_now");
    t.api.failNext("chat.postMessage", { error: "channel_not_found" });
    await t.submit(t.lastModal(), FORM);
    expect(must(conversationView(t.api).replies.at(-1)).text).toContain(
      "I'm not a member of <#G0ESCALATE> (ESCALATION_CHANNEL). Invite me there with `/invite @portal-check`.",
    );
  });

  it("posts once when the form is submitted twice at the same time", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19", ESCALATION_CHANNEL: "G0ESCALATE" } });
    await t.command("");
    await t.click(conversationView(t.api).check, "escalate_now");
    const modal = t.lastModal();
    await Promise.all([t.submit(modal, FORM), t.submit(modal, FORM)]);
    expect([...t.api.messages.values()].filter((m) => m.channel === "G0ESCALATE")).toHaveLength(1);
    // The second submission said nothing while the first one's post went through.
    const replies = conversationView(t.api).replies.map((m) => m.text);
    expect(replies.filter((text) => text.includes("saved and waiting"))).toEqual([]);
    expect(replies.filter((text) => text.includes("Escalation posted in"))).toHaveLength(1);
  });
});
