import type { WebClient } from "@slack/web-api";
import type { EscalationDetails } from "../../core/escalation/details.js";
import { buildEscalationReport } from "../../core/escalation/report.js";
import { currentPrompts, handle } from "../../core/flow/engine.js";
import type { Prompt } from "../../core/flow/prompt.js";
import { type OutboxEntry, StoreConflictError, type StoredConversation } from "../../store/types.js";
import type { EscalationRef } from "../action-ids.js";
import { escalationModal } from "../blocks/escalation-form.js";
import { renderEscalationPost } from "../blocks/escalation-post.js";
import { escapeText } from "../blocks/kit.js";
import type { SlackDeps } from "../deps.js";
import { deliver } from "../outbox/deliver.js";
import { pendingEscalation } from "../outbox/mark.js";
import { type OutboxPayload, outboxId } from "../outbox/payload.js";
import { describeSlackFailure, type SlackFailure } from "../slack-errors.js";
import { type SlackSurface, surfaceOf } from "../surface.js";
import { permalink } from "./permalink.js";
import { showConversation } from "./show.js";
import { retryOnConflict, updateSurface } from "./store-ops.js";
import { postInThread } from "./thread.js";

/** Prefill for the form: a saved draft first, otherwise what pasted records revealed. */
export function escalationPrefill(surface: SlackSurface): Record<string, string> {
  if (surface.draft) {
    return {
      parent_name: surface.draft.parent_name,
      portal_emails: surface.draft.portal_emails.join("\n"),
      patients: surface.draft.patients.join("\n"),
      steps_taken: surface.draft.steps_taken,
      reset_authorized: surface.draft.reset_authorized ? "yes" : "no",
    };
  }
  if (!surface.pasted) return {};
  return {
    ...(surface.pasted.emails.length > 0 ? { portal_emails: surface.pasted.emails.join("\n") } : {}),
    ...(surface.pasted.patients.length > 0 ? { patients: surface.pasted.patients.join("\n") } : {}),
  };
}

/** Opens the escalation modal; call it first thing after the click (a trigger lives 3 seconds). */
export async function openEscalationForm(
  deps: SlackDeps,
  client: WebClient,
  triggerId: string,
  record: StoredConversation,
): Promise<SlackFailure | undefined> {
  const prompt = currentPrompts(deps.content, record.state).find(
    (p): p is Extract<Prompt, { kind: "escalation_form" }> => p.kind === "escalation_form",
  );
  if (!prompt) return undefined;
  try {
    await client.views.open({
      trigger_id: triggerId,
      view: escalationModal(prompt, record.id, escalationPrefill(surfaceOf(record))),
    });
    return undefined;
  } catch (err) {
    const failure = describeSlackFailure(err);
    deps.logger.warn({ conversation: record.id, code: failure.code }, "could not open the escalation form");
    return failure;
  }
}

/** What saving a submitted escalation form did; decided and stored before Slack is told it arrived. */
export type SavedSubmission =
  | { kind: "expired" }
  /** The conversation moved to escalated and the escalation is in the outbox, in one write. */
  | { kind: "saved"; entry: OutboxEntry }
  /** The walk went back to the checks meanwhile: the answers are kept as the next form's prefill. */
  | { kind: "went_back"; record: StoredConversation }
  /** Already escalated: a second submission of the same form (a double click, another instance). */
  | { kind: "repeat"; record: StoredConversation };

/**
 * A submitted escalation form, saved before the form is acknowledged (a crash after Slack closed
 * the modal loses nothing): in one store write the conversation moves to escalated and the
 * escalation goes into the outbox, with the conversation as it was in case the channel turns out
 * to be public (see deliver). Nothing here waits on Slack: Slack wants the answer within 3 seconds.
 */
