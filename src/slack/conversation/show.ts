import type { WebClient } from "@slack/web-api";
import { currentPrompts } from "../../core/flow/engine.js";
import type { Prompt } from "../../core/flow/prompt.js";
import type { StoredConversation } from "../../store/types.js";
import { renderPrompts, type SlackMessage } from "../blocks/prompt.js";
import { renderRoot } from "../blocks/root.js";
import { renderTranscript } from "../blocks/transcript.js";
import type { SlackDeps } from "../deps.js";
import { describeSlackFailure, platformError, type SlackFailure } from "../slack-errors.js";
import { type SlackSurface, surfaceOf } from "../surface.js";
import { updateSurface } from "./store-ops.js";

export interface ShowOptions {
  /** The engine's prompts for this moment (with any notice); default: the state's current screen. */
  prompts?: Prompt[];
  /** Redraw the root message too (its status line changed). */
  root?: boolean;
  /** Redraw the transcript (default true; false when the answers did not change). */
  transcript?: boolean;
}

export interface ShowResult {
  record: StoredConversation;
  /** The first Slack failure, if any part could not be shown. The conversation itself is saved. */
  failure?: SlackFailure;
}

/**
 * Brings the conversation's thread up to date with its stored state: the check message (updated in
 * place, or posted when it does not exist yet or was deleted), the transcript (posted with the first
 * answer, then updated) and, when asked, the root's status line. Each part is tried even when
 * another fails, and a failure is returned, not thrown: the answer is already stored, so a later
 * click (or the retry button) can draw it again.
 */
export async function showConversation(
  deps: SlackDeps,
  client: WebClient,
  record: StoredConversation,
  options: ShowOptions = {},
): Promise<ShowResult> {
  let current = record;
  let failure: SlackFailure | undefined;
  const note = (err: unknown, part: string) => {
    const f = describeSlackFailure(err);
    deps.logger.warn(
      { conversation: record.id, part, code: f.code },
      "could not show part of a conversation",
    );
    failure ??= f;
  };
  const surface = surfaceOf(record);
  const prompts = options.prompts ?? currentPrompts(deps.content, record.state);
  const check = renderPrompts(prompts, { conversation: record.id, turn: surface.turn });
  // Every part is drawn from this revision: an update never replaces a newer drawing (see redraws.ts).
  const revision = record.revision;

  try {
    current = await upsert(deps, client, current, revision, "check", check);
  } catch (err) {
    note(err, "check");
  }
  if (options.transcript !== false && (record.state.answers.length > 0 || surface.transcript)) {
    try {
      current = await upsert(
        deps,
        client,
        current,
        revision,
        "transcript",
        renderTranscript(deps.content, record.state),
      );
    } catch (err) {
      note(err, "transcript");
    }
  }
  if (options.root) {
    try {
      await updateMessage(deps, client, surface.channel, surface.root, revision, rootMessage(deps, current));
    } catch (err) {
      note(err, "root");
    }
  }
  return failure ? { record: current, failure } : { record: current };
}

export function rootMessage(deps: SlackDeps, record: StoredConversation): SlackMessage {
  const surface = surfaceOf(record);
  const escalation = surface.escalation;
  return renderRoot(deps.content, {
    requester: surface.requester,
    state: record.state,
    escalation,
    escalationLink:
      escalation && escalation.status !== "pending" ? (escalation.link ?? undefined) : undefined,
  });
}

/** chat.update through the per-message coalescing of redraws.ts. */
function updateMessage(
  deps: SlackDeps,
  client: WebClient,
  channel: string,
  ts: string,
  revision: number,
  message: SlackMessage,
): Promise<void> {
  return deps.redraws.update(`${channel}:${ts}`, revision, JSON.stringify(message), () =>
    client.chat.update({ channel, ts, ...message }),
  );
}

/** Updates the message at `surface[part]`, or posts it into the thread and remembers its ts. */
async function upsert(
  deps: SlackDeps,
  client: WebClient,
  record: StoredConversation,
  revision: number,
  part: "check" | "transcript",
  message: SlackMessage,
): Promise<StoredConversation> {
  const surface = surfaceOf(record);
  const ts = surface[part];
  if (ts) {
    try {
      await updateMessage(deps, client, surface.channel, ts, revision, message);
      return record;
    } catch (err) {
      // Someone deleted the message: post it again below rather than leaving the thread without it.
      if (platformError(err) !== "message_not_found") throw err;
    }
  }
  // Two quick answers can both find no transcript yet: only one may post it, the other updates it.
  const token = `post:${record.id}:${part}:${ts ?? "first"}`;
  if (!(await deps.store.claimFor(record.id, token, POST_CLAIM_MS, deps.now()))) {
    const posted = await waitForPart(deps, record.id, part, ts);
    if (!posted) return record;
    await updateMessage(deps, client, surface.channel, surfaceOf(posted)[part] ?? "", revision, message);
    return posted;
  }
  const posted = await client.chat.postMessage({
    channel: surface.channel,
    thread_ts: surface.thread,
    ...message,
  });
  const postedTs = posted.ts;
  if (!postedTs) return record;
  deps.redraws.posted(`${surface.channel}:${postedTs}`, revision, JSON.stringify(message));
  const updated = await updateSurface(deps, record.id, (s: SlackSurface) => ({ ...s, [part]: postedTs }));
  return updated ?? record;
}

/**
 * Long enough to cover one post with the client's retries (about 10 s), short enough that a post
 * which failed for good does not block the next answer from posting the message.
 */
const POST_CLAIM_MS = 30 * 1000;

/** The record once the other poster has stored the part's new ts (or undefined after ~3 s). */
async function waitForPart(
  deps: SlackDeps,
  id: string,
  part: "check" | "transcript",
  previous: string | null,
): Promise<StoredConversation | undefined> {
  for (let i = 0; i < 30; i++) {
    const record = await deps.store.get(id, deps.now());
    const ts = record ? surfaceOf(record)[part] : null;
    if (record && ts && ts !== previous) return record;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}
