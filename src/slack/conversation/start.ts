import { randomUUID } from "node:crypto";
import type { WebClient } from "@slack/web-api";
import { startConversation } from "../../core/flow/engine.js";
import type { CheckId } from "../../core/ids.js";
import { type ConversationRecord, StoreConflictError } from "../../store/types.js";
import { renderRoot } from "../blocks/root.js";
import type { SlackDeps } from "../deps.js";
import { describeSlackFailure, type SlackFailure } from "../slack-errors.js";
import { conversationKey, type SlackSurface } from "../surface.js";
import { showConversation } from "./show.js";

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
  | { kind: "started"; record: ConversationRecord; failure?: SlackFailure }
  /** The thread already holds a conversation that is still running. */
  | { kind: "running"; record: ConversationRecord }
  /** Slack refused the root message (not in the channel, ...): nothing was stored. */
  | { kind: "failed"; failure: SlackFailure };

const RUNNING = new Set(["choose_version", "newer_portal", "check", "escalation"]);

/**
 * Starts a guided check: the root message in the channel (who asked, what about), the conversation
 * in the store keyed by its thread, then the first screen in the thread.
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
  const surface: SlackSurface = {
    team: req.team,
    channel: req.channel,
    thread,
    root: rootTs,
    check: null,
    transcript: null,
    requester: req.user,
    turn: 0,
    findings: [],
    pasted: null,
    draft: null,
    escalation: null,
  };
  let record: ConversationRecord;
  try {
    record = await deps.store.create(
      { id: randomUUID(), key: conversationKey(req.team, req.channel, thread), state, surface },
      deps.now(),
    );
  } catch (err) {
    if (!(err instanceof StoreConflictError)) throw err;
    // Two start clicks in one thread: the other one won. Take our root back and point at theirs.
    await client.chat.delete({ channel: req.channel, ts: rootTs }).catch(() => undefined);
    const other = await deps.store.getByKey(conversationKey(req.team, req.channel, thread), deps.now());
    if (other) return { kind: "running", record: other };
    throw err;
  }
  deps.logger.info(
    { conversation: record.id, team: req.team, channel: req.channel, suggested: startAt ?? null },
    "conversation started",
  );
  const shown = await showConversation(deps, client, record, { prompts });
  return shown.failure
    ? { kind: "started", record: shown.record, failure: shown.failure }
    : { kind: "started", record: shown.record };
}
