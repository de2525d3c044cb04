import { afterEach, describe, expect } from "vitest";
import { conversationKey } from "../../src/slack/surface.js";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { CHANNEL, ESCALATION_FORM, TEAM, USER } from "../support/slack-payloads.js";
import { blocksText, conversationView, must, storedConversation } from "../support/slack-thread.js";

let t: TestApp;
afterEach(async () => {
  await t.close();
});

const record = () => storedConversation(t);

describe("Slack rate limits and failures", () => {
  it("waits out a 429 (Retry-After) and then succeeds, without bothering the user", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.command("");
    t.api.failNext("chat.update", { status: 429, retryAfter: 1 });
    const started = Date.now();
    await t.click(conversationView(t.api).check, "check_not_fixed");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const view = conversationView(t.api);
    expect(view.text(view.check)).toContain("Check 2 of 8");
    expect(t.api.responses).toEqual([]);
    // The first update was refused once and sent again.
    const updates = t.api.callsTo("chat.update").filter((c) => c.args.ts === view.check.ts);
    expect(updates).toHaveLength(2);
  });

  it("retries a call that timed out and shows the answer", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, timeoutMs: 300 });
    await t.command("");
    const check = conversationView(t.api).check;
    t.api.failNext("chat.update", { delayMs: 1000 });
    await t.click(check, "check_not_fixed");
    const view = conversationView(t.api);
    expect(view.text(view.check)).toContain("Check 2 of 8");
    expect(t.api.callsTo("chat.update").filter((c) => c.args.ts === check.ts)).toHaveLength(2);
    expect(t.api.responses).toEqual([]);
  });

  it("keeps the answer and offers a retry when Slack keeps failing; the retry redraws", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.command("");
    const check = conversationView(t.api).check;
    t.api.failNext("chat.update", { status: 500 }, 3); // the first try and both retries
    await t.click(check, "check_not_fixed");

    expect((await record()).state.current).toBe("duplicate-contact");
    const told = must(t.api.responses.at(-1));
    expect(told.response_type).toBe("ephemeral");
    expect(String(told.text)).toContain("Your answer is saved");
    // Slack answered (with a 500): the note says so rather than that it did not answer.
    expect(String(told.text)).toContain("Slack answered with an error (HTTP 500)");
    let view = conversationView(t.api);
    expect(view.text(view.check)).toContain("Check 1 of 8"); // Slack never showed the move

    // "Try again" on the ephemeral message redraws the conversation as stored.
    const ephemeral = {
      channel: CHANNEL,
      ts: "1790000999.000001",
      blocks: told.blocks as Array<Record<string, unknown>>,
    };
    await t.click(ephemeral, "redraw");
    view = conversationView(t.api);
    expect(view.text(view.check)).toContain("Check 2 of 8");
    expect(t.api.responses.at(-1)).toEqual({ delete_original: true });
  });

  it("stores the conversation when Slack refuses its first screen, says so, and the retry posts it", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    const inThread = (args: Record<string, unknown>) => args.thread_ts !== undefined;
    t.api.failNext("chat.postMessage", { status: 500 }, 3, inThread); // the first try and both retries
    await t.command("");

    const root = must([...t.api.messages.values()].find((m) => m.thread_ts === undefined));
    expect(t.api.inThread(root.channel, root.ts).filter((m) => m.ts !== root.ts)).toEqual([]);
    const started = must(await t.store.getByKey(conversationKey(TEAM, root.channel, root.ts)));
    expect(started.state.phase).toBe("check");
    expect(started.surface).toMatchObject({ check: null });
    const told = must(t.api.responses.at(-1));
    expect(String(told.text)).toContain("The check started, but Slack didn't show its first step");

    const ephemeral = {
      channel: CHANNEL,
      ts: "1790000999.000002",
      blocks: told.blocks as Array<Record<string, unknown>>,
    };
    await t.click(ephemeral, "redraw");
    const view = conversationView(t.api);
    expect(view.text(view.check)).toContain("Check 1 of 8");
    expect((await record()).surface).toMatchObject({ check: view.check.ts });
  });

  it("says how to invite the bot when /portal-check is used in a channel it is not in", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    t.api.failNext("chat.postMessage", { error: "not_in_channel" });
    await t.command("");
    const told = must(t.api.responses.at(-1));
    expect(told.response_type).toBe("ephemeral");
    expect(String(told.text)).toContain("/invite @portal-check");
    expect(t.api.callsTo("chat.postMessage")).toHaveLength(1);
    expect(await t.store.purge(new Date(Date.now() + 60_000))).toBe(0); // nothing was stored
  });

  it("keeps an escalation Slack did not take in the outbox, says so, and posts it on the next retry", async () => {
    let clock = Date.now();
    t = await startTestApp({
      env: { OP_VERSION: "14.19", ESCALATION_CHANNEL: "G0ESCALATE" },
      now: () => new Date(clock),
    });
    await t.command("");
    await t.click(conversationView(t.api).check, "escalate_now");
    t.api.failNext("chat.postMessage", { status: 500 });
    await t.submit(t.lastModal(), ESCALATION_FORM);
    let view = conversationView(t.api);
    const note = must(view.replies.at(-1));
    expect(note.text).toContain("I couldn't post the escalation in <#G0ESCALATE>");
    expect(note.text).toContain("Your answers are saved");
    expect(note.text).not.toContain("Lopez");
    // Nothing typed is lost: the escalation is saved and the conversation is escalated, waiting.
    expect((await record()).state.phase).toBe("escalated");
    expect(await t.store.listPendingEscalations(new Date(clock))).toHaveLength(1);
    expect(view.text(view.root)).toContain("it will be posted as soon as Slack accepts it");
    expect([...t.api.messages.values()].filter((m) => m.channel === "G0ESCALATE")).toEqual([]);

    // The outbox timer's next run posts it, with every answer, and tells the requester.
    clock += 60_000;
    await t.slack.background.retryOutbox();
    const posted = [...t.api.messages.values()].filter((m) => m.channel === "G0ESCALATE");
    expect(posted).toHaveLength(1);
    const text = blocksText(must(posted[0]).blocks);
    expect(text).toContain("Maria Lopez");
    expect(text).toContain("maria.lopez@example.org");
    expect(text).toContain("Password reset and test authorized*\nYes");
    view = conversationView(t.api);
    expect(must(view.replies.at(-1)).text).toContain("Slack accepted it after all");
    expect(view.text(view.root)).toContain("escalated to Support");
    expect((await record()).state.phase).toBe("escalated");
  });

  it("tells the user when something breaks inside the app", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.command("");
    const check = conversationView(t.api).check;
    await t.store.close(); // the database goes away under the app
    await t.click(check, "check_fixed");
    const told = must(t.api.responses.at(-1));
    expect(String(told.text)).toContain("Something went wrong on my side");
    expect(t.logs.some((l) => l.includes("listener failed"))).toBe(true);
  });

  it("tells the user of an event that broke, in its thread, with the app's own client", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.store.close(); // the database goes away under the app
    await t.event({
      type: "app_mention",
      user: USER,
      text: "<@UBOT> why can't mom see her son?",
      ts: "1790000300.000100",
      event_ts: "1790000300.000100",
    });
    const told = t.api.callsTo("chat.postEphemeral");
    expect(told).toHaveLength(1);
    expect(must(told[0]).args).toMatchObject({
      channel: CHANNEL,
      user: USER,
      thread_ts: "1790000300.000100",
    });
    expect(String(must(told[0]).args.text)).toContain("Something went wrong on my side");
    expect(t.logs.some((l) => l.includes("listener failed"))).toBe(true);
  });
});
