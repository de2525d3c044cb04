import { afterEach, describe, expect } from "vitest";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { USER } from "../support/slack-payloads.js";
import {
  blocksText,
  conversationView,
  modalInput,
  must,
  storedConversation,
} from "../support/slack-thread.js";

const ROWS = [
  "Contact\tRelationship\tEmail\tPortal\tAuthority\tStart Date\tEnd Date\tPatient\tDOB\tStatus",
  "Lopez, Maria\tMother\tfamily.lopez@example.org\tMinor\tJoint\t\t\tSofia Lopez\t3/14/2015\tActive",
  "Lopez, Carlos\tFather\tfamily.lopez@example.org\tMinor\tJoint\t\t1/2/2024\tSofia Lopez\t3/14/2015\tActive",
  "Lopez, Maria\tMother\tfamily.lopez@example.org\tMinor\t\t\t\tMateo Lopez\t5/1/2006\tActive",
];
const PASTE = ROWS.join("\n");
const TODAY = new Date("2026-11-26T15:00:00Z");

let t: TestApp;
afterEach(async () => {
  await t.close();
});

/** Every message text the app posted or updated anywhere, plus ephemeral replies. */
function everythingShown() {
  return [
    ...[...t.api.messages.values()].map((m) => `${m.text}\n${blocksText(m.blocks)}`),
    ...t.api.responses.map((r) => JSON.stringify(r)),
  ].join("\n");
}

describe("pasted records through the modal", () => {
  it("posts the findings in the thread, blockers first, each with the fix for the chosen version", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    await t.click(conversationView(t.api).check, "paste_records");
    const modal = t.lastModal();
    expect(modal.callback_id).toBe("paste_records_form");
    const res = await t.submit(modal, { records: PASTE });
    expect(await res.text()).toBe("");

    const view = conversationView(t.api);
    const findings = view.replies.find((m) => m.text.includes("blocker"));
    expect(findings).toBeDefined();
    const text = blocksText(must(findings).blocks);
    expect(text).toContain(`<@${USER}> I read 3 rows: *3 blockers*, 1 warning. Fixes are for OP 14.19.`);
    // Blockers before the warning.
    expect(text.indexOf("Warning:")).toBeGreaterThan(text.lastIndexOf("Blocker:"));
    expect(text).toContain("Patient Chart button"); // the 14.19 menus
    expect(text).toContain("End Date");
    // A private channel: findings may name contacts (the fix needs to know which one).
    expect(text).toContain("Lopez, Carlos");
    // The paste itself is never echoed.
    for (const row of ROWS) expect(everythingShown()).not.toContain(row);
    expect(everythingShown()).not.toContain("3/14/2015");

    // The escalation form is prefilled with what the records name.
    await t.click(conversationView(t.api).check, "escalate_now");
    const form = t.lastModal();
    const initial = (id: string) => modalInput(form, id).initial_value;
    expect(initial("portal_emails")).toBe("family.lopez@example.org");
    expect(initial("patients")).toBe("Sofia Lopez\nMateo Lopez");

    // …and the escalation carries the findings.
    await t.submit(form, { parent_name: "Carlos Lopez", reset_authorized: { option: "yes" } });
    const post = conversationView(t.api).replies.find((m) =>
      blocksText(m.blocks).includes("Findings in the pasted"),
    );
    expect(blocksText(must(post).blocks)).toMatch(/:no_entry: .*Lopez, Carlos.*End Date/);
  });

  it("counts a blank Authority as a blocker when the practice had the portal in 2006-2010", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    await t.click(conversationView(t.api).check, "paste_records");
    await t.submit(t.lastModal(), { records: PASTE, legacy_portal: { options: ["yes"] } });
    const findings = conversationView(t.api).replies.find((m) => m.text.includes("blocker"));
    const text = blocksText(must(findings).blocks);
    expect(text).toContain("I read 3 rows: *4 blockers*, 0 warnings.");
    expect(text).toContain("*Blocker: Authority is blank*");
  });

  it("keeps the modal open with line-level problems when nothing can be read", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    await t.click(conversationView(t.api).check, "paste_records");
    const posts = t.api.callsTo("chat.postMessage").length;
    const res = await t.submit(t.lastModal(), { records: "mom and dad both use one email\nthanks" });
    const body = (await res.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(body.errors.records).toContain("not a header row");
    expect(body.errors.records).toContain("Accepted input");
    expect(t.api.callsTo("chat.postMessage")).toHaveLength(posts);
  });

  it("lists cells it could not read by line and column, without repeating them", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.10" }, now: () => TODAY });
    await t.command("");
    await t.click(conversationView(t.api).check, "paste_records");
    await t.submit(t.lastModal(), {
      records:
        "Contact: Maria Lopez\nEmail: maria@example.org\nPortal: Maybe\nEnd Date: 13/45/2020\nPatient: Sofia Lopez",
    });
    const reply = must(conversationView(t.api).replies.at(-1));
    const text = blocksText(reply.blocks);
    expect(text).toContain("Line 3 (Portal): expected None, Minor or Full");
    expect(text).toContain("Line 4 (End Date)");
    expect(text).not.toContain("Maybe");
    expect(text).not.toContain("13/45/2020");
  });
});

