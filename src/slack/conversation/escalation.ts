import type { WebClient } from "@slack/web-api";
import type { EscalationDetails } from "../../core/escalation/details.js";
import { buildEscalationReport } from "../../core/escalation/report.js";
import { currentPrompts } from "../../core/flow/engine.js";
import type { Prompt } from "../../core/flow/prompt.js";
import {
  type ConversationRecord,
  type OutboxEntry,
  StoreConflictError,
  StoreNotFoundError,
} from "../../store/types.js";
import type { EscalationRef } from "../action-ids.js";
import { escalationModal } from "../blocks/escalation-form.js";
import { renderEscalationPost } from "../blocks/escalation-post.js";
import { escapeText } from "../blocks/kit.js";
import { channelPrivacy } from "../channel-privacy.js";
import type { SlackDeps } from "../deps.js";
import { deliver } from "../outbox/deliver.js";
import { FIX_PRIVACY, publicReason } from "../outbox/notes.js";
import { type OutboxPayload, outboxId } from "../outbox/payload.js";
import { markSaved } from "../outbox/record.js";
import { describeSlackFailure, type SlackFailure } from "../slack-errors.js";
import { type SlackSurface, surfaceOf } from "../surface.js";
import { permalink } from "./permalink.js";
import { showConversation } from "./show.js";
import { updateSurface } from "./store-ops.js";
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
  record: ConversationRecord,
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

/**
 * A submitted escalation form. It is saved in the store's outbox before anything is posted, so
 * nothing typed is lost whatever Slack or this instance does next, and the conversation moves to
 * escalated at once. Then it is posted (see outbox/deliver): to ESCALATION_CHANNEL (a new thread)
 * or, by default, into the conversation's own thread, and only where the channel is private unless
 * ALLOW_PUBLIC_ESCALATION=true. If Slack does not take it, the outbox timer keeps trying and the
 * requester is told. A second submission of the same form (a double click, another instance)
 * finds it saved and does nothing.
 */
export async function submitEscalation(
  deps: SlackDeps,
  client: WebClient,
  id: string,
  details: EscalationDetails,
  user: string,
): Promise<void> {
  const record = await deps.store.get(id, deps.now());
  if (!record) {
    deps.logger.info({ conversation: id }, "escalation submitted for an expired conversation");
    return;
  }
  const surface = surfaceOf(record);
  if (record.state.phase === "escalated") {
    const already =
      surface.escalation?.status === "pending"
        ? "This conversation's escalation is saved and waiting for Slack; I'll post it as soon as Slack accepts it and tell you here."
        : "This conversation has already been escalated; the post is in its thread.";
    await postInThread(deps, client, surface, `<@${user}> ${already}`);
    return;
  }
  if (record.state.phase !== "escalation") {
    await keepDraft(deps, id, details);
    await postInThread(
      deps,
      client,
      surface,
      `<@${user}> The conversation went back to the checks, so the escalation was not posted. Your answers are kept for when you escalate again.`,
    );
    return;
  }
  const target = deps.config.escalationChannel ?? surface.channel;
  const ownThread = deps.config.escalationChannel === undefined;
  if (!deps.config.allowPublicEscalation) {
    const privacy = await channelPrivacy(client, target);
    if (privacy.kind !== "private") {
      await keepDraft(deps, id, details);
      deps.logger.warn(
        { conversation: id, channel: target, privacy: privacy.kind },
        "escalation refused: channel not private",
      );
      await postInThread(
        deps,
        client,
        surface,
        refusal(target, ownThread, privacy.kind === "unknown" ? privacy.failure : undefined),
      );
      return;
    }
  }

  const escalation = `t${surface.turn}`;
  const payload: OutboxPayload = {
    escalation,
    channel: target,
    thread: ownThread ? surface.thread : null,
    requester: surface.requester,
    requesterThread: { channel: surface.channel, thread: surface.thread },
    report: buildEscalationReport(deps.content, record.state, details, surface.findings),
  };
  let entry: OutboxEntry;
  try {
    entry = await deps.store.saveEscalation(
      { id: outboxId(id, escalation), conversationId: id, payload },
      deps.now(),
    );
  } catch (err) {
    if (err instanceof StoreConflictError) {
      deps.logger.info({ conversation: id }, "escalation already saved (a repeated submission)");
      return;
    }
    if (err instanceof StoreNotFoundError) return;
    throw err;
  }
  await markSaved(deps, id, { type: "submit_escalation", at: deps.now().toISOString(), details }, payload);
  const delivery = await deliver(deps, client, entry, { fresh: true, privacyChecked: true });
  // Posted: the delivery redrew the conversation. Failed: show it as escalated and waiting.
  if (delivery.kind === "failed") await showWaiting(deps, client, id);
}

/** Redraws a conversation whose escalation waits in the outbox (read fresh: a retry may have posted it). */
export async function showWaiting(deps: SlackDeps, client: WebClient, id: string): Promise<void> {
  const record = await deps.store.get(id, deps.now());
  if (record) await showConversation(deps, client, record, { root: true });
}

/** Keeps a form that was not saved for posting, as the prefill of the next one. */
function keepDraft(deps: SlackDeps, id: string, details: EscalationDetails) {
  return updateSurface(deps, id, (s) => ({ ...s, draft: details }));
}

function refusal(channel: string, ownThread: boolean, unknown: SlackFailure | undefined): string {
  const why = unknown
    ? `I couldn't confirm that <#${channel}> is private (${escapeText(unknown.advice)}), and an escalation names the parent, their email and the patients.`
    : publicReason(ownThread, channel);
  return [
    `:lock: I didn't post the escalation. ${why}`,
    FIX_PRIVACY,
    "Your answers are saved: once that is done, click *Open the escalation form*, then *Post escalation*.",
  ].join("\n");
}

export type StatusChange = { kind: "case_opened"; caseNumber: string } | { kind: "resolved" };

/**
 * Records "case opened with Support" or "resolved" on an escalation: updates the escalation post
 * and the conversation's root, notes it in the escalation thread and tells the requester in theirs.
 * Returns a sentence for the clicker when nothing was changed (already resolved, replaced, expired).
 */
export async function changeEscalationStatus(
  deps: SlackDeps,
  client: WebClient,
  ref: EscalationRef,
  change: StatusChange,
  user: string,
): Promise<string | undefined> {
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
    return `This conversation's details have expired (they are kept ${deps.config.retentionDays} days), so the escalation can't be updated here.`;
  }
  if (refusedWith) return refusedWith;
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
