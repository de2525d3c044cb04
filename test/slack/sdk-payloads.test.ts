import { readFileSync } from "node:fs";
import { afterEach, describe, expect } from "vitest";
import { conversationKey } from "../../src/slack/surface.js";
import type { ShownMessage } from "../support/slack-api.js";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { findButton } from "../support/slack-payloads.js";
import { blocksText, conversationView, must } from "../support/slack-thread.js";

/**
 * Requests replayed from Slack's own SDK test payloads (test/fixtures/slack-sdk/, each file naming
 * the repository, commit, file and variable it was copied from), not from our own harness's bodies.
 * Only what has to point at this app is replaced: the command name, the button pressed (action id,
 * value), the modal's callback id, metadata and inputs, the thread a reply is in, the message text,
 * and response_url's host (to the mocked hooks host; the path is kept). Everything else, including
 * odd fields such as `enterprise_id` without `is_enterprise_install`, a block_actions without
 * `message` (an ephemeral message), and `authed_users` instead of `authorizations`, is sent as
 * Slack's SDKs send it, signed as Slack signs.
 */

interface Fixture<T> {
  source: { repository: string; path: string; commit: string; variable: string; url: string };
  payload: T;
}
type Json = Record<string, unknown>;

function fixture<T = Json>(name: string): Fixture<T> {
  return JSON.parse(readFileSync(new URL(`../fixtures/slack-sdk/${name}`, import.meta.url), "utf8"));
}

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";
/** Team, channel and user of the SDK payloads. */
const SDK_TEAM = "T111";
const SDK_CHANNEL = "C111";

let t: TestApp;
afterEach(async () => {
  await t.close();
});

/** response_url on the mocked hooks host, with the SDK payload's path. */
function hooked(url: string): string {
  const u = new URL(url);
  return `${t.api.hooksOrigin}${u.pathname}`;
}

async function sendInteraction(payload: Json) {
  const res = await t.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
  await t.settle();
  return res;
}

async function sendEvent(body: Json) {
  const res = await t.send(JSON.stringify(body), JSON_TYPE);
  await t.settle();
  return res;
}

/** bolt-python tests/scenario_tests/test_slash_command.py `slash_command_body`, as /portal-check. */
async function slashCommand(text?: string) {
  const sdk = fixture<string>("slash-command.json");
  const form = new URLSearchParams(sdk.payload);
  form.set("command", "/portal-check");
  form.set("response_url", hooked(must(form.get("response_url"))));
  if (text !== undefined) form.set("text", text);
  const res = await t.send(form.toString(), FORM);
  await t.settle();
  return res;
}

/**
 * bolt-python tests/scenario_tests/test_block_actions.py `body`: a click on an ephemeral message,
 * so no `message` field, with the button of ours it stands for.
 */
async function ephemeralClick(message: ShownMessage, actionId: string) {
  const sdk = fixture("block-actions-ephemeral.json").payload;
  expect(sdk).not.toHaveProperty("message");
  const { block_id, element } = findButton(message, actionId);
  const [action] = sdk.actions as Json[];
  return sendInteraction({
    ...sdk,
    // An ephemeral message is shown in the channel of the message it belongs to: the click comes
    // from there (the app refuses a conversation's buttons clicked in another channel).
    channel: { ...(sdk.channel as Json), id: message.channel },
    response_url: hooked(String(sdk.response_url)),
    actions: [{ ...action, action_id: actionId, block_id, text: element.text, value: element.value }],
  });
}

const outdated = () => JSON.stringify(t.api.responses).includes("older version of the app");

