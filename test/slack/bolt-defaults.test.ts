import { afterEach, beforeEach, describe, expect } from "vitest";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { blockActionBody, TEAM, USER } from "../support/slack-payloads.js";
import { conversationView, storedConversation } from "../support/slack-thread.js";

/** Item 8 of issue 17: where Bolt's defaults would leave a person without an answer. */

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ env: { OP_VERSION: "14.19" } });
});
afterEach(async () => {
  await t.close();
});

const FORM = "application/x-www-form-urlencoded";

/** A click as Slack sends it, with `edit` applied to the payload (e.g. without response_url). */
async function clickWith(
  message: Parameters<typeof blockActionBody>[0],
  actionId: string,
  edit: (payload: Record<string, unknown>) => void,
) {
  const raw = blockActionBody(message, actionId, { responseUrl: "unused", triggerId: "trigger-x" });
  const payload = JSON.parse(new URLSearchParams(raw).get("payload") ?? "{}") as Record<string, unknown>;
  edit(payload);
  const res = await t.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
  await t.settle();
  return res;
}

describe("a button click without a response_url", () => {
  it("still tells the person who clicked, as an ephemeral message in the channel", async () => {
    await t.command("");
    const first = structuredClone(conversationView(t.api).check);
    await t.click(first, "check_not_fixed");
    const res = await clickWith(first, "check_skip", (p) => {
      delete p.response_url;
    });
    expect(res.status).toBe(200);
    const told = t.api.callsTo("chat.postEphemeral").at(-1);
    expect(told?.args).toMatchObject({ channel: first.channel, user: USER });
    expect(String(told?.args.text)).toContain("Already answered");
    expect((await storedConversation(t)).state.answers).toHaveLength(1);
    expect(t.logs.some((l) => l.includes("could not reach the user"))).toBe(false);
  });

  it("tells them in their direct messages with the app when the click has no channel either", async () => {
    await t.command("");
    const check = conversationView(t.api).check;
    await clickWith(check, "check_not_fixed", (p) => {
      delete p.response_url;
      delete p.channel;
      (p.actions as Array<Record<string, unknown>>)[0] = {
        ...(p.actions as Array<Record<string, unknown>>)[0],
        action_id: "check_retired_in_v0",
      };
    });
    const told = t.api.callsTo("chat.postMessage").at(-1);
    expect(told?.args.channel).toBe(USER);
    expect(String(told?.args.text)).toContain("older version of the app");
  });
});

describe("a modal closed without submitting", () => {
  it("is acknowledged at once (Slack sends view_closed for modals that ask for it)", async () => {
    const payload = {
      type: "view_closed",
      team: { id: TEAM, domain: "practice" },
      user: { id: USER, team_id: TEAM },
      api_app_id: "A0PORTAL",
      view: { id: "V0MODAL", callback_id: "escalation_form", private_metadata: "", type: "modal" },
      is_cleared: false,
    };
    const res = await t.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
    // Bolt's default for a request no listener acknowledges: a 404 after its 3-second timer.
    expect(res.status).toBe(200);
    await t.settle();
    expect(t.logs.some((l) => /not acknowledged|unhandled/i.test(l))).toBe(false);
  });
});
