import { afterEach, beforeEach, describe, expect } from "vitest";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { USER } from "../support/slack-payloads.js";
import { conversationView, storedConversation } from "../support/slack-thread.js";

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ env: { OP_VERSION: "14.19" } });
});
afterEach(async () => {
  await t.close();
});

const record = () => storedConversation(t);

describe("Events API retries", () => {
  it("answers a mention once when Slack delivers it again with X-Slack-Retry-Num", async () => {
    const mention = {
      type: "app_mention",
      user: USER,
      text: "<@UBOT> why does dad get a server error when he logs in?",
      ts: "1790000100.000100",
      event_ts: "1790000100.000100",
    };
    const first = await t.event(mention, { eventId: "Ev0RETRY01" });
    const retry1 = await t.event(mention, { eventId: "Ev0RETRY01", retryNum: 1 });
    const retry2 = await t.event(mention, { eventId: "Ev0RETRY01", retryNum: 2 });
    expect([first.status, retry1.status, retry2.status]).toEqual([200, 200, 200]);
    expect(t.api.callsTo("chat.postMessage")).toHaveLength(1);
    expect(t.logs.filter((l) => l.includes("duplicate event delivery dropped"))).toHaveLength(2);
  });

  it("still answers a different event", async () => {
    const base = { type: "app_mention", user: USER, ts: "1790000100.000200", event_ts: "1790000100.000200" };
    await t.event({ ...base, text: "<@UBOT> what does Authority do?" }, { eventId: "Ev0A" });
    await t.event({ ...base, text: "<@UBOT> what does Portal None mean?" }, { eventId: "Ev0B" });
    expect(t.api.callsTo("chat.postMessage")).toHaveLength(2);
  });
});

describe("double clicks and stale buttons", () => {
  it("moves the conversation once when the same button is clicked twice at the same time", async () => {
    await t.command("");
    const check = conversationView(t.api).check;
    const before = t.api.calls.length;
    const [a, b] = await Promise.all([t.click(check, "check_not_fixed"), t.click(check, "check_not_fixed")]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const state = (await record()).state;
    expect(state.answers).toHaveLength(1);
    expect(state.current).toBe("duplicate-contact");
    // One transcript post, however the two requests interleaved.
    const posts = t.api.calls.slice(before).filter((c) => c.method === "chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(t.api.responses.filter((r) => String(r.text).startsWith("Already answered"))).toHaveLength(1);
  });

  it("tells a click on an older drawing 'already answered' and does not skip a step", async () => {
    await t.command("");
    const first = structuredClone(conversationView(t.api).check);
    await t.click(first, "check_not_fixed"); // now at check 2
    await t.click(first, "check_skip"); // stale: drawn at turn 0
    const state = (await record()).state;
    expect(state.answers.map((a) => a.outcome)).toEqual(["not_fixed"]);
    expect(state.current).toBe("duplicate-contact");
    const last = t.api.responses.at(-1);
    expect(last?.response_type).toBe("ephemeral");
    expect(String(last?.text)).toContain("Already answered");
    // The check message is redrawn with the current step (it heals a drawing Slack never replaced).
    const view = conversationView(t.api);
    expect(view.text(view.check)).toContain("Check 2 of 8");
  });

  it("treats a stale click after a resolution as already answered", async () => {
    await t.command("");
    const first = structuredClone(conversationView(t.api).check);
    await t.click(first, "check_fixed");
    await t.click(conversationView(t.api).check, "parent_confirmed");
    await t.click(first, "check_not_fixed");
    expect((await record()).state.phase).toBe("resolved");
    expect(String(t.api.responses.at(-1)?.text)).toContain("Already answered");
  });

  it("acknowledges a button this version no longer draws, says so, and moves nothing", async () => {
    await t.command("");
    const old = structuredClone(conversationView(t.api).check);
    const buttons = old.blocks.find((b) => b.type === "actions")?.elements as Array<Record<string, unknown>>;
    (buttons[0] as Record<string, unknown>).action_id = "check_retired_in_v0";
    const before = await record();
    const res = await t.click(old, "check_retired_in_v0");
    expect(res.status).toBe(200);
    expect(String(t.api.responses.at(-1)?.text)).toContain("older version of the app");
    expect(await record()).toEqual(before);
  });

  it("says so when a button's conversation has expired", async () => {
    await t.command("");
    const check = conversationView(t.api).check;
    await t.store.purge(new Date(Date.now() + 1000));
    await t.click(check, "check_fixed");
    expect(String(t.api.responses.at(-1)?.text)).toContain("has expired");
  });
});

describe("a burst of clicks on one button", () => {
  it("20 at once: one move, each message updated at most once, the clicker told once", async () => {
    await t.command("");
    const check = conversationView(t.api).check;
    const before = t.api.calls.length;
    const responses = await Promise.all(Array.from({ length: 20 }, () => t.click(check, "check_not_fixed")));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await t.settle();
    const state = (await record()).state;
    expect(state.answers).toHaveLength(1);
    expect(state.current).toBe("duplicate-contact");
    const calls = t.api.calls.slice(before);
    const updates = calls.filter((c) => c.method === "chat.update");
    const perMessage = new Map<string, number>();
    for (const u of updates) perMessage.set(String(u.args.ts), (perMessage.get(String(u.args.ts)) ?? 0) + 1);
    expect(Math.max(0, ...perMessage.values())).toBeLessThanOrEqual(1);
    expect(calls.filter((c) => c.method === "chat.postMessage")).toHaveLength(1); // the transcript
    expect(t.api.responses.filter((r) => String(r.text).startsWith("Already answered"))).toHaveLength(1);
    // What Slack shows at the end is the current step.
    const view = conversationView(t.api);
    expect(view.text(view.check)).toContain("Check 2 of 8");
  });

  it("a second person clicking the answered step is told too", async () => {
    await t.command("");
    const check = conversationView(t.api).check;
    await t.click(check, "check_not_fixed");
    await t.click(check, "check_not_fixed");
    await t.click(check, "check_not_fixed", { user: "U0STAFF02" });
    expect(t.api.responses.filter((r) => String(r.text).startsWith("Already answered"))).toHaveLength(2);
  });
});