describe("Slack's SDK payloads, replayed", () => {
  it("url_verification (bolt-python test_events_url_verification.py): the challenge is echoed", async () => {
    t = await startTestApp();
    const sdk = fixture("url-verification.json").payload;
    const res = await t.send(JSON.stringify(sdk), JSON_TYPE);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: sdk.challenge });
  });

  it("a slash command (bolt-python test_slash_command.py) starts a conversation in the SDK's channel", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    const res = await slashCommand();
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    const view = conversationView(t.api);
    expect(view.root.channel).toBe(SDK_CHANNEL);
    expect(view.text(view.root)).toContain("<@W111> started a portal check");
    expect(view.text(view.check)).toContain("Check 1 of 8 · OP 14.19");
    expect(await t.store.getByKey(conversationKey(SDK_TEAM, SDK_CHANNEL, view.root.ts))).toBeDefined();
  });

  it("every conversation button works from an ephemeral click with no `message` (bolt-python test_block_actions.py)", async () => {
    t = await startTestApp({ env: { ESCALATION_CHANNEL: "G0ESCALATE" } });
    await slashCommand("");
    const check = () => conversationView(t.api).check;
    expect(blocksText(check().blocks)).toContain("Which OP version");

    await ephemeralClick(check(), "choose_version_14.10");
    expect(blocksText(check().blocks)).toContain("Check 1 of 8 · OP 14.10");
    await ephemeralClick(check(), "check_not_fixed");
    expect(blocksText(check().blocks)).toContain("Check 2 of 8");
    await ephemeralClick(check(), "check_skip");
    expect(blocksText(check().blocks)).toContain("Check 3 of 8");
    await ephemeralClick(check(), "check_back");
    expect(blocksText(check().blocks)).toContain("Check 2 of 8");
    await ephemeralClick(check(), "check_fixed");
    expect(blocksText(check().blocks)).toContain("Has the parent logged in");
    await ephemeralClick(check(), "parent_confirmed");
    expect(blocksText(check().blocks)).toMatch(/Resolved/i);
    await ephemeralClick(check(), "restart");
    expect(blocksText(check().blocks)).toContain("Check 1 of 8 · OP 14.10");

    const opened = t.api.callsTo("views.open").length;
    await ephemeralClick(check(), "paste_records");
    expect(t.api.callsTo("views.open")).toHaveLength(opened + 1);
    expect(t.lastModal().callback_id).toBe("paste_records_form");

    await ephemeralClick(check(), "escalate_now");
    expect(t.lastModal().callback_id).toBe("escalation_form");
    expect(outdated()).toBe(false);
  });

  it("a modal submission (bolt-python test_view_submission.py) posts the escalation; its status buttons work without `message`", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19", ESCALATION_CHANNEL: "G0ESCALATE" } });
    await slashCommand("");
    await ephemeralClick(conversationView(t.api).check, "escalate_now");
    const modal = t.lastModal();
    const sdk = fixture("view-submission.json").payload;
    const sdkView = sdk.view as Json;
    const answers: Record<string, Json> = {
      parent_name: { type: "plain_text_input", value: "Maria Lopez" },
      portal_emails: { type: "plain_text_input", value: "maria.lopez@example.org" },
      patients: { type: "plain_text_input", value: "Sofia Lopez" },
      reset_authorized: {
        type: "radio_buttons",
        selected_option: { value: "yes", text: { type: "plain_text", text: "Yes" } },
      },
    };
    const values: Record<string, Json> = {};
    for (const block of modal.blocks as Json[]) {
      if (block.type !== "input") continue;
      const id = String(block.block_id);
      const element = block.element as Json;
      values[id] = {
        [String(element.action_id)]: answers[id] ?? {
          type: "plain_text_input",
          value: element.initial_value ?? null,
        },
      };
    }
    const res = await sendInteraction({
      ...sdk,
      view: {
        ...sdkView,
        callback_id: modal.callback_id,
        private_metadata: modal.private_metadata,
        blocks: modal.blocks,
        state: { values },
      },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    const post = must(
      [...t.api.messages.values()].find((m) => m.channel === "G0ESCALATE"),
      "escalation post",
    );
    expect(blocksText(post.blocks)).toContain("Maria Lopez");

    await ephemeralClick(post, "escalation_resolved");
    expect(outdated()).toBe(false);
    const record = must(
      await t.store.getByKey(conversationKey(SDK_TEAM, SDK_CHANNEL, conversationView(t.api).root.ts)),
    );
    expect((record.surface as { escalation?: { status: string } }).escalation?.status).toBe("resolved");
  });

  it("an app_mention (bolt-python test_events.py) is answered in its thread; the start button works from an ephemeral click", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    const sdk = fixture("app-mention.json").payload;
    const event = sdk.event as Json;
    const res = await sendEvent(sdk);
    expect(res.status).toBe(200);
    const answer = must(
      t.api
        .inThread(SDK_CHANNEL, String(event.ts))
        .find((m) => JSON.stringify(m.blocks).includes("start_check")),
      "answer with a start button",
    );
    expect(blocksText(answer.blocks)).toContain("<@W222>");

    // Shown ephemerally (no `message`, no thread in the container): the check starts in a new thread.
    await ephemeralClick(answer, "start_check");
    expect(outdated()).toBe(false);
    const view = conversationView(t.api);
    expect(view.root.channel).toBe(SDK_CHANNEL);
    expect(view.text(view.check)).toContain("Check 1 of 8 · OP 14.19");
  });

  it("a DM in a thread (bolt-python test_events_assistant.py user_message_event_body) is answered there", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    const sdk = fixture("message-im-thread.json").payload;
    const event: Json = { ...(sdk.event as Json), text: "dad gets a server error when he logs in" };
    expect(event.channel_type).toBe("im");
    const res = await sendEvent({ ...sdk, event });
    expect(res.status).toBe(200);
    const replies = t.api.inThread(String(event.channel), String(event.thread_ts));
    expect(replies.some((m) => JSON.stringify(m.blocks).includes("start_check"))).toBe(true);
  });

  it("a channel message outside any conversation (bolt-python test_message.py message_body) is left alone", async () => {
    t = await startTestApp({ env: { OP_VERSION: "14.19" } });
    const before = t.api.calls.length;
    const res = await sendEvent(fixture("message-channel.json").payload);
    expect(res.status).toBe(200);
    expect(t.api.calls.length).toBe(before);
  });
});