describe("coverage in Slack (issue 13)", () => {
  it("a paste without some columns is never answered as an all clear, and says which checks could not run", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    await t.click(conversationView(t.api).check, "paste_records");
    await t.submit(t.lastModal(), {
      records: "Contact\tEmail\tPortal\nMaria Lopez\tmaria@example.org\tMinor",
    });
    const text = blocksText(must(conversationView(t.api).replies.at(-1)).blocks);
    expect(text).toContain("found no blocker in what I could check, but *this is not an all clear*");
    expect(text).toContain("*Not checked* (add these columns to the paste to check them):");
    expect(text).toContain("• Whether the patient's status is not Active: no patient status");
    expect(text).not.toContain(":white_check_mark:");
  });
});

describe("a table pasted as a reply in the thread", () => {
  it("is picked up, Slack's formatting undone, and answered with findings", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    const root = conversationView(t.api).root;
    // Slack links emails and escapes & < >.
    const slackText = PASTE.replaceAll(
      "family.lopez@example.org",
      "<mailto:family.lopez@example.org|family.lopez@example.org>",
    );
    await t.event({
      type: "message",
      channel_type: "group",
      user: USER,
      text: slackText,
      ts: "1790000200.000100",
      thread_ts: root.ts,
    });
    const findings = conversationView(t.api).replies.find((m) => m.text.includes("blocker"));
    expect(blocksText(must(findings).blocks)).toContain("share the email family.lopez@example.org");
    const record = await storedConversation(t);
    expect((record.surface as { pasted: { emails: string[] } }).pasted.emails).toEqual([
      "family.lopez@example.org",
    ]);
  });

  it("leaves ordinary chat in the thread alone", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    await t.command("");
    const root = conversationView(t.api).root;
    const before = t.api.calls.length;
    await t.event({
      type: "message",
      channel_type: "group",
      user: USER,
      text: "Calling the mom now, back in 5",
      ts: "1790000200.000200",
      thread_ts: root.ts,
    });
    expect(t.api.calls.length).toBe(before);
  });

  it("names no one in a public channel: line numbers and what is wrong only", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" }, now: () => TODAY });
    t.api.publicChannels.add("C0PUBLIC01");
    await t.command("", { channel: "C0PUBLIC01" });
    const root = conversationView(t.api).root;
    await t.event({
      type: "message",
      channel: "C0PUBLIC01",
      channel_type: "channel",
      user: USER,
      text: PASTE,
      ts: "1790000300.000100",
      thread_ts: root.ts,
    });
    const findings = conversationView(t.api).replies.find((m) => m.text.includes("blocker"));
    const text = blocksText(must(findings).blocks);
    expect(text).toContain("Blocker: Two different people share one email address*\n• Lines 2, 3, 4");
    expect(text).toContain("Names are left out because this channel is public");
    for (const phi of ["Lopez", "family.lopez@example.org", "Sofia", "Mateo", "5/1/2006"])
      expect(text).not.toContain(phi);
  });
});
