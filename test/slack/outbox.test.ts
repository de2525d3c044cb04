import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect } from "vitest";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { CHANNEL, ESCALATION_FORM as FORM, USER } from "../support/slack-payloads.js";
import { blocksText, buttons, conversationView, must, storedConversation } from "../support/slack-thread.js";

const ESCALATIONS = "G0ESCALATE";

let apps: TestApp[] = [];
const dirs: string[] = [];
let clock = Date.now();
const now = () => new Date(clock);

afterEach(async () => {
  // The first app owns the Slack mock: close the others first.
  for (const app of apps.reverse()) await app.close();
  apps = [];
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const databases = new Map<TestApp, string>();

/** Another instance of the app: the same database and the same Slack as `from`. */
async function start(env: Record<string, string>, from: TestApp) {
  const app = await startTestApp({
    env: { OP_VERSION: "14.19", ...env, DATABASE_URL: must(databases.get(from), "first app's database") },
    now,
    api: from.api,
  });
  apps.push(app);
  return app;
}

/** An app on a SQLite file of the test's own, so a second instance can share it. */
async function first(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "portal-check-outbox-"));
  dirs.push(dir);
  const database = join(dir, "conversations.db");
  const app = await startTestApp({ env: { OP_VERSION: "14.19", ...env, DATABASE_URL: database }, now });
  apps.push(app);
  databases.set(app, database);
  return app;
}

/** Runs /portal-check, opens the form and submits it; `failure` is set up just before the submit. */
async function escalate(t: TestApp, failure?: Parameters<TestApp["api"]["failNext"]>[1]) {
  await t.command("");
  await t.click(conversationView(t.api).check, "escalate_now");
  if (failure) t.api.failNext("chat.postMessage", failure);
  await t.submit(t.lastModal(), FORM);
}

const postsIn = (t: TestApp, channel: string) =>
  [...t.api.messages.values()].filter(
    (m) => m.channel === channel && buttons(m).includes("escalation_resolved"),
  );

const stored = (t: TestApp) => storedConversation(t, now());

