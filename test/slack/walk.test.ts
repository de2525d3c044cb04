import { afterEach, describe, expect } from "vitest";
import { ARTICLE_CHECKS as CHECK_IDS } from "../support/contract.js";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { USER } from "../support/slack-payloads.js";
import { blocksText, buttons, conversationView, must, storedConversation } from "../support/slack-thread.js";

/** A private channel that receives escalations (ESCALATION_CHANNEL). */
const ESCALATIONS = "G0ESCALATE";

let t: TestApp;
afterEach(async () => {
  await t.close();
});

const stored = () => storedConversation(t);

/**
 * The whole walk, from /portal-check to an escalation Support resolves, as named steps. Each test
 * walks to its step with the helpers below (the steps before it are tested on their own), so a
 * failure names the step that broke.
 */
describe("from /portal-check to a posted escalation", () => {
  const MARIA = {
    parent_name: "Maria Lopez",
    portal_emails: "maria.lopez@example.org\nmlopez.work@example.org",
    patients: "Sofia Lopez\nMateo Lopez",
    reset_authorized: { option: "yes" },
  };
  const LEAD = { user: "U0LEAD0001" };

  /** /portal-check in a channel of an OP 14.19 practice that sends escalations to ESCALATIONS. */
  async function started() {
    t = await startTestApp({ env: { OP_VERSION: "14.19", ESCALATION_CHANNEL: ESCALATIONS } });
    const res = await t.command("");
    expect(res.status).toBe(200);
  }

  /** Answers "not fixed" at every check; the last answer opens the escalation form, returned. */
  async function walkedToTheForm() {
    await started();
    for (const _check of CHECK_IDS) await t.click(conversationView(t.api).check, "check_not_fixed");
    return t.lastModal();
  }

  /** Submits Maria Lopez's details; returns the escalation post in ESCALATIONS. */
  async function escalated() {
    const modal = await walkedToTheForm();
    const ok = await t.submit(modal, MARIA);
    expect(await ok.text()).toBe("");
    return must(
      [...t.api.messages.values()].find((m) => m.channel === ESCALATIONS),
      "escalation post",
    );
  }

  /** Support's lead records case 00482913 on the post; returns the post as it looks then. */
  async function caseOpened() {
    const escalation = await escalated();
    await t.click(escalation, "escalation_case_opened", { ...LEAD, channel: ESCALATIONS });
    await t.submit(t.lastModal(), { case_number: "00482913" }, LEAD);
    return must(t.api.messages.get(escalation.ts));
  }

  it("starts with a root message and the first check in its thread, both known to the conversation", async () => {
    await started();
    const view = conversationView(t.api);
    expect(view.root.thread_ts).toBeUndefined();
    expect(view.text(view.root)).toContain(`<@${USER}> started a portal check`);
    expect(view.check.thread_ts).toBe(view.root.ts);
    expect((await stored()).surface).toMatchObject({ root: view.root.ts, check: view.check.ts });
    expect(buttons(view.check)).toEqual([
      "check_fixed",
      "check_not_fixed",
      "check_skip",
      "check_back",
      "escalate_now",
      "paste_records",
    ]);
  });

  it("walks every check in article order on one message updated in place, with a transcript", async () => {
    await started();
    for (const [i, check] of CHECK_IDS.entries()) {
      const view = conversationView(t.api);
      expect(view.text(view.check)).toContain(`Check ${i + 1} of 8 · OP 14.19`);
      expect(view.check.blocks.find((b) => b.type === "actions")?.block_id).toBe(`check:${check}`);
      await t.click(view.check, "check_not_fixed");
    }
    const view = conversationView(t.api);
    // Root, check message and transcript: the thread did not grow a message per click.
    expect(view.replies).toHaveLength(2);
    expect(view.transcript).toBeDefined();
    expect(view.text(must(view.transcript)).match(/still not visible after this check/g)).toHaveLength(8);
  });

  it("opens the escalation form after the last check, prefilled from the transcript", async () => {
    const modal = await walkedToTheForm();
    expect(modal.callback_id).toBe("escalation_form");
    const inputs = (modal.blocks as Array<Record<string, unknown>>).filter((b) => b.type === "input");
    expect(inputs.map((b) => b.block_id)).toEqual([
      "parent_name",
      "portal_emails",
      "patients",
      "steps_taken",
      "reset_authorized",
    ]);
    for (const input of inputs) expect((input.element as { action_id: string }).action_id).toBe("value");
    const stepsTaken = inputs.find((b) => b.block_id === "steps_taken")?.element as { initial_value: string };
    expect(stepsTaken.initial_value).toContain("Checks run in OP 14.19");
    expect(stepsTaken.initial_value).toContain(
      "Each parent needs an email address of their own: still not visible after this check",
    );
  });

  it("shows invalid form answers inline and posts nothing", async () => {
    const modal = await walkedToTheForm();
    const posts = t.api.callsTo("chat.postMessage").length;
    const invalid = await t.submit(modal, {
      parent_name: "Jo",
      portal_emails: "not-an-email",
      patients: "",
    });
    expect(invalid.status).toBe(200);
    const errors = (await invalid.json()) as { response_action: string; errors: Record<string, string> };
    expect(errors.response_action).toBe("errors");
    expect(Object.keys(errors.errors).sort()).toEqual([
      "parent_name",
      "patients",
      "portal_emails",
      "reset_authorized",
    ]);
    expect(errors.errors.portal_emails).toContain("Line 1");
    expect(t.api.callsTo("chat.postMessage")).toHaveLength(posts);
  });

  it("posts the escalation with everything Support asks for, and no PHI in its notification text", async () => {
    const escalation = await escalated();
    expect(escalation.thread_ts).toBeUndefined(); // a new thread root in ESCALATION_CHANNEL
    const text = blocksText(escalation.blocks);
    expect(text).toContain("800-218-9916");
    expect(text).toContain("Maria Lopez");
    expect(text).toContain("maria.lopez@example.org");
    expect(text).toContain("mlopez.work@example.org");
    expect(text).toContain("Sofia Lopez");
    expect(text).toContain("Mateo Lopez");
    expect(text).toContain("Password reset and test authorized*\nYes");
    expect(text).toContain("An interface may be interfering: still not visible after this check");
    expect(text).toMatch(
      /Each parent needs an email address of their own: still not visible after this check/,
    );
    expect(text).toContain("https://practice.slack.test/archives/C0PRIVATE1/p"); // link back (chat.getPermalink)
    // The notification text carries no PHI.
    expect(escalation.text).not.toContain("Lopez");
    expect(buttons(escalation)).toEqual(["escalation_case_opened", "escalation_resolved"]);
  });

  it("tells the conversation's thread that it was escalated, and where", async () => {
    await escalated();
    const view = conversationView(t.api);
    expect(view.text(view.check)).toContain("Escalation ready for Support");
    expect(view.text(view.check).match(/\*800-218-9916\*/g)).toHaveLength(1);
    expect(view.text(view.root)).toContain("escalated to Support");
    const note = view.replies.find((m) => m.text.includes("Escalation posted in"));
    expect(note?.text).toContain(`<#${ESCALATIONS}>`);
    expect((await stored()).state.phase).toBe("escalated");
  });

  it("takes Support's case number (not a blank, not free text) and tells the post, the root and the requester", async () => {
    const escalation = await escalated();
    await t.click(escalation, "escalation_case_opened", { ...LEAD, channel: ESCALATIONS });
    const caseModal = t.lastModal();
    expect(caseModal.callback_id).toBe("case_number_form");
    const bad = await t.submit(caseModal, { case_number: "  " }, LEAD);
    expect(((await bad.json()) as { errors: Record<string, string> }).errors.case_number).toContain(
      "case number",
    );
    // Free text such as a name is refused: the number is repeated in the requester's thread.
    const name = await t.submit(caseModal, { case_number: "Maria Lopez" }, LEAD);
    expect(((await name.json()) as { errors: Record<string, string> }).errors.case_number).toContain(
      "no spaces",
    );
    await t.submit(caseModal, { case_number: "00482913" }, LEAD);

    const afterCase = must(t.api.messages.get(escalation.ts));
    expect(blocksText(afterCase.blocks)).toContain("case *00482913* opened with Support by <@U0LEAD0001>");
    expect(t.api.inThread(ESCALATIONS, escalation.ts).some((m) => m.text.includes("00482913"))).toBe(true);
    const view = conversationView(t.api);
    expect(view.replies.some((m) => m.text.includes(`<@${USER}>`) && m.text.includes("00482913"))).toBe(true);
    expect(view.text(view.root)).toContain("Support case 00482913 opened");
  });

  it("is marked resolved by Support once; an old copy of the post is told it was already answered", async () => {
    const afterCase = await caseOpened();
    await t.click(afterCase, "escalation_resolved", { ...LEAD, channel: ESCALATIONS });
    const resolved = must(t.api.messages.get(afterCase.ts));
    expect(blocksText(resolved.blocks)).toContain("resolved by <@U0LEAD0001> (case 00482913)");
    expect(buttons(resolved)).toEqual([]);
    const view = conversationView(t.api);
    expect(
      view.replies.some((m) => m.text.includes(`<@${USER}>`) && m.text.includes("marked resolved")),
    ).toBe(true);
    expect(view.text(view.root)).toContain("resolved with Support");

    // A second "resolved" (an old copy of the message) is told it was already answered.
    await t.click(afterCase, "escalation_resolved", { ...LEAD, channel: ESCALATIONS });
    expect(String(t.api.responses.at(-1)?.text)).toContain("Already answered");
  });

  it("posts into the conversation's own thread when no ESCALATION_CHANNEL is set", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.10" } });
    await t.command("");
    let view = conversationView(t.api);
    await t.click(view.check, "escalate_now");
    await t.submit(t.lastModal(), {
      parent_name: "Dana Whitfield",
      portal_emails: "dana@example.org",
      patients: "Eli Whitfield",
      reset_authorized: { option: "no" },
    });
    view = conversationView(t.api);
    const post = view.replies.find((m) => blocksText(m.blocks).includes("Dana Whitfield"));
    expect(post?.thread_ts).toBe(view.root.ts);
    expect(blocksText(must(post).blocks)).toContain("*No*: ask the parent before Support resets anything");
    expect(blocksText(must(post).blocks)).toContain("escalated from here");
  });
});

