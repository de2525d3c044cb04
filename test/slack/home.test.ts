import { afterEach, describe, expect } from "vitest";
import type { FlowState } from "../../src/core/flow/state.js";
import { type SlackSurface, surfaceOf } from "../../src/slack/surface.js";
import { blockKitProblems } from "../support/block-kit-limits.js";
import { ARTICLE_CHECKS as CHECK_IDS } from "../support/contract.js";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { CHANNEL, ESCALATION_FORM, USER } from "../support/slack-payloads.js";
import { blocksText, conversationView, storedConversation } from "../support/slack-thread.js";

/** A private channel that receives escalations (ESCALATION_CHANNEL). */
const ESCALATIONS = "G0ESCALATE";
const LEAD = "U0LEAD0001";
const OTHER = "U0OTHER001";
/** What the escalation form and the opening text carry: PHI that must never reach the Home tab. */
const PHI = /Lopez|example\.org|Zanzibar/;

let t: TestApp;
afterEach(async () => {
  await t.close();
});

type View = { type: string; blocks: Array<Record<string, unknown>> };
const published = (user: string): View[] =>
  t.api
    .callsTo("views.publish")
    .filter((c) => c.args.user_id === user)
    .map((c) => (typeof c.args.view === "string" ? JSON.parse(c.args.view) : c.args.view) as View);
const lastHome = (user: string) => {
  const views = published(user);
  const view = views.at(-1);
  if (!view) throw new Error(`no Home tab was published for ${user}`);
  return view;
};
const openHome = (user: string) =>
  t.event({ type: "app_home_opened", user, channel: "D0HOME0001", tab: "home" });

/** One conversation walked in Slack to a posted escalation (the form names a parent and a child). */
async function escalatedConversation(rootIndex = 0) {
  await t.command("Zanzibar's dad cannot see his son");
  await t.click(conversationView(t.api, rootIndex).check, "escalate_now");
  await t.submit(t.lastModal(), { ...ESCALATION_FORM, steps_taken: "all of them" });
  return storedConversation(t);
}