describe("records pasted before the OP version is chosen", () => {
  const ROWS = [
    "Contact\tRelationship\tEmail\tPortal\tAuthority\tStart Date\tEnd Date\tPatient\tDOB\tStatus",
    "Lopez, Maria\tMother\tfamily.lopez@example.org\tMinor\tJoint\t\t\tSofia Lopez\t3/14/2015\tActive",
    "Lopez, Carlos\tFather\tfamily.lopez@example.org\tMinor\tJoint\t\t\tSofia Lopez\t3/14/2015\tActive",
  ];

  it("a thread reply (bolt-python test_events_assistant.py channel_user_message_event_body) gets each version's fixes", async () => {
    t = await startTestApp(); // no OP_VERSION: the conversation asks for it first
    await slashCommand("");
    const view = conversationView(t.api);
    expect(view.text(view.check)).toContain("Which OP version");
    const sdk = fixture("message-channel-thread.json").payload;
    const event = {
      ...(sdk.event as Json),
      channel: SDK_CHANNEL,
      thread_ts: view.root.ts,
      text: ROWS.join("\n"),
    };
    await sendEvent({ ...sdk, event });
    const findings = must(
      conversationView(t.api).replies.find((m) => m.text.includes("blocker")),
      "findings",
    );
    const text = blocksText(findings.blocks);
    expect(text).not.toContain("Fixes are for OP 14.19");
    expect(text).toContain(
      "The OP version is not chosen yet, so each fix is given for OP 14.19 and OP 14.10",
    );
    expect(text).toContain("To fix it in OP 14.19:");
    expect(text).toContain("To fix it in OP 14.10:");
    expect(text).toContain("Patient Chart button"); // 14.19's menus
    expect(text).toContain("Patient Register"); // 14.10's menus
  });

  it("once the version is chosen, a paste gets that version's fixes only", async () => {
    t = await startTestApp();
    await slashCommand("");
    await ephemeralClick(conversationView(t.api).check, "choose_version_14.10");
    const root = conversationView(t.api).root;
    const sdk = fixture("message-channel-thread.json").payload;
    await sendEvent({
      ...sdk,
      event: { ...(sdk.event as Json), channel: SDK_CHANNEL, thread_ts: root.ts, text: ROWS.join("\n") },
    });
    const text = blocksText(
      must(conversationView(t.api).replies.find((m) => m.text.includes("blocker"))).blocks,
    );
    expect(text).toContain("Fixes are for OP 14.10.");
    expect(text).toContain("Patient Register");
    expect(text).not.toContain("Patient Chart button");
  });
});
