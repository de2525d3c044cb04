import { afterEach, describe, expect } from "vitest";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { CHANNEL } from "../support/slack-payloads.js";
import { blocksText, buttons, conversationView, must } from "../support/slack-thread.js";

/**
 * Issue 14: 👍/👎 on every answer, "This did not help" after an unresolved guided check, and vague
 * complaints answered with the guided check; what is stored is redacted. Through the real Bolt
 * receiver (signed requests) and the real SQLite store.
 */

let t: TestApp;
afterEach(async () => {
  await t.close();
});

const ESCALATIONS = "G0ESCALATE";

const mention = (text: string, ts: string) => ({
  type: "app_mention",
  user: "U0STAFF01",
  text,
  ts,
  event_ts: ts,
});

describe("feedback on answers", () => {
  it("every answer carries 👍/👎; a click stores the verdict with the question, names and numbers removed", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.event(
      mention("<@UBOT> Mrs. Lopez (lopez@example.org) shows up twice since 3/4/2025", "1790001000.000100"),
    );
    const answer = must([...t.api.messages.values()][0]);
    expect(buttons(answer)).toEqual(["start_check", "answer_helpful", "answer_not_helpful"]);

    await t.click(answer, "answer_not_helpful");
    expect(String(t.api.responses.at(-1)?.text)).toContain("Thanks, noted");
    const [stored] = await t.store.listQuestions();
    expect(stored).toMatchObject({
      text: "Mrs <name> (<email>) shows up twice since <date>",
      outcome: "answer",
      top: "duplicate-contact",
      verdict: "down",
    });
    // The last click counts.
    await t.click(answer, "answer_helpful");
    expect((await t.store.listQuestions())[0]?.verdict).toBe("up");
  });

  it("a vague complaint gets the guided check from the first check, never 'I could not find that'", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.event(mention("<@UBOT> portal broken for the Nguyen family", "1790001100.000100"));
    const answer = must([...t.api.messages.values()][0]);
    const text = blocksText(answer.blocks);
    expect(text).not.toContain("could not find");
    expect(text).toContain("The checks, in order:");
    expect(text).not.toContain("800-218-9916");
    expect(buttons(answer)).toEqual(["start_check", "answer_helpful", "answer_not_helpful"]);
    await t.click(answer, "start_check");
    const check = must(
      t.api.inThread(CHANNEL, "1790001100.000100").find((m) => buttons(m).includes("check_fixed")),
    );
    expect(blocksText(check.blocks)).toContain("Check 1 of 8");
    expect((await t.store.listQuestions())[0]).toMatchObject({
      text: "portal broken for the <name> family",
      outcome: "guide",
    });
  });

  it("a question outside the domain is declined, saying what the bot covers", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.event(mention("<@UBOT> our wifi in the waiting room is down again", "1790001200.000100"));
    const text = blocksText(must([...t.api.messages.values()][0]).blocks);
    expect(text).toContain("outside what I cover");
    expect(text).toContain("Each parent needs an email address of their own");
    expect((await t.store.listQuestions())[0]?.outcome).toBe("refuse");
  });

  it("a support-number question is answered with the number and what to gather", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    await t.event(mention("<@UBOT> whats the help desk number", "1790001300.000100"));
    const text = blocksText(must([...t.api.messages.values()][0]).blocks);
    expect(text).toMatch(/^<@U0STAFF01> Support: 800-218-9916\./);
    expect(text).toContain("Get permission for Office Practicum to reset");
  });

  it("'This did not help' after an unresolved guided check stores the description, redacted, once", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19", ESCALATION_CHANNEL: ESCALATIONS } });
    await t.command("Dad Carlos Lopez still sees no kids, 555-123-4567");
    for (let i = 0; i < 8; i++) {
      const view = conversationView(t.api);
      if (!buttons(view.check).includes("check_not_fixed")) break;
      await t.click(view.check, "check_not_fixed");
    }
    const ok = await t.submit(t.lastModal(), {
      parent_name: "Carlos Lopez",
      portal_emails: "carlos@example.org",
      patients: "Ana Lopez",
      reset_authorized: { option: "yes" },
    });
    expect(await ok.text()).toBe("");
    const view = conversationView(t.api);
    expect(buttons(view.check)).toContain("check_not_helped");
    await t.click(view.check, "check_not_helped");
    await t.click(view.check, "check_not_helped");
    const stored = await t.store.listQuestions();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      text: "Dad <name> <name> still sees no kids, <phone>",
      outcome: "guide",
      verdict: "not-helped",
    });
    expect(String(t.api.responses.at(-1)?.text)).toContain("Thanks, noted");
    expect(t.api.inThread(CHANNEL, must(view.root.ts)).length).toBeGreaterThan(0);
  });
});
