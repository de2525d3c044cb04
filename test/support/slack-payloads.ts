/**
 * Request bodies as Slack sends them: slash commands form-encoded, interactions as a form field
 * `payload` holding JSON, events as JSON.
 */

export const TEAM = "T0TEAM";
export const CHANNEL = "C0PRIVATE1";
export const USER = "U0STAFF01";

/** A complete escalation form: every required answer, naming a parent, an email and a patient. */
export const ESCALATION_FORM = {
  parent_name: "Maria Lopez",
  portal_emails: "maria.lopez@example.org",
  patients: "Sofia Lopez",
  reset_authorized: { option: "yes" },
} as const;

export interface Who {
  team?: string;
  channel?: string;
  user?: string;
}

let commandSeq = 0;

/** Slack gives every command its own trigger id, so no two commands have the same body. */
export function commandBody(text: string, who: Who & { responseUrl: string; triggerId?: string }): string {
  return new URLSearchParams({
    token: "legacy-verification-token",
    team_id: who.team ?? TEAM,
    team_domain: "practice",
    channel_id: who.channel ?? CHANNEL,
    channel_name: "front-desk",
    user_id: who.user ?? USER,
    user_name: "staff",
    command: "/portal-check",
    text,
    api_app_id: "A0PORTAL",
    is_enterprise_install: "false",
    response_url: who.responseUrl,
    trigger_id: who.triggerId ?? `${++commandSeq}.1337.trigger`,
  }).toString();
}

export interface ClickTarget {
  channel: string;
  ts: string;
  thread_ts?: string | undefined;
  blocks: Array<Record<string, unknown>>;
}

/** Finds a button in a message as Slack showed it; throws when the message has no such button. */
export function findButton(message: ClickTarget, actionId: string) {
  for (const block of message.blocks) {
    if (block.type !== "actions") continue;
    for (const element of block.elements as Array<Record<string, unknown>>) {
      if (element.action_id === actionId) return { block_id: String(block.block_id), element };
    }
  }
  const available = message.blocks
    .filter((b) => b.type === "actions")
    .flatMap((b) => (b.elements as Array<Record<string, unknown>>).map((e) => e.action_id));
  throw new Error(`no button ${actionId} in message ${message.ts}; it has ${available.join(", ") || "none"}`);
}

export function blockActionBody(
  message: ClickTarget,
  actionId: string,
  who: Who & { responseUrl: string; triggerId: string },
): string {
  const { block_id, element } = findButton(message, actionId);
  const payload = {
    type: "block_actions",
    user: { id: who.user ?? USER, username: "staff", team_id: who.team ?? TEAM },
    api_app_id: "A0PORTAL",
    token: "legacy-verification-token",
    container: { type: "message", message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    trigger_id: who.triggerId,
    team: { id: who.team ?? TEAM, domain: "practice" },
    channel: { id: message.channel, name: "front-desk" },
    message: {
      type: "message",
      ts: message.ts,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      text: "",
      blocks: message.blocks,
    },
    response_url: who.responseUrl,
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id,
        text: element.text,
        value: element.value,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export type FieldValue =
  | string
  | { option: string }
  | { options: string[] }
  | { files: Record<string, unknown>[] };

/**
 * A modal submission with the view's own inputs: given values replace what was typed; inputs not
 * given are submitted with their initial value, as Slack does with prefilled fields.
 */
export function viewSubmissionBody(
  view: Record<string, unknown>,
  values: Record<string, FieldValue>,
  who: Who & { triggerId: string },
): string {
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of (view.blocks ?? []) as Array<Record<string, unknown>>) {
    if (block.type !== "input") continue;
    const element = block.element as Record<string, unknown>;
    const id = String(block.block_id);
    const given = values[id];
    const actionId = String(element.action_id);
    if (element.type === "plain_text_input") {
      const value =
        typeof given === "string" ? given : ((element.initial_value as string | undefined) ?? null);
      state[id] = { [actionId]: { type: "plain_text_input", value: value === "" ? null : value } };
    } else if (element.type === "radio_buttons") {
      const chosen =
        given && typeof given === "object" && "option" in given
          ? given.option
          : ((element.initial_option as { value?: string } | undefined)?.value ?? null);
      state[id] = {
        [actionId]: {
          type: "radio_buttons",
          selected_option: chosen ? { value: chosen, text: { type: "plain_text", text: chosen } } : null,
        },
      };
    } else if (element.type === "file_input") {
      const files = given && typeof given === "object" && "files" in given ? given.files : [];
      state[id] = { [actionId]: { type: "file_input", files } };
    } else if (element.type === "checkboxes") {
      const chosen = given && typeof given === "object" && "options" in given ? given.options : [];
      state[id] = {
        [actionId]: {
          type: "checkboxes",
          selected_options: chosen.map((value) => ({ value, text: { type: "plain_text", text: value } })),
        },
      };
    }
  }
  const payload = {
    type: "view_submission",
    team: { id: who.team ?? TEAM, domain: "practice" },
    user: { id: who.user ?? USER, username: "staff", team_id: who.team ?? TEAM },
    api_app_id: "A0PORTAL",
    token: "legacy-verification-token",
    trigger_id: who.triggerId,
    view: {
      id: "V0MODAL",
      team_id: who.team ?? TEAM,
      type: "modal",
      callback_id: view.callback_id,
      private_metadata: view.private_metadata ?? "",
      blocks: view.blocks,
      state: { values: state },
      hash: "1.hash",
      title: view.title,
      app_id: "A0PORTAL",
      bot_id: "BBOT",
    },
    response_urls: [],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

let eventSeq = 0;

export function eventBody(
  event: Record<string, unknown>,
  eventId = `Ev${String(++eventSeq).padStart(8, "0")}`,
) {
  return JSON.stringify({
    token: "legacy-verification-token",
    team_id: TEAM,
    api_app_id: "A0PORTAL",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM, user_id: "UBOT", is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
}
