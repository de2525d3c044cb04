import type { WebClient } from "@slack/web-api";
import { startConversation } from "../../core/flow/engine.js";
import type { CheckId } from "../../core/ids.js";
import { newRecordId } from "../../store/ids.js";
import { StoreConflictError, type StoredConversation } from "../../store/types.js";
import { renderPrompts } from "../blocks/prompt.js";
import { renderRoot } from "../blocks/root.js";
import type { SlackDeps } from "../deps.js";
import { describeSlackFailure, type SlackFailure } from "../slack-errors.js";
import { conversationKey, type SlackSurface } from "../surface.js";

export interface StartRequest {
  team: string;
  channel: string;
  /** The staff member starting it. */
  user: string;
  /** What they typed after the command (may name a parent or a child: it stays in the store). */
  text?: string | undefined;
  /** The check an answer's start button points at. */
  startAt?: CheckId | undefined;
  /** Start inside this existing thread (a start button in an answer); default: a new root message. */
  thread?: string | undefined;
}

export type StartResult =
  | { kind: "started"; record: StoredConversation; failure?: SlackFailure }
  /** The thread already holds a conversation that is still running. */
  | { kind: "running"; record: StoredConversation }
  /** Slack refused the root message (not in the channel, ...): nothing was stored. */
  | { kind: "failed"; failure: SlackFailure };

const RUNNING = new Set(["choose_version", "newer_portal", "check", "escalation"]);

/**
 * Starts a guided check: the root message in the channel (who asked, what about), the first screen
 * in its thread, then the conversation in the store keyed by the thread, with both messages' ts.
 * Posting before storing makes a new conversation one write: nobody else can know its id yet, so
 * there is nothing to guard the first post against. (A click on the first screen before the write
 * lands, a few milliseconds after Slack shows it, is told the conversation is gone.)
 */
export async function startInSlack(
  deps: SlackDeps,
  client: WebClient,
  req: StartRequest,
): Promise<StartResult> {
  const startAt = req.startAt ?? (req.text ? await deps.knowledge.suggest(req.text) : undefined);
  const { state, prompts } = startConversation(deps.content, {
    type: "start",
    at: deps.now().toISOString(),
    ...(deps.config.opVersion ? { version: deps.config.opVersion } : {}),
    ...(req.text ? { text: req.text.slice(0, 3000) } : {}),
    ...(startAt ? { startAt } : {}),
  });
  if (req.thread) {
    const existing = await deps.store.getByKey(
      conversationKey(req.team, req.channel, req.thread),
      deps.now(),
    );
    if (existing && RUNNING.has(existing.state.phase)) return { kind: "running", record: existing };
    // A finished conversation gives up the thread's key, so a new one can start there.
    if (existing) await deps.store.update(existing.id, existing.revision, { key: null }, deps.now());
  }
  let rootTs: string | undefined;
  try {
    const root = await client.chat.postMessage({
      channel: req.channel,
      ...(req.thread ? { thread_ts: req.thread } : {}),
      ...renderRoot(deps.content, { requester: req.user, state, escalation: null }),
    });
    rootTs = root.ts;
  } catch (err) {
    return { kind: "failed", failure: describeSlackFailure(err) };
  }
  if (!rootTs)
    return { kind: "failed", failure: { code: "no_ts", advice: "Slack did not confirm the message." } };
  const thread = req.thread ?? rootTs;
  const id = newRecordId();
  const turn = 0;
  // The first screen. When Slack refuses it the conversation is stored all the same and the
  // caller offers a retry (a redraw posts the screen then).
  let checkTs: string | null = null;
  let failure: SlackFailure | undefined;
  try {
    const posted = await client.chat.postMessage({
      channel: req.channel,
      thread_ts: thread,
      ...renderPrompts(prompts, { conversation: id, turn }),
    });
    checkTs = posted.ts ?? null;
  } catch (err) {
    failure = describeSlackFailure(err);
    deps.logger.warn(
      { conversation: id, part: "check", code: failure.code },
      "could not show part of a conversation",
    );
  }
  const surface: SlackSurface = {
    team: req.team,
    channel: req.channel,
    thread,
    root: rootTs,
    check: checkTs,
    transcript: null,
    requester: req.user,
    turn,
    findings: [],
    pasted: null,
    draft: null,
    escalation: null,
  };
  let record: StoredConversation;
  try {
    record = await deps.store.create(
      { id, key: conversationKey(req.team, req.channel, thread), state, surface },
      deps.now(),
    );
  } catch (err) {
    if (!(err instanceof StoreConflictError)) throw err;
    // Two start clicks in one thread: the other one won. Take our messages back and point at theirs.
    for (const ts of [checkTs, rootTs])
      if (ts) await client.chat.delete({ channel: req.channel, ts }).catch(() => undefined);
    const other = await deps.store.getByKey(conversationKey(req.team, req.channel, thread), deps.now());
    if (other) return { kind: "running", record: other };
    throw err;
  }
  deps.logger.info(
    { conversation: record.id, team: req.team, channel: req.channel, suggested: startAt ?? null },
    "conversation started",
  );
  return failure ? { kind: "started", record, failure } : { kind: "started", record };
}
