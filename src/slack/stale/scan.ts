import type { WebClient } from "@slack/web-api";
import { millisecondsInDay } from "date-fns/constants";
import { buildAutomaticReport } from "../../core/escalation/automatic.js";
import { currentPrompts } from "../../core/flow/engine.js";
import {
  type OutboxEntry,
  StoreConflictError,
  type StoredConversation,
  StoreNotFoundError,
} from "../../store/types.js";
import { type Block, escapeText, section } from "../blocks/kit.js";
import { choiceButtons } from "../blocks/prompt.js";
import { channelPrivacy } from "../channel-privacy.js";
import { showWaiting } from "../conversation/escalation.js";
import { postInThread } from "../conversation/thread.js";
import type { SlackDeps } from "../deps.js";
import { deliver } from "../outbox/deliver.js";
import { markSaved } from "../outbox/mark.js";
import { notPrivate } from "../outbox/notes.js";
import { OutboxPayload, outboxId } from "../outbox/payload.js";
import { NotASlackConversation, type SlackSurface, surfaceOf } from "../surface.js";
import { formatHours } from "./hours.js";

const HOUR_MS = 60 * 60 * 1000;
/** Idle conversations looked at per scan, oldest first. */
const SCAN_LIMIT = 500;
/** A privacy check that refused an automatic escalation is asked again at most this often. */
const REFUSED_RETRY_MS = HOUR_MS;

export interface StaleRun {
  reminded: number;
  escalated: number;
}

/**
 * One run of the stale-conversation timer. An unfinished conversation idle for STALE_REMIND_HOURS
 * gets one reminder in its thread; one idle for STALE_ESCALATE_HOURS is escalated automatically
 * through the outbox, with what is known and what is missing. Each runs on exactly one instance:
 * - the reminder takes a claim on the conversation and its revision. The reminder itself changes
 *   nothing stored (it would restart the idle clock), so the revision names one idle period: any
 *   answer moves it on, and a later idle period may be reminded again;
 * - the automatic escalation is an outbox entry whose id names the conversation and its turn: a
 *   second instance's save is refused. It moves the conversation to escalated (the engine's
 *   auto_escalate), which takes it off the idle list, and the requester may still complete the form.
 *
 * A conversation where a change was made and only the parent's confirmation is missing is never
 * escalated automatically: asked and not answered (confirm_fix), it gets the ordinary reminder;
 * waiting for the parent (awaiting_parent), it gets one reminder after PARENT_CONFIRM_REMIND_HOURS
 * with buttons to record the parent's answer (confirmed, or still cannot see the child: reopen).
 */
export async function scanStaleConversations(
  deps: SlackDeps,
  client: WebClient,
  signal?: AbortSignal,
): Promise<StaleRun> {
  const run: StaleRun = { reminded: 0, escalated: 0 };
  const now = deps.now();
  const remindMs = deps.config.staleRemindHours * HOUR_MS;
  const escalateMs = deps.config.staleEscalateHours * HOUR_MS;
  const parentMs = deps.config.parentConfirmRemindHours * HOUR_MS;
  const idleSince = new Date(now.getTime() - Math.min(remindMs, parentMs));
  for (const record of await deps.store.listIdle(idleSince, now, SCAN_LIMIT)) {
    if (signal?.aborted) break;
    let surface: SlackSurface;
    try {
      surface = surfaceOf(record);
    } catch (err) {
      if (err instanceof NotASlackConversation) continue; // a terminal chat sharing the database
      throw err;
    }
    const idleMs = now.getTime() - Date.parse(record.updatedAt);
    const phase = record.state.phase;
    if (phase === "awaiting_parent") {
      const reminder = idleMs >= parentMs ? parentReminder(deps, record, surface, idleMs) : undefined;
      if (reminder && (await remindOnce(deps, client, record, surface, "parent-remind", reminder)))
        run.reminded++;
      continue;
    }
    if (idleMs < remindMs) continue;
    // One automatic escalation per walk: after one, only reminders (the requester reopened the form).
    // Never while only the parent's confirmation of a change is missing.
    if (phase !== "confirm_fix" && idleMs >= escalateMs && record.state.autoEscalatedAt === undefined) {
      if (await autoEscalate(deps, client, record, surface, idleMs)) run.escalated++;
    } else if (
      await remindOnce(deps, client, record, surface, "stale-remind", {
        text: reminderText(deps, record, surface, idleMs),
      })
    ) {
      run.reminded++;
    }
  }
  return run;
}

/**
 * One reminder per idle period in the conversation's thread: the claim names the conversation's
 * revision, so any answer starts a new period and another instance's scan finds the claim taken.
 */
async function remindOnce(
  deps: SlackDeps,
  client: WebClient,
  record: StoredConversation,
  surface: SlackSurface,
  kind: "stale-remind" | "parent-remind",
  message: { text: string; blocks?: Block[] },
): Promise<boolean> {
  const token = `${kind}:${record.id}:${record.revision}`;
  const retentionMs = deps.config.retentionDays * millisecondsInDay;
  if (!(await deps.store.claimFor(record.id, token, retentionMs, deps.now()))) return false;
  const posted = await postInThread(deps, client, surface, message.text, message.blocks);
  deps.logger.info({ conversation: record.id, posted, kind }, "reminder for an idle conversation");
  return posted;
}