describe("a walk that ends resolved", () => {
  it("asks the version, then resolves at the check that fixed it", async () => {
    t = await startTestApp();
    await t.command("");
    let view = conversationView(t.api);
    expect(buttons(view.check)).toEqual([
      "choose_version_14.19",
      "choose_version_14.10",
      "choose_version_newer",
    ]);
    await t.click(view.check, "choose_version_14.10");
    view = conversationView(t.api);
    expect(view.text(view.check)).toContain("Check 1 of 8 · OP 14.10");
    // The entry's notes are tips, not the article's words, and say so.
    expect(view.text(view.check)).toMatch(/\*Good to know:\*\n• Parents who want to use one address/);
    expect(view.text(view.check)).toContain("Patient Register");

    await t.click(view.check, "check_not_fixed");
    await t.click(conversationView(t.api).check, "check_fixed");
    // "Fixed" is not the end: the article's steps after any change, and whether the parent confirmed.
    view = conversationView(t.api);
    const asking = view.text(view.check);
    expect(asking).toContain("After any change, have the parent log in again");
    expect(asking).toContain(
      "Change made at “The parent may exist twice as a contact”: merged the parent's duplicate contacts.",
    );
    expect(asking).toMatch(/1\. Call the parent\.\n2\. Ask them to log in to the patient portal\./);
    expect(asking).toContain("*Has the parent logged in and confirmed that they see their children?*");
    expect(buttons(view.check)).toEqual([
      "parent_confirmed",
      "parent_waiting",
      "parent_not_seen",
      "check_back",
      "escalate_now",
    ]);
    expect(view.text(view.root)).toContain("asking whether the parent has confirmed");
    expect((await stored()).state.phase).toBe("confirm_fix");

    await t.click(view.check, "parent_confirmed");
    view = conversationView(t.api);
    expect(view.text(view.check)).toMatch(/^Resolved: /m);
    expect(buttons(view.check)).toEqual(["check_back", "restart"]);
    expect(view.text(view.root)).toContain("resolved: the parent confirmed they see the child");
    expect(view.text(must(view.transcript))).toContain(
      "merged the parent's duplicate contacts; the parent confirmed they see the child",
    );
    expect(t.api.callsTo("views.open")).toHaveLength(0);
    const record = await stored();
    expect(record.state.phase).toBe("resolved");
    expect(record.state.answers.map((a) => [a.outcome, a.parent])).toEqual([
      ["not_fixed", undefined],
      ["fixed", "confirmed"],
    ]);
  });
});

describe("back and skip", () => {
  it("skips forward, goes back to the skipped check, and notes when there is nothing to undo", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.command("");
    await t.click(conversationView(t.api).check, "check_back");
    let view = conversationView(t.api);
    expect(view.text(view.check)).toContain("Nothing to undo yet");
    expect(view.text(view.check)).toContain("Check 1 of 8");

    await t.click(view.check, "check_skip");
    view = conversationView(t.api);
    expect(view.text(view.check)).toContain("Check 2 of 8");
    expect(view.text(must(view.transcript))).toContain("skipped");

    await t.click(view.check, "check_back");
    view = conversationView(t.api);
    expect(view.text(view.check)).toContain("Check 1 of 8");
    expect(view.text(must(view.transcript))).toContain("No answers yet");
    expect((await stored()).state.answers).toEqual([]);

    await t.click(view.check, "check_skip");
    await t.click(conversationView(t.api).check, "check_not_fixed");
    view = conversationView(t.api);
    expect(view.text(view.check)).toContain("Check 3 of 8");
    expect((await stored()).state.answers.map((a) => `${a.check}:${a.outcome}`)).toEqual([
      "shared-email:skipped",
      "duplicate-contact:not_fixed",
    ]);
  });
});
