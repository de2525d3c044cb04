import { afterEach, describe, expect } from "vitest";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { ESCALATION_FORM as FORM, USER } from "../support/slack-payloads.js";
import { blocksText, buttons, conversationView, must } from "../support/slack-thread.js";

let t: TestApp;
afterEach(async () => {
  await t.close();
});

describe("a direct message with the bot", () => {
  it("runs /portal-check there and escalates into the DM's own thread (a DM is private)", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.command("", { channel: "D0DIRECT01" });
    const view = conversationView(t.api);
    expect(view.root.channel).toBe("D0DIRECT01");
    await t.click(view.check, "escalate_now");
    await t.submit(t.lastModal(), FORM);
    const post = conversationView(t.api).replies.find((m) => blocksText(m.blocks).includes(FORM.parent_name));
    expect(post?.channel).toBe("D0DIRECT01");
    expect(post?.thread_ts).toBe(view.root.ts);
  });
});

describe("the newer portal", () => {
  it("explains the newer portal and still lets the staff member escalate", async () => {
    t = await startTestApp();
    await t.command("");
    await t.click(conversationView(t.api).check, "choose_version_newer");
    let view = conversationView(t.api);
    expect(buttons(view.check)).toEqual(["escalate_now", "choose_version_14.19", "choose_version_14.10"]);
    await t.click(view.check, "escalate_now");
    expect(t.lastModal().callback_id).toBe("escalation_form");
    view = conversationView(t.api);
    expect(buttons(view.check)).toEqual(["escalate_now", "paste_records", "check_back", "restart"]);
  });
});

describe("restarting after an escalation", () => {
  it("starts over; a second escalation replaces the first, whose buttons then say so", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.command("");
    await t.click(conversationView(t.api).check, "escalate_now");
    await t.submit(t.lastModal(), FORM);
    const firstPost = must(
      conversationView(t.api).replies.find((m) => buttons(m).includes("escalation_resolved")),
    );

    await t.click(conversationView(t.api).check, "restart");
    let view = conversationView(t.api);
    expect(view.text(view.check)).toContain("Check 1 of 8");
    await t.click(view.check, "check_not_fixed");
    await t.click(conversationView(t.api).check, "escalate_now");
    await t.submit(t.lastModal(), { ...FORM, parent_name: "Maria Lopez-Reyes" });
    view = conversationView(t.api);
    const posts = view.replies.filter((m) => buttons(m).includes("escalation_resolved"));
    expect(posts).toHaveLength(2);

    await t.click(firstPost, "escalation_resolved");
    expect(String(t.api.responses.at(-1)?.text)).toContain("replaced by a newer one");
    await t.click(must(posts[1]), "escalation_resolved");
    expect(blocksText(must(t.api.messages.get(must(posts[1]).ts)).blocks)).toContain("resolved by");
  });
});

describe("Block Kit limits under load", () => {
  it("keeps a long paste's findings and a maximal escalation inside every limit", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => new Date("2026-11-26T12:00:00Z") });
    await t.command("");
    const rows = ["Contact\tEmail\tPortal\tAuthority\tEnd Date\tPatient\tDOB\tStatus"];
    for (let i = 0; i < 60; i++) {
      rows.push(
        `Parent${i}, Long${"x".repeat(40)}\tp${i}@example.org\tNone\tNone\t1/1/2020\tChild${i} Name\t1/1/2000\tInactive`,
      );
    }
    const paste = rows.join("\n");
    await t.event({
      type: "message",
      channel_type: "group",
      user: USER,
      text: paste,
      ts: "1790001000.000100",
      thread_ts: conversationView(t.api).root.ts,
    });
    const findings = must(conversationView(t.api).replies.find((m) => m.text.includes("blocker")));
    expect(findings.blocks.length).toBeLessThanOrEqual(50);
    const listed = blocksText(findings.blocks);
    // Each rule once, with its fix once, and all 60 rows listed under it.
    expect(listed.match(/Blocker: Portal access is None/g)).toHaveLength(1);
    for (let i = 0; i < 60; i++) expect(listed).toContain(`Parent${i}, Long`);
    expect(listed).not.toContain("Shortened");

    await t.click(conversationView(t.api).check, "escalate_now");
    await t.submit(t.lastModal(), {
      parent_name: `Dana ${"W".repeat(190)}`,
      portal_emails: Array.from({ length: 40 }, (_, i) => `parent.account.${i}@example.org`).join("\n"),
      patients: Array.from({ length: 40 }, (_, i) => `Patient Number ${i} ${"Q".repeat(60)}`).join("\n"),
      steps_taken: "s".repeat(2900),
      reset_authorized: { option: "no" },
    });
    const post = conversationView(t.api).replies.find((m) => buttons(m).includes("escalation_resolved"));
    const shown = blocksText(must(post).blocks);
    // Every email and patient made it into the post, none cut to fit.
    for (let i = 0; i < 40; i++) {
      expect(shown).toContain(`parent.account.${i}@example.org`);
      expect(shown).toContain(`Patient Number ${i} ${"Q".repeat(60)}`);
    }
    // Then `it` (test/support/slack-app.ts) asserts that no captured message or modal broke a limit.
  });
});