export async function saveSubmission(
  deps: SlackDeps,
  id: string,
  details: EscalationDetails,
): Promise<SavedSubmission> {
  const at = deps.now().toISOString();
  try {
    return await retryOnConflict<SavedSubmission>(deps, id, { kind: "expired" }, (record) => {
      const surface = surfaceOf(record);
      if (record.state.phase === "escalated") return { done: { kind: "repeat", record } };
      if (record.state.phase !== "escalation") {
        return {
          write: { surface: { ...surface, draft: details } },
          result: (stored) => ({ kind: "went_back", record: stored }),
        };
      }
      const escalation = `t${surface.turn}`;
      const payload: OutboxPayload = {
        escalation,
        channel: deps.config.escalationChannel ?? surface.channel,
        thread: deps.config.escalationChannel === undefined ? surface.thread : null,
        requester: surface.requester,
        requesterThread: { channel: surface.channel, thread: surface.thread },
        report: buildEscalationReport(deps.content, record.state, details, surface.findings),
        reopen: { state: record.state, turn: surface.turn, escalation: surface.escalation, details },
      };
      const next = handle(deps.content, record.state, { type: "submit_escalation", at, details });
      return {
        write: {
          state: next.state,
          surface: {
            ...surface,
            turn: surface.turn + 1,
            escalation: pendingEscalation(payload, at),
            // The answers now live in the outbox and the state; a withdrawal brings the draft back.
            draft: null,
          },
        },
        outbox: { save: { id: outboxId(id, escalation), payload } },
        result: (_stored, entry) => (entry ? { kind: "saved", entry } : { kind: "expired" }),
      };
    });
  } catch (err) {
    // Another instance saved this very escalation a moment ago (the same form, submitted twice).
    if (err instanceof StoreConflictError) {
      const record = await deps.store.get(id, deps.now());
      return record ? { kind: "repeat", record } : { kind: "expired" };
    }
    throw err;
  }
}

/**
 * After the form was acknowledged: posts a saved escalation (see outbox/deliver: the channel's
 * privacy is checked first), or tells the requester why nothing was posted.
 */
export async function followUpSubmission(
  deps: SlackDeps,
  client: WebClient,
  saved: SavedSubmission,
  id: string,
  user: string,
): Promise<void> {
  switch (saved.kind) {
    case "expired":
      deps.logger.info({ conversation: id }, "escalation submitted for an expired conversation");
      return;
    case "went_back":
      await postInThread(
        deps,
        client,
        surfaceOf(saved.record),
        `<@${user}> The conversation went back to the checks, so the escalation was not posted. Your answers are kept for when you escalate again.`,
      );
      return;
    case "repeat":
      return repeatedSubmission(deps, client, saved.record, user);
    case "saved": {
      const delivery = await deliver(deps, client, saved.entry, { fresh: true, privacyChecked: false });
      // Posted: the delivery redrew the conversation. Failed: show it as escalated and waiting.
      if (delivery.kind === "failed") await showWaiting(deps, client, id);
    }
  }
}

/**
 * The same form again. While its post is going through nothing is said (the requester hears how it
 * went in the thread); once it is posted, or after Slack refused it (the requester was told then),
 * the clicker is reminded where it stands.
 */
async function repeatedSubmission(
  deps: SlackDeps,
  client: WebClient,
  record: StoredConversation,
  user: string,
): Promise<void> {
  const surface = surfaceOf(record);
  const e = surface.escalation;
  deps.logger.info({ conversation: record.id }, "escalation form submitted again");
  let already = "This conversation has already been escalated; the post is in its thread.";
  if (e?.status === "pending") {
    const entry = await deps.store.getEscalation(outboxId(record.id, e.id), deps.now());
    if (!entry || entry.attempts === 0) return;
    already =
      "This conversation's escalation is saved and waiting for Slack; I'll post it as soon as Slack accepts it and tell you here.";
  }
  await postInThread(deps, client, surface, `<@${user}> ${already}`);
}

/** Redraws a conversation whose escalation waits in the outbox (read fresh: a retry may have posted it). */
export async function showWaiting(deps: SlackDeps, client: WebClient, id: string): Promise<void> {
  const record = await deps.store.get(id, deps.now());
  if (record) await showConversation(deps, client, record, { root: true });
}

export type StatusChange = { kind: "case_opened"; caseNumber: string } | { kind: "resolved" };

