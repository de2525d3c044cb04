import type { FlowContext } from "../../src/core/flow/engine.js";
import { handle, startConversation } from "../../src/core/flow/engine.js";
import type { Prompt } from "../../src/core/flow/prompt.js";
import { ACTION, ButtonValue, encode, useValueKey } from "../../src/slack/action-ids.js";
import { renderPrompts, type SlackMessage } from "../../src/slack/blocks/prompt.js";
import { blockActionBody, CHANNEL, commandBody } from "../../test/support/slack-payloads.js";
import { signedHeaders } from "../../test/support/slack-sign.js";
import type { SignedRequest } from "./load.js";

/** Slack's content type for slash commands and interactions: exactly this, no `; charset`. */
const FORM = "application/x-www-form-urlencoded";

/**
 * `/portal-check` with no text, as Slack posts it, signed with the current time. Each one from
 * another user with its own trigger id, so nothing can be taken for a retry of another.
 */
export function slashCommands(secret: string, responseUrl: string): () => SignedRequest {
  let seq = 0;
  return () => {
    seq += 1;
    const body = commandBody("", {
      responseUrl,
      user: `U${String(seq).padStart(9, "0")}`,
      triggerId: `${seq}.1337.${(seq * 7919) % 100_000}`,
    });
    return { body, headers: signedHeaders(secret, body, FORM) };
  };
}

/** A stored conversation to click on: its id and the turn its buttons were last drawn at. */
export interface ClickableConversation {
  id: string;
  turn: number;
}

const VERSION = "14.19";
/** Same length as a conversation id (a UUID), so the request size is the real one. */
const ID_SLOT = "c0ffee00-bench-4000-8000-conversation";
const TURN_SLOT = 987_654_321;
const TRIGGER_SLOT = "TRIGGER-SLOT";

/**
 * Clicks that each move a real conversation one turn, as staff would click them: the version
 * first, then "Still not visible" on the first check and "Back" from the second, alternating, so a
 * conversation can take any number of clicks. Every click carries its conversation's current turn,
 * so each one is a compare-and-set in the store that succeeds (a stale click would show up as a
 * response_url call at the fake Slack API).
 *
 * Conversations are clicked round-robin: one comes back only after every other one was clicked,
 * which gives the app ample time to store the previous click before the next one arrives.
 * Bodies are Slack's block_actions payloads with the message as the app drew it (blocks included),
 * built once per screen and filled in per click.
 */
export function conversationClicks(
  content: FlowContext,
  conversations: ClickableConversation[],
  secret: string,
  responseUrl: string,
): () => SignedRequest {
  if (conversations.length === 0) throw new Error("no conversations to click on");
  // Button values are signed with a key derived from the signing secret, as the app signs them.
  useValueKey(secret);
  const at = new Date().toISOString();
  const start = startConversation(content, { type: "start", at });
  const onFirstCheck = handle(content, start.state, { type: "choose_version", at, version: VERSION });
  const firstCheck = onFirstCheck.state.current;
  if (!firstCheck) throw new Error("the flow has no first check");
  const onSecondCheck = handle(content, onFirstCheck.state, { type: "not_fixed", at, check: firstCheck });
  const clicks = {
    version: clickTemplate(start.prompts, `${ACTION.versionPrefix}${VERSION}`, responseUrl),
    notFixed: clickTemplate(onFirstCheck.prompts, ACTION.notFixed, responseUrl),
    back: clickTemplate(onSecondCheck.prompts, ACTION.back, responseUrl),
  };
  const queue = conversations.map((c) => ({ ...c }));
  let next = 0;
  let seq = 0;
  return () => {
    const conversation = queue[next] as ClickableConversation;
    next = (next + 1) % queue.length;
    seq += 1;
    const template =
      conversation.turn === 0 ? clicks.version : conversation.turn % 2 === 1 ? clicks.notFixed : clicks.back;
    // The clicked button's value, signed for this conversation and turn (the other buttons in the
    // message keep their slots: the app reads only the clicked one).
    const value = encode({ ...template.value, c: conversation.id, t: conversation.turn });
    const payload = template.payload
      .replaceAll(template.escapedValue, JSON.stringify(value).slice(1, -1))
      .replaceAll(TRIGGER_SLOT, `${seq}.1337.${(seq * 7919) % 100_000}`);
    conversation.turn += 1;
    const body = `payload=${encodeURIComponent(payload)}`;
    return { body, headers: signedHeaders(secret, body, FORM) };
  };
}

/** The payload JSON of a click on `actionId` in the message drawn for `prompts`, with slots to fill. */
function clickTemplate(prompts: Prompt[], actionId: string, responseUrl: string) {
  const message: SlackMessage = renderPrompts(prompts, { conversation: ID_SLOT, turn: TURN_SLOT });
  // The message as Slack sends it back in the payload: plain JSON.
  const blocks = JSON.parse(JSON.stringify(message.blocks)) as Array<Record<string, unknown>>;
  const body = blockActionBody(
    { channel: CHANNEL, ts: "1790000000.000002", thread_ts: "1790000000.000001", blocks },
    actionId,
    { responseUrl, triggerId: TRIGGER_SLOT },
  );
  const payload = new URLSearchParams(body).get("payload");
  const raw = payload
    ? (JSON.parse(payload) as { actions: Array<{ value?: string }> }).actions[0]?.value
    : undefined;
  const value = ButtonValue.safeParse(raw ? JSON.parse(raw) : undefined);
  if (!payload || !raw || !value.success || value.data.t !== TURN_SLOT)
    throw new Error(`the ${actionId} button carries no turn`);
  // How the value appears inside the payload's JSON (in the action and in the message's blocks).
  const escapedValue = JSON.stringify(raw).slice(1, -1);
  if (!payload.includes(escapedValue))
    throw new Error(`the ${actionId} button's value is not in its payload`);
  return { payload, value: value.data, escapedValue };
}

/** A check message as the app draws it: what the baseline posts, so both send the same bytes. */
export function sampleCheckMessage(content: FlowContext): SlackMessage {
  const at = new Date().toISOString();
  const start = startConversation(content, { type: "start", at, version: VERSION });
  return renderPrompts(start.prompts, { conversation: ID_SLOT, turn: 1 });
}