describe("App Home", () => {
  it("publishes the user's conversations, the escalations and the last 30 days when the tab is opened", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19", ESCALATION_CHANNEL: ESCALATIONS } });
    // A conversation still at its second check, and one escalated.
    await t.command("");
    const second = conversationView(t.api, 0);
    await t.click(second.check, "check_not_fixed");
    await escalatedConversation(1);

    const res = await openHome(USER);
    expect(res.status).toBe(200);
    const view = lastHome(USER);
    expect(view.type).toBe("home");
    const text = blocksText(view.blocks);
    expect(text).toContain("Mine");
    expect(text).toMatch(/At check “.+”\* in <#C0PRIVATE1>/);
    expect(text).toContain("Recently finished");
    expect(text).toContain("Escalated: posted, waiting for a case number");
    // The open conversation links to its thread (Slack's permalink form, from auth.test's url).
    const urls = view.blocks.map((b) => (b.accessory as { url?: string } | undefined)?.url).filter(Boolean);
    expect(urls).toEqual([
      `https://practice.slack.test/archives/${CHANNEL}/p${second.root.ts.replace(".", "")}`,
    ]);
    expect(text).toContain("Posted, waiting for a case number* (1)");
    // The figures: two started, one escalated (of one finished), one still open.
    expect(text).toContain("*Started*\n2");
    expect(text).toContain("*Escalated*\n1");
    expect(text).toContain("*Still open*\n1");
    expect(text).toContain("*Escalation rate*\n100%");
    expect(text).toMatch(/14\.19 +█+ 2/);
    // No PHI anywhere on the tab, though the form and the opening text held some.
    expect(JSON.stringify(view)).not.toMatch(PHI);
    expect(blockKitProblems(view, "home")).toEqual([]);
  });

  it("a click on a tab's Open thread button (Slack opens the link) is acknowledged and nothing is posted", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.command("");
    await openHome(USER);
    const accessory = lastHome(USER)
      .blocks.map((b) => b.accessory as Record<string, unknown> | undefined)
      .find(Boolean);
    expect(accessory?.action_id).toBe("home_open_thread");
    // As Slack sends it from a Home tab: a view container, no channel, no response_url.
    const payload = {
      type: "block_actions",
      user: { id: USER, username: "staff", team_id: "T0TEAM" },
      api_app_id: "A0PORTAL",
      token: "legacy-verification-token",
      container: { type: "view", view_id: "V0HOME" },
      trigger_id: "trigger-home",
      team: { id: "T0TEAM", domain: "practice" },
      view: { id: "V0HOME", type: "home", blocks: lastHome(USER).blocks },
      actions: [{ ...accessory, block_id: "home", action_ts: `${Date.now() / 1000}` }],
    };
    const posts = t.api.callsTo("chat.postMessage").length + t.api.callsTo("chat.postEphemeral").length;
    const res = await t.send(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      "application/x-www-form-urlencoded",
    );
    await t.settle();
    expect(res.status).toBe(200);
    expect(t.api.callsTo("chat.postMessage").length + t.api.callsTo("chat.postEphemeral").length).toBe(posts);
    expect(t.api.responses).toEqual([]);
    expect(t.logs.join("\n")).not.toMatch(/"level":50/);
  });

  it("refreshes after the user's own commands and clicks once they opened the tab, and not for others", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.command("");
    expect(published(USER)).toHaveLength(0); // never opened: nothing is published for them
    await openHome(USER);
    expect(published(USER)).toHaveLength(1);
    expect(blocksText(lastHome(USER).blocks)).toContain(`At check “`);
    await t.command("");
    expect(published(USER)).toHaveLength(2);
    expect(blocksText(lastHome(USER).blocks)).toContain("*Started*\n2");
    const before = published(USER).length;
    await t.click(conversationView(t.api).check, "check_fixed");
    expect(published(USER)).toHaveLength(before + 1);
    // "Fixed" waits for the parent's confirmation; the confirmation resolves it.
    expect(blocksText(lastHome(USER).blocks)).toContain("Waiting for the parent's confirmation");
    await t.click(conversationView(t.api).check, "parent_confirmed");
    expect(published(USER)).toHaveLength(before + 2);
    const text = blocksText(lastHome(USER).blocks);
    expect(text).toContain("Fixed at “");
    expect(text).toContain("*Resolved*\n1");
    expect(text).toContain("*Still open*\n1");
    // Someone else's command and click do not publish their tab (they never opened it).
    await t.command("", { user: OTHER });
    await t.click(conversationView(t.api, 2).check, "check_not_fixed", { user: OTHER });
    expect(published(OTHER)).toHaveLength(0);
  });

  it("shows escalations only to the escalation channel's members when HOME_ESCALATIONS says so", async () => {
    t = await startTestApp({
      env: { OP_VERSION: "14.19", ESCALATION_CHANNEL: ESCALATIONS, HOME_ESCALATIONS: "escalation-channel" },
    });
    t.api.channelMembers.set(ESCALATIONS, [LEAD]);
    await escalatedConversation();
    await openHome(LEAD);
    expect(blocksText(lastHome(LEAD).blocks)).toContain("Posted, waiting for a case number* (1)");
    await openHome(USER);
    const text = blocksText(lastHome(USER).blocks);
    expect(text).not.toContain("Posted, waiting for a case number* (");
    expect(text).toContain(
      "Escalations are shown to the members of the escalation channel (HOME_ESCALATIONS).",
    );
    // The requester still sees their own conversation's escalation status under Mine.
    expect(text).toContain("Escalated: posted, waiting for a case number");
  });

  it("a failed membership lookup hides the escalations and says so", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19", HOME_ESCALATIONS: "S0LEADS0001" } });
    t.api.failNext("usergroups.users.list", { error: "missing_scope" });
    await openHome(LEAD);
    expect(blocksText(lastHome(LEAD).blocks)).toContain("could not check whether you are one of");
    t.api.groupMembers.set("S0LEADS0001", [LEAD]);
    await openHome(LEAD);
    expect(blocksText(lastHome(LEAD).blocks)).toContain("No escalations in the stored conversations.");
  });

  it("stays within Block Kit's limits with hundreds of stored conversations", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19", ESCALATION_CHANNEL: ESCALATIONS } });
    const model = await escalatedConversation();
    const surface = surfaceOf(model);
    const escalation = surface.escalation;
    if (!escalation || escalation.status === "pending") throw new Error("expected a posted escalation");
    const statuses = ["pending", "open", "case_opened", "resolved", null] as const;
    const now = Date.now();
    for (let i = 0; i < 400; i++) {
      const status = statuses[i % statuses.length] as (typeof statuses)[number];
      const phase: FlowState["phase"] = status ? "escalated" : i % 3 === 0 ? "resolved" : "check";
      const at = new Date(now - i * 60_000).toISOString();
      const state = {
        ...model.state,
        phase,
        current: CHECK_IDS[i % CHECK_IDS.length] ?? null,
        answers:
          phase === "resolved"
            ? [{ check: CHECK_IDS[i % CHECK_IDS.length] ?? "shared-email", outcome: "fixed" as const, at }]
            : [],
        startedAt: at,
        updatedAt: at,
      };
      const post: SlackSurface["escalation"] =
        status === null
          ? null
          : status === "pending"
            ? {
                status,
                id: `e${i}`,
                channel: ESCALATIONS,
                thread: null,
                report: escalation.report,
                since: at,
              }
            : { ...escalation, status, id: `e${i}`, case: status === "open" ? null : `C${i}` };
      const copy: SlackSurface = {
        ...surface,
        thread: `1790000000.${String(900000 + i)}`,
        requester: i % 2 === 0 ? USER : OTHER,
        escalation: post,
      };
      await t.store.create({ id: `seed-${i}`, key: null, state, surface: copy }, new Date(now - i * 60_000));
    }
    await openHome(USER);
    const view = lastHome(USER);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(blockKitProblems(view, "home")).toEqual([]);
    const text = blocksText(view.blocks);
    expect(text).toContain("more in progress (the newest are shown)");
    expect(text).toMatch(/_…and \d+ more_/);
    expect(text).toContain("*Started*\n401");
    expect(JSON.stringify(view)).not.toMatch(PHI);
  });
});