/**
 * Records "case opened with Support" or "resolved" on an escalation (recordStatusChange), then
 * shows it (announceStatusChange). Returns a sentence for the clicker when nothing was changed
 * (already resolved, replaced, expired) or Slack did not take every update.
 */
export async function changeEscalationStatus(
  deps: SlackDeps,
  client: WebClient,
  ref: EscalationRef,
  change: StatusChange,
  user: string,
): Promise<string | undefined> {
  const recorded = await recordStatusChange(deps, ref, change, user);
  if ("refused" in recorded) return recorded.refused;
  return announceStatusChange(deps, client, ref, change, user, recorded.record);
}

/**
 * The store half of a status change: one compare-and-set on the conversation. The case number form
 * calls it before Slack is told the form arrived, so a crash after that keeps the case number.
 */
export async function recordStatusChange(
  deps: SlackDeps,
  ref: EscalationRef,
  change: StatusChange,
  user: string,
): Promise<{ record: StoredConversation } | { refused: string }> {
  let refusedWith: string | undefined;
  const record = await updateSurface(deps, ref.c, (s) => {
    refusedWith = undefined;
    const e = s.escalation;
    if (!e || e.status === "pending" || e.id !== ref.e) {
      refusedWith =
        "This escalation was replaced by a newer one from the same conversation; use the newer post.";
      return undefined;
    }
    if (e.status === "resolved") {
      refusedWith = "Already answered: this escalation is marked resolved.";
      return undefined;
    }
    return {
      ...s,
      escalation:
        change.kind === "case_opened"
          ? { ...e, status: "case_opened", case: change.caseNumber, updatedBy: user }
          : { ...e, status: "resolved", updatedBy: user },
    };
  });
  if (!record) {
    return {
      refused: `This conversation's details have expired (they are kept ${deps.config.retentionDays} days), so the escalation can't be updated here.`,
    };
  }
  return refusedWith ? { refused: refusedWith } : { record };
}

/**
 * The Slack half: updates the escalation post and the conversation's root, notes the change in the
 * escalation thread and tells the requester in theirs.
 */
export async function announceStatusChange(
  deps: SlackDeps,
  client: WebClient,
  ref: EscalationRef,
  change: StatusChange,
  user: string,
  record: StoredConversation,
): Promise<string | undefined> {
  const surface = surfaceOf(record);
  const e = surface.escalation;
  if (!e || e.status === "pending") return undefined;
  deps.logger.info({ conversation: ref.c, status: e.status }, "escalation status changed");

  const problems: SlackFailure[] = [];
  const attempt = async (call: () => Promise<unknown>) => {
    try {
      await call();
    } catch (err) {
      problems.push(describeSlackFailure(err));
    }
  };
  const conversationLink = await permalink(client, surface.channel, surface.root);
  await attempt(() =>
    client.chat.update({
      channel: e.channel,
      ts: e.ts,
      ...renderEscalationPost({
        conversation: ref.c,
        escalation: e.id,
        report: e.report,
        requester: surface.requester,
        conversationLink,
        status: e.status,
        caseNumber: e.case,
        updatedBy: e.updatedBy,
      }),
    }),
  );
  const what =
    change.kind === "case_opened"
      ? `:ticket: Support case *${escapeText(change.caseNumber)}* was opened for this escalation (noted by <@${user}>).`
      : `:white_check_mark: The escalation was marked resolved by <@${user}>.`;
  const ownThread = e.thread !== null;
  if (!ownThread)
    await attempt(() => client.chat.postMessage({ channel: e.channel, thread_ts: e.ts, text: what }));
  await postInThread(deps, client, surface, `<@${surface.requester}> ${what}`);
  const shown = await showConversation(deps, client, record, { root: true });
  if (shown.failure) problems.push(shown.failure);
  if (problems[0]) {
    deps.logger.warn(
      { conversation: ref.c, code: problems[0].code },
      "escalation status not shown everywhere",
    );
    return `The status is saved, but Slack didn't accept every update: ${problems[0].advice}`;
  }
  return undefined;
}