function reminderText(
  deps: SlackDeps,
  record: StoredConversation,
  surface: SlackSurface,
  idleMs: number,
): string {
  const screen = currentPrompts(deps.content, record.state).at(-1);
  let where = "";
  if (screen?.kind === "check") {
    where = ` It is at check ${screen.position} of ${screen.total}: *${escapeText(screen.title)}*.`;
  } else if (screen?.kind === "escalation_form") {
    where = " The escalation form is waiting: click *Open the escalation form* on the message above.";
  } else if (screen?.kind === "choose_version") {
    where = " It is waiting for the OP version.";
  } else if (screen?.kind === "confirm_fix") {
    where = " A change was made: it is asking whether the parent has confirmed they see the child.";
  }
  const autoEscalated = record.state.autoEscalatedAt !== undefined;
  const next =
    autoEscalated || screen?.kind === "confirm_fix"
      ? ""
      : ` If nothing happens here in the next ${formatHours(deps.config.staleEscalateHours - idleMs / HOUR_MS)}, I'll escalate what we have to Support automatically.`;
  return `<@${surface.requester}> :wave: This portal check has had no answer for ${formatHours(idleMs / HOUR_MS)}.${where} Pick up where you left off with the buttons on the check message above.${next}`;
}

/**
 * The reminder of a conversation waiting for the parent: which change was made, the article's
 * question, and buttons to record the answer (drawn at the conversation's turn, so a click after
 * someone answered elsewhere is recognised as stale). Undefined when it is not waiting any more.
 */
function parentReminder(
  deps: SlackDeps,
  record: StoredConversation,
  surface: SlackSurface,
  idleMs: number,
): { text: string; blocks: Block[] } | undefined {
  const screen = currentPrompts(deps.content, record.state).at(-1);
  if (screen?.kind !== "confirm_fix") return undefined;
  const text = `<@${surface.requester}> :hourglass: It has been ${formatHours(idleMs / HOUR_MS)} since this change (${escapeText(screen.change)}), and the parent's confirmation is still missing. ${escapeText(screen.question)}`;
  const answers = screen.choices.filter(
    (c) => c.value === "parent_confirmed" || c.value === "parent_not_seen",
  );
  return {
    text,
    blocks: [section(text), choiceButtons(answers, { conversation: record.id, turn: surface.turn })],
  };
}

/**
 * Saves the automatic escalation (or finds it saved by an earlier run that stopped half-way), moves
 * the conversation to escalated, and posts. True when this run escalated it.
 */
async function autoEscalate(
  deps: SlackDeps,
  client: WebClient,
  record: StoredConversation,
  surface: SlackSurface,
  idleMs: number,
): Promise<boolean> {
  const escalation = `a${surface.turn}`;
  const id = outboxId(record.id, escalation);
  const target = deps.config.escalationChannel ?? surface.channel;
  const payload: OutboxPayload = {
    escalation,
    channel: target,
    thread: deps.config.escalationChannel === undefined ? surface.thread : null,
    requester: surface.requester,
    requesterThread: { channel: surface.channel, thread: surface.thread },
    report: buildAutomaticReport(
      deps.content,
      record.state,
      { draft: surface.draft, pasted: surface.pasted, findings: surface.findings },
      idleMs / HOUR_MS,
    ),
  };
  let entry = await deps.store.getEscalation(id, deps.now());
  let fresh = false;
  if (!entry) {
    // One instance at a time asks Slack about the channel; after a refusal, again in an hour.
    const lease = `stale-escalate:${id}`;
    if (!(await deps.store.claimFor(record.id, lease, REFUSED_RETRY_MS, deps.now()))) return false;
    if (!deps.config.allowPublicEscalation) {
      const privacy = await channelPrivacy(client, target);
      if (privacy.kind !== "private") {
        await refuse(deps, client, record, surface, id, notPrivate(payload, privacy).explained);
        return false;
      }
    }
    try {
      entry = await deps.store.saveEscalation({ id, conversationId: record.id, payload }, deps.now());
      fresh = true;
    } catch (err) {
      if (err instanceof StoreNotFoundError) return false;
      if (!(err instanceof StoreConflictError)) throw err;
      entry = await deps.store.getEscalation(id, deps.now());
      if (!entry) return false;
    }
  }
  // An entry found saved comes from a run that stopped half-way: finish its work with its report.
  await markSaved(
    deps,
    record.id,
    { type: "auto_escalate", at: deps.now().toISOString() },
    fresh ? payload : savedPayload(entry, payload),
  );
  deps.logger.info({ conversation: record.id, outbox: id }, "idle conversation escalated automatically");
  const delivery = await deliver(deps, client, entry, { fresh, privacyChecked: fresh });
  if (delivery.kind === "failed") await showWaiting(deps, client, record.id);
  return fresh;
}

/** The payload as saved (an earlier run's report), read back through the same schema. */
function savedPayload(entry: OutboxEntry, fallback: OutboxPayload): OutboxPayload {
  const parsed = OutboxPayload.safeParse(entry.payload);
  return parsed.success ? parsed.data : fallback;
}

/** The escalation would carry PHI into a channel that is not private: say so once, post nothing. */
async function refuse(
  deps: SlackDeps,
  client: WebClient,
  record: StoredConversation,
  surface: SlackSurface,
  id: string,
  why: string,
) {
  deps.logger.warn({ conversation: record.id }, "automatic escalation refused: channel not private");
  const once = `stale-refused:${id}`;
  if (
    !(await deps.store.claimFor(record.id, once, deps.config.retentionDays * millisecondsInDay, deps.now()))
  )
    return;
  await postInThread(
    deps,
    client,
    surface,
    `<@${surface.requester}> This check has had no answer for ${formatHours(deps.config.staleEscalateHours)}, so I would escalate it to Support automatically, but I can't: ${why}`,
  );
}
