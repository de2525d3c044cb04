import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { startConversation } from "../../src/core/flow/engine.js";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { CHANNEL, USER } from "../support/slack-payloads.js";
import {
  blocksText,
  buttons,
  conversationView,
  modalInput,
  must,
  storedConversation,
} from "../support/slack-thread.js";

const HOUR = 60 * 60 * 1000;
const ESCALATIONS = "G0ESCALATE";
const ROWS = [
  "Contact\tEmail\tPortal\tAuthority\tEnd Date\tPatient\tDOB\tStatus",
  "Lopez, Maria\tfamily.lopez@example.org\tNone\tJoint\t\tSofia Lopez\t3/14/2015\tActive",
].join("\n");

let clock = Date.parse("2026-11-26T09:00:00Z");
const now = () => new Date(clock);
let apps: TestApp[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const app of apps.reverse()) await app.close();
  apps = [];
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Two instances of the app on one database and one Slack (default STALE_* hours: 24 and 72). */
async function twoInstances(env: Record<string, string> = {}) {
  clock = Date.parse("2026-11-26T09:00:00Z");
  const dir = mkdtempSync(join(tmpdir(), "portal-check-stale-"));
  dirs.push(dir);
  const shared = { OP_VERSION: "14.19", DATABASE_URL: join(dir, "conversations.db"), ...env };
  const a = await startTestApp({ env: shared, now });
  apps.push(a);
  const b = await startTestApp({ env: shared, now, api: a.api });
  apps.push(b);
  return [a, b] as const;
}

const scanBoth = (a: TestApp, b: TestApp) =>
  Promise.all([a.slack.background.scanStale(), b.slack.background.scanStale()]);

const stored = (t: TestApp) => storedConversation(t, now());

const reminders = (t: TestApp) => conversationView(t.api).replies.filter((m) => m.text.includes(":wave:"));
const escalationPosts = (t: TestApp, channel: string) =>
  [...t.api.messages.values()].filter(
    (m) => m.channel === channel && buttons(m).includes("escalation_resolved"),
  );

describe("idle conversations: one reminder", () => {
  it("reminds once, from one instance, after STALE_REMIND_HOURS; an answer starts a new idle period", async () => {
    const [a, b] = await twoInstances();
    await a.command("");
    await a.click(conversationView(a.api).check, "check_not_fixed");

    clock += 23 * HOUR;
    expect((await scanBoth(a, b)).map((r) => r.reminded)).toEqual([0, 0]);
    clock += 2 * HOUR;
    const runs = await scanBoth(a, b);
    expect(runs.map((r) => r.reminded).sort()).toEqual([0, 1]);
    expect(reminders(a)).toHaveLength(1);
    const text = must(reminders(a)[0]).text;
    expect(text).toContain(`<@${USER}>`);
    expect(text).toContain("no answer for 25 hours");
    expect(text).toContain("check 2 of 8");
    expect(text).toContain("in the next 47 hours, I'll escalate what we have to Support automatically");
    // Reminding changes nothing stored: the idle clock keeps running towards the escalation.
    const before = await stored(a);
    clock += HOUR;
    await scanBoth(a, b);
    expect(reminders(a)).toHaveLength(1);
    expect(await stored(a)).toEqual(before);

    // The requester answers; a new idle period gets its own reminder.
    await b.click(conversationView(a.api).check, "check_skip");
    clock += 25 * HOUR;
    await scanBoth(a, b);
    expect(reminders(a)).toHaveLength(2);
    expect(must(reminders(a)[1]).text).toContain("check 3 of 8");
  });

  it("leaves finished conversations and other shells' conversations alone", async () => {
    const [a, b] = await twoInstances();
    await a.command("");
    await a.click(conversationView(a.api).check, "check_fixed");
    await a.click(conversationView(a.api).check, "parent_confirmed");
    // A terminal chat sharing the database (no Slack surface), idle for days.
    const content = loadContent();
    const terminal = startConversation(content, { type: "start", at: now().toISOString(), version: "14.19" });
    await a.store.create(
      { id: "terminal-1", key: "terminal:default", state: terminal.state, surface: {} },
      now(),
    );
    clock += 100 * HOUR;
    expect(await scanBoth(a, b)).toEqual([
      { reminded: 0, escalated: 0 },
      { reminded: 0, escalated: 0 },
    ]);
    expect(reminders(a)).toEqual([]);
  });
});