describe("the escalation outbox", () => {
  it("keeps a post Slack refused, tells the requester, posts it once on the next run, never again", async () => {
    clock = Date.now();
    const t = await first({ ESCALATION_CHANNEL: ESCALATIONS });
    await escalate(t, { status: 500 });

    const [pending] = await t.store.listPendingEscalations(now());
    expect(pending).toMatchObject({ attempts: 1, lastError: "slack_http_error", postedTs: null });
    const delayed = conversationView(t.api).replies.filter((m) => m.text.includes("couldn't post"));
    expect(delayed).toHaveLength(1);
    expect(must(delayed[0]).text).toContain(`<@${USER}>`);
    expect(must(delayed[0]).text).toContain("there's no need to submit the form again");
    expect(postsIn(t, ESCALATIONS)).toEqual([]);
    // The same form submitted again (an old modal) adds nothing and says where things stand.
    await t.submit(t.lastModal(), FORM);
    expect(must(conversationView(t.api).replies.at(-1)).text).toContain("saved and waiting for Slack");
    expect(await t.store.listPendingEscalations(now())).toHaveLength(1);

    // Not due yet: the retry waits OUTBOX_RETRY_SECONDS after the failure.
    expect(await t.slack.background.retryOutbox()).toEqual({
      posted: 0,
      failed: 0,
      withdrawn: 0,
      skipped: 1,
    });
    clock += 16_000;
    expect(await t.slack.background.retryOutbox()).toEqual({
      posted: 1,
      failed: 0,
      withdrawn: 0,
      skipped: 0,
    });
    const [post] = postsIn(t, ESCALATIONS);
    expect(blocksText(must(post).blocks)).toContain("Maria Lopez");
    expect(must(post).metadata).toEqual({
      event_type: "portal_check_escalation",
      event_payload: { outbox: must(pending).id },
    });
    const told = conversationView(t.api).replies.filter((m) => m.text.includes("accepted it after all"));
    expect(told).toHaveLength(1);
    expect(must(told[0]).text).toContain(`<#${ESCALATIONS}>`);
    expect(must(told[0]).text).not.toContain("Lopez");
    const escalation = (await stored(t)).surface.escalation as { status: string; ts: string };
    expect(escalation).toMatchObject({ status: "open", ts: must(post).ts });
    expect((await t.store.getEscalation(must(pending).id, now()))?.postedTs).toBe(must(post).ts);

    // A second run, and two at once on a second instance of the app: nothing more is posted.
    const other = await start({ ESCALATION_CHANNEL: ESCALATIONS }, t);
    clock += 60 * 60_000;
    const runs = await Promise.all([
      t.slack.background.retryOutbox({ startup: true }),
      other.slack.background.retryOutbox({ startup: true }),
      other.slack.background.retryOutbox(),
    ]);
    expect(runs.map((r) => r.posted)).toEqual([0, 0, 0]);
    expect(postsIn(t, ESCALATIONS)).toHaveLength(1);
    expect(t.api.callsTo("chat.postMessage").filter((c) => c.args.channel === ESCALATIONS)).toHaveLength(2);
  });

  it("lets one instance post a pending escalation when several retry it at the same moment", async () => {
    clock = Date.now();
    const t = await first({ ESCALATION_CHANNEL: ESCALATIONS });
    const other = await start({ ESCALATION_CHANNEL: ESCALATIONS }, t);
    await escalate(t, { error: "channel_not_found" });
    expect(must(conversationView(t.api).replies.at(-1)).text).toContain(
      `I'm not a member of <#${ESCALATIONS}> (ESCALATION_CHANNEL). Invite me there with \`/invite @portal-check\`.`,
    );
    // The bot was invited and both instances restart: each tries every pending entry at start-up.
    const runs = await Promise.all([
      t.slack.background.retryOutbox({ startup: true }),
      other.slack.background.retryOutbox({ startup: true }),
    ]);
    expect(runs.map((r) => r.posted).sort()).toEqual([0, 1]);
    expect(postsIn(t, ESCALATIONS)).toHaveLength(1);
    expect(await t.store.listPendingEscalations(now())).toEqual([]);
  });

  for (const where of ["ESCALATION_CHANNEL", "the conversation's thread"] as const) {
    it(`records a post Slack accepted but whose answer was lost, found by its metadata (${where})`, async () => {
      clock = Date.now();
      const env: Record<string, string> =
        where === "ESCALATION_CHANNEL" ? { ESCALATION_CHANNEL: ESCALATIONS } : {};
      const t = await startTestApp({ env: { OP_VERSION: "14.19", ...env }, now, timeoutMs: 300 });
      apps.push(t);
      await t.command("");
      await t.click(conversationView(t.api).check, "escalate_now");
      // Slack posts it, but the answer comes after the client gave up.
      t.api.failNext("chat.postMessage", { delayMs: 800, applied: true });
      await t.submit(t.lastModal(), FORM);
      const channel = where === "ESCALATION_CHANNEL" ? ESCALATIONS : CHANNEL;
      const [accepted] = postsIn(t, channel);
      const [pending] = await t.store.listPendingEscalations(now());
      expect(pending).toMatchObject({ attempts: 1, lastError: "slack_unreachable" });
      expect(conversationView(t.api).replies.some((m) => m.text.includes("couldn't post"))).toBe(true);

      clock += 16_000;
      expect(await t.slack.background.retryOutbox()).toMatchObject({ posted: 1 });
      // Found in the channel (history) or thread (replies) with include_all_metadata; not posted again.
      const lookup = where === "ESCALATION_CHANNEL" ? "conversations.history" : "conversations.replies";
      const searched = t.api.callsTo(lookup);
      expect(searched).toHaveLength(1);
      expect(String(must(searched[0]).args.include_all_metadata)).toBe("true");
      expect(postsIn(t, channel)).toEqual([accepted]);
      expect(t.api.callsTo("chat.postMessage").filter((c) => c.args.metadata)).toHaveLength(1);
      expect((await t.store.getEscalation(must(pending).id, now()))?.postedTs).toBe(must(accepted).ts);
      expect((await stored(t)).surface.escalation).toMatchObject({ status: "open", ts: must(accepted).ts });
      expect(conversationView(t.api).replies.some((m) => m.text.includes("accepted it after all"))).toBe(
        true,
      );
      await t.settle();
    });
  }

  it("waits out a rate limit and posts once, without telling anyone it was delayed", async () => {
    clock = Date.now();
    const t = await first({ ESCALATION_CHANNEL: ESCALATIONS });
    const started = Date.now();
    await escalate(t, { status: 429, retryAfter: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(postsIn(t, ESCALATIONS)).toHaveLength(1);
    expect(conversationView(t.api).replies.some((m) => m.text.includes("couldn't post"))).toBe(false);
    expect(await t.store.listPendingEscalations(now())).toEqual([]);
  });

  it("stops a run at the first sign that Slack is down instead of timing out on every entry", async () => {
    clock = Date.now();
    const t = await first({ ESCALATION_CHANNEL: ESCALATIONS });
    await escalate(t, { status: 500 });
    await t.command("");
    await t.click(conversationView(t.api, 1).check, "escalate_now");
    t.api.failNext("chat.postMessage", { status: 500 });
    await t.submit(t.lastModal(), FORM);
    expect(await t.store.listPendingEscalations(now())).toHaveLength(2);

    clock += 60_000;
    const calls = t.api.calls.length;
    t.api.failNext("conversations.info", { status: 500 }, 3); // the first try and both retries
    expect(await t.slack.background.retryOutbox()).toEqual({
      posted: 0,
      failed: 1,
      withdrawn: 0,
      skipped: 1,
    });
    expect(t.api.calls.slice(calls).map((c) => c.method)).toEqual(Array(3).fill("conversations.info"));
    const [older, newer] = await t.store.listPendingEscalations(now());
    expect([older?.lastError, newer?.attempts]).toEqual(["slack_http_error", 1]);
    // Slack is back: the next run posts both.
    clock += 5 * 60_000;
    expect(await t.slack.background.retryOutbox()).toMatchObject({ posted: 2 });
    expect(postsIn(t, ESCALATIONS)).toHaveLength(2);
  });

  it("posts nothing into a channel that turned public while the escalation waited", async () => {
    clock = Date.now();
    const channel = "C0ESCALATE";
    const t = await first({ ESCALATION_CHANNEL: channel });
    await escalate(t, { status: 500 });
    t.api.publicChannels.add(channel);
    clock += 16_000;
    expect(await t.slack.background.retryOutbox()).toMatchObject({ posted: 0, failed: 1 });
    expect(postsIn(t, channel)).toEqual([]);
    const [pending] = await t.store.listPendingEscalations(now());
    expect(pending).toMatchObject({ attempts: 2, lastError: "channel_not_private" });
    // The requester heard about the 500 (what it was, not a timeout) and, once, about the channel.
    const notes = () => conversationView(t.api).replies.map((m) => m.text);
    expect(notes().filter((n) => n.includes("Slack answered with an error (HTTP 500)"))).toHaveLength(1);
    const publicNote = (n: string) => n.includes(`<#${channel}> (ESCALATION_CHANNEL) is a public channel`);
    expect(notes().filter(publicNote)).toHaveLength(1);
    clock += 60_000;
    expect(await t.slack.background.retryOutbox()).toMatchObject({ posted: 0, failed: 1 });
    expect(notes().filter(publicNote)).toHaveLength(1);
  });

  it("forgets an escalation with its conversation when retention removes it", async () => {
    clock = Date.now();
    const t = await first({ ESCALATION_CHANNEL: ESCALATIONS });
    await escalate(t, { status: 500 });
    expect(await t.store.listPendingEscalations(now())).toHaveLength(1);
    clock += 31 * 24 * 60 * 60_000;
    expect(await t.store.purge(new Date(clock - 30 * 24 * 60 * 60_000), now())).toBe(1);
    expect(await t.store.listPendingEscalations(now())).toEqual([]);
    expect(await t.slack.background.retryOutbox({ startup: true })).toEqual({
      posted: 0,
      failed: 0,
      withdrawn: 0,
      skipped: 0,
    });
    expect(postsIn(t, ESCALATIONS)).toEqual([]);
  });
});