describe("idle conversations: the automatic escalation", () => {
  it("escalates once after STALE_ESCALATE_HOURS with what is known and what is missing; the form stays open", async () => {
    const [a, b] = await twoInstances({ ESCALATION_CHANNEL: ESCALATIONS });
    await a.command("");
    await a.click(conversationView(a.api).check, "check_not_fixed");
    await a.event({
      type: "message",
      channel_type: "group",
      user: USER,
      text: ROWS,
      ts: "1790000300.000100",
      thread_ts: conversationView(a.api).root.ts,
    });
    clock += 25 * HOUR;
    await scanBoth(a, b);
    clock += 48 * HOUR;
    const runs = await scanBoth(a, b);
    expect(runs.map((r) => r.escalated).sort()).toEqual([0, 1]);

    const [post] = escalationPosts(a, ESCALATIONS);
    expect(escalationPosts(a, ESCALATIONS)).toHaveLength(1);
    const shown = blocksText(must(post).blocks);
    expect(shown).toContain("Automatic escalation: a portal check went quiet");
    expect(shown).toContain(`<@${USER}> started this check and it has had no answer for 73 hours`);
    expect(shown).toContain("800-218-9916");
    // What is known: the transcript, the pasted emails and patients, the findings.
    expect(shown).toContain(
      "Each parent needs an email address of their own: still not visible after this check",
    );
    expect(shown).toContain("family.lopez@example.org");
    expect(shown).toContain("Sofia Lopez");
    expect(shown).toMatch(/:no_entry: .*Portal/);
    // What is missing, explicitly.
    const missing = shown.slice(shown.indexOf("*Still missing*"));
    expect(missing).toContain("• Parent's full name");
    expect(missing).toContain("• May Support reset the password and test with the account?");
    expect(missing).toContain("• Checks not run yet: ");
    expect(missing).not.toContain("Portal account email(s)");
    expect(must(post).text).not.toContain("Lopez");

    // The requester hears of it in their thread, with the missing items and no PHI.
    const note = must(conversationView(a.api).replies.find((m) => m.text.includes(":hourglass:")));
    expect(note.text).toContain(`<@${USER}>`);
    expect(note.text).toContain(`<#${ESCALATIONS}>`);
    expect(note.text).toContain("Still missing: Parent's full name;");
    expect(note.text).not.toContain("Lopez");
    const record = await stored(a);
    expect(record.state.phase).toBe("escalated");
    expect(record.state.autoEscalatedAt).toBe(now().toISOString());
    let view = conversationView(a.api);
    expect(view.text(view.check)).toContain("Escalated automatically");
    // Issue 14: an escalated (unresolved) check also offers "This did not help".
    expect(buttons(view.check)).toEqual(["escalate_now", "restart", "check_not_helped"]);
    expect(view.text(view.root)).toContain("escalated to Support automatically");

    // Finished now: later scans leave it alone.
    clock += 200 * HOUR;
    expect(await scanBoth(a, b)).toEqual([
      { reminded: 0, escalated: 0 },
      { reminded: 0, escalated: 0 },
    ]);

    // The requester completes the form; it is prefilled with what the pasted records named.
    await b.click(view.check, "escalate_now");
    const form = b.lastModal();
    expect(form.callback_id).toBe("escalation_form");
    expect(modalInput(form, "portal_emails").initial_value).toBe("family.lopez@example.org");
    await b.submit(form, { parent_name: "Maria Lopez", reset_authorized: { option: "yes" } });
    const posts = escalationPosts(a, ESCALATIONS);
    expect(posts).toHaveLength(2);
    expect(blocksText(must(posts[1]).blocks)).toContain("Escalation: a parent cannot see their child");
    view = conversationView(a.api);
    expect(view.text(view.check)).toContain("Escalation ready for Support");
    // The automatic post's buttons now point at the newer one.
    await a.click(must(posts[0]), "escalation_resolved", { channel: ESCALATIONS });
    expect(String(a.api.responses.at(-1)?.text)).toContain("replaced by a newer one");
  });

  it("escalates a conversation nobody ever answered, asking for the version too", async () => {
    const [a, b] = await twoInstances({ OP_VERSION: "" });
    await a.command("");
    clock += 80 * HOUR;
    await scanBoth(a, b);
    // No ESCALATION_CHANNEL: into the conversation's own (private) thread.
    const [post] = escalationPosts(a, CHANNEL);
    expect(must(post).thread_ts).toBe(conversationView(a.api).root.ts);
    const shown = blocksText(must(post).blocks);
    expect(shown).toContain("• The OP version the practice is on");
    expect(shown).toContain("*OP version*\n_not given yet_");
    expect(reminders(a)).toEqual([]); // past both thresholds at once: the escalation says it all
  });

  it("keeps an automatic escalation Slack refused in the outbox until it goes through", async () => {
    const [a, b] = await twoInstances({ ESCALATION_CHANNEL: ESCALATIONS });
    await a.command("");
    clock += 73 * HOUR;
    a.api.failNext("chat.postMessage", { status: 500 });
    await a.slack.background.scanStale();
    expect(escalationPosts(a, ESCALATIONS)).toEqual([]);
    const delayed = must(conversationView(a.api).replies.find((m) => m.text.includes("couldn't post it")));
    expect(delayed.text).toContain("I'll keep trying");
    expect((await stored(a)).state.phase).toBe("escalated");
    clock += 20_000;
    await b.slack.background.retryOutbox();
    expect(escalationPosts(a, ESCALATIONS)).toHaveLength(1);
    expect(conversationView(a.api).replies.some((m) => m.text.includes(":hourglass:"))).toBe(true);
  });

  it("says once that it cannot escalate into a public channel, and posts nothing", async () => {
    const [a, b] = await twoInstances();
    a.api.publicChannels.add("C0PUBLIC01");
    await a.command("", { channel: "C0PUBLIC01" });
    clock += 73 * HOUR;
    await scanBoth(a, b);
    clock += 2 * HOUR; // the refusal is looked at again later, but said once
    await scanBoth(a, b);
    const refusals = conversationView(a.api).replies.filter((m) => m.text.includes("I can't"));
    expect(refusals).toHaveLength(1);
    expect(must(refusals[0]).text).toContain("This conversation is in a public channel");
    expect(escalationPosts(a, "C0PUBLIC01")).toEqual([]);
    expect(await a.store.listPendingEscalations(now())).toEqual([]);
    expect((await stored(a)).state.phase).toBe("check");
  });
});

describe("idle conversations waiting for the parent's confirmation", () => {
  const parentReminders = (t: TestApp) =>
    conversationView(t.api).replies.filter((m) =>
      m.text.includes("the parent's confirmation is still missing"),
    );

  it("are never escalated; one reminder after PARENT_CONFIRM_REMIND_HOURS, whose button confirms and resolves", async () => {
    const [a, b] = await twoInstances({ ESCALATION_CHANNEL: ESCALATIONS, PARENT_CONFIRM_REMIND_HOURS: "48" });
    await a.command("");
    await a.click(conversationView(a.api).check, "check_fixed");
    // The question and its buttons are in walk.test.ts; here: waiting for the parent.
    let view = conversationView(a.api);
    await a.click(view.check, "parent_waiting");
    expect((await stored(a)).state.phase).toBe("awaiting_parent");
    view = conversationView(a.api);
    expect(view.text(view.root)).toContain("waiting for the parent to confirm they see the child");
    expect(buttons(view.check)).toEqual([
      "parent_confirmed",
      "parent_not_seen",
      "check_back",
      "escalate_now",
    ]);

    // Past STALE_REMIND_HOURS but not PARENT_CONFIRM_REMIND_HOURS: nothing yet.
    clock += 47 * HOUR;
    expect(await scanBoth(a, b)).toEqual([
      { reminded: 0, escalated: 0 },
      { reminded: 0, escalated: 0 },
    ]);
    clock += 2 * HOUR;
    expect((await scanBoth(a, b)).map((r) => r.reminded).sort()).toEqual([0, 1]);
    expect(parentReminders(a)).toHaveLength(1);
    const reminder = must(parentReminders(a)[0]);
    expect(reminder.text).toContain(`<@${USER}>`);
    expect(reminder.text).toContain(
      "It has been 49 hours since this change (gave each parent an email address of their own)",
    );
    expect(buttons(reminder)).toEqual(["parent_confirmed", "parent_not_seen"]);

    // Far past STALE_ESCALATE_HOURS: still no escalation and no second reminder.
    clock += 200 * HOUR;
    expect(await scanBoth(a, b)).toEqual([
      { reminded: 0, escalated: 0 },
      { reminded: 0, escalated: 0 },
    ]);
    expect(escalationPosts(a, ESCALATIONS)).toEqual([]);
    expect((await stored(a)).state.phase).toBe("awaiting_parent");

    // The parent called back: confirmed, from the reminder's button.
    await b.click(reminder, "parent_confirmed");
    const record = await stored(a);
    expect(record.state.phase).toBe("resolved");
    expect(record.state.answers.at(-1)).toMatchObject({ outcome: "fixed", parent: "confirmed" });
    view = conversationView(a.api);
    expect(view.text(view.check)).toContain("The parent confirmed they see the child after this change");
    expect(view.text(must(view.transcript))).toContain(
      "gave each parent an email address of their own; the parent confirmed they see the child",
    );
    expect(view.text(view.root)).toContain("resolved: the parent confirmed they see the child");
    // A second click on the reminder is stale: nothing moves.
    await a.click(reminder, "parent_not_seen");
    expect((await stored(a)).state.phase).toBe("resolved");
  });

  it("reopen from the reminder goes on with the checks, and a later escalation says which change the parent did not confirm", async () => {
    const [a, b] = await twoInstances({ ESCALATION_CHANNEL: ESCALATIONS, PARENT_CONFIRM_REMIND_HOURS: "1" });
    await a.command("");
    await a.click(conversationView(a.api).check, "check_not_fixed");
    await a.click(conversationView(a.api).check, "check_fixed");
    await a.click(conversationView(a.api).check, "parent_waiting");
    clock += 2 * HOUR;
    await scanBoth(a, b);
    const reminder = must(parentReminders(a)[0]);
    await a.click(reminder, "parent_not_seen");
    const record = await stored(a);
    expect(record.state).toMatchObject({ phase: "check", current: "patient-status" });
    const view = conversationView(a.api);
    expect(view.text(view.check)).toContain("Check 3 of 8");
    expect(view.text(must(view.transcript))).toContain(
      "merged the parent's duplicate contacts; the parent still cannot see the child",
    );

    await a.click(view.check, "escalate_now");
    await a.submit(a.lastModal(), {
      parent_name: "Maria Lopez",
      portal_emails: "maria@example.org",
      patients: "Sofia Lopez",
      reset_authorized: { option: "yes" },
    });
    const [post] = escalationPosts(a, ESCALATIONS);
    expect(blocksText(must(post).blocks)).toContain(
      "The parent may exist twice as a contact: merged the parent's duplicate contacts; the parent still cannot see the child",
    );
  });

  it("asked and not answered: reminded like any idle check, never escalated", async () => {
    const [a, b] = await twoInstances({ ESCALATION_CHANNEL: ESCALATIONS });
    await a.command("");
    await a.click(conversationView(a.api).check, "check_fixed");
    clock += 100 * HOUR;
    const runs = await scanBoth(a, b);
    expect(runs.map((r) => r.escalated)).toEqual([0, 0]);
    expect(runs.map((r) => r.reminded).sort()).toEqual([0, 1]);
    const text = must(reminders(a)[0]).text;
    expect(text).toContain("asking whether the parent has confirmed they see the child");
    expect(text).not.toContain("escalate");
    expect(escalationPosts(a, ESCALATIONS)).toEqual([]);
    expect((await stored(a)).state.phase).toBe("confirm_fix");
  });
});
