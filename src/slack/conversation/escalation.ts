import { randomUUID } from "node:crypto";
import type { WebClient } from "@slack/web-api";
import type { EscalationDetails } from "../../core/escalation/details.js";
import { buildEscalationReport } from "../../core/escalation/report.js";
import { currentPrompts, handle } from "../../core/flow/engine.js";
import type { Prompt } from "../../core/flow/prompt.js";
import type { ConversationRecord } from "../../store/types.js";
import type { EscalationRef } from "../action-ids.js";
import { escalationModal } from "../blocks/escalation-form.js";
import { renderEscalationPost } from "../blocks/escalation-post.js";
import { escapeText } from "../blocks/kit.js";
import { channelPrivacy } from "../channel-privacy.js";
import type { SlackDeps } from "../deps.js";
import { describeSlackFailure, isNotInChannel, type SlackFailure } from "../slack-errors.js";
import { type EscalationPost, type SlackSurface, surfaceOf } from "../surface.js";
import { showConversation } from "./show.js";
import { updateSurface } from "./store-ops.js";
import { postInThread } from "./thread.js";

/** A crashed or stuck posting attempt blocks a retry for at most this long. */
const POSTING_LEASE_MS = 2 * 60 * 1000;

type Posted = Exclude<EscalationPost, { status: "posting" }>;

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
 * Posts a submitted escalation. The answers are saved as a draft first, so nothing typed is lost
 * whatever happens next; a posting lease taken with compare-and-set lets only one submission post.
 * The post goes to ESCALATION_CHANNEL (a new thread) or, by default, into the conversation's own
 * thread, and only where the channel is private unless ALLOW_PUBLIC_ESCALATION=true.
 */
export async function submitEscalation(
  deps: SlackDeps,
  client: WebClient,
  id: string,
  details: EscalationDetails,
  user: string,
): Promise<void> {
  const now = deps.now();
  let blocked: string | undefined;
  const leased = await updateSurface(deps, id, (s, record) => {
    blocked = undefined;
    if (record.state.phase === "escalated") {
      blocked = "This conversation has already been escalated; the post is in its thread.";
    } else if (record.state.phase !== "escalation") {
      blocked =
        "The conversation went back to the checks, so the escalation was not posted. Your answers are kept for when you escalate again.";
      return { ...s, draft: details };
    } else if (
      s.escalation?.status === "posting" &&
      now.getTime() - Date.parse(s.escalation.since) < POSTING_LEASE_MS
    ) {
      blocked = "This escalation is being posted right now.";
    }
    if (blocked) return undefined;
    return { ...s, draft: details, escalation: { status: "posting", since: now.toISOString() } };
  });
  if (!leased) {
    deps.logger.info({ conversation: id }, "escalation submitted for an expired conversation");
    return;
  }
  const surface = surfaceOf(leased);
  if (blocked) {
    await postInThread(deps, client, surface, `<@${user}> ${escapeText(blocked)}`);
    return;
  }
  const release = () => updateSurface(deps, id, (s) => ({ ...s, escalation: null }));
  const target = deps.config.escalationChannel ?? surface.channel;
  const ownThread = deps.config.escalationChannel === undefined;

  if (!deps.config.allowPublicEscalation) {
    const privacy = await channelPrivacy(client, target);
    if (privacy.kind !== "private") {
      await release();
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

  const conversationLink = await permalink(client, surface.channel, surface.root);
  const report = buildEscalationReport(deps.content, leased.state, details, surface.findings);
  const escalationId = randomUUID().slice(0, 8);
  let postTs: string | undefined;
  try {
    const posted = await client.chat.postMessage({
      channel: target,
      ...(ownThread ? { thread_ts: surface.thread } : {}),
      ...renderEscalationPost({
        conversation: id,
        escalation: escalationId,
        report,
        requester: surface.requester,
        conversationLink,
        status: "open",
        caseNumber: null,
        updatedBy: null,
      }),
    });
    postTs = posted.ts;
  } catch (err) {
    await release();
    const failure = describeSlackFailure(err);
    deps.logger.warn({ conversation: id, channel: target, code: failure.code }, "escalation post failed");
    const where = ownThread ? "this thread" : `<#${target}>`;
    const advice =
      !ownThread && isNotInChannel(err)
        ? `I'm not a member of <#${target}> (ESCALATION_CHANNEL). Invite me there with \`/invite @portal-check\`.`
        : escapeText(failure.advice);
    await postInThread(
      deps,
      client,
      surface,
      `<@${user}> I couldn't post the escalation in ${where}. ${advice} Your answers are saved: click *Open the escalation form*, then *Post escalation*, to try again.`,
    );
    return;
  }
  const link = postTs ? await permalink(client, target, postTs) : undefined;
  const post: Posted = {
    status: "open",
    id: escalationId,
    report,
    channel: target,
    ts: postTs ?? "",
    thread: ownThread ? surface.thread : null,
    link: link ?? null,
    case: null,
    updatedBy: null,
  };
  const committed = await commitEscalation(deps, id, details, post);
  deps.logger.info({ conversation: id, channel: target }, "escalation posted");
  if (!committed) return;
  const shown = await showConversation(deps, client, committed, { root: true });
  if (!ownThread) {
    await postInThread(
      deps,
      client,
      surfaceOf(committed),
      `:rotating_light: Escalation posted in <#${target}>${link ? ` (<${link}|view it>)` : ""}. Call OP Support at *${escapeText(report.phone)}*; I'll note here when the case is opened and resolved.`,
    );
  }
  if (shown.failure)
    deps.logger.warn(
      { conversation: id, code: shown.failure.code },
      "escalated conversation not fully redrawn",
    );
}

/** Moves the state to escalated and records the post, in one compare-and-set. */
async function commitEscalation(
  deps: SlackDeps,
  id: string,
  details: EscalationDetails,
  post: Posted,
): Promise<ConversationRecord | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const record = await deps.store.get(id, deps.now());
    if (!record) return undefined;
    const s = surfaceOf(record);
    const next = handle(deps.content, record.state, {
      type: "submit_escalation",
      at: deps.now().toISOString(),
      details,
    });
    const moved = next.state !== record.state;
    const result = await deps.store.update(
      id,
      record.revision,
      {
        state: next.state,
        surface: { ...s, draft: null, escalation: post, turn: moved ? s.turn + 1 : s.turn },
      },
      deps.now(),
    );
    if (result.ok) return result.record;
  }
  throw new Error(`conversation ${id} kept changing; escalation post not recorded`);
}

function refusal(channel: string, ownThread: boolean, unknown: SlackFailure | undefined): string {
  const why = unknown
    ? `I couldn't confirm that <#${channel}> is private (${escapeText(unknown.advice)}), and an escalation names the parent, their email and the patients.`
    : ownThread
      ? "This conversation is in a public channel, and an escalation names the parent, their email and the patients."
      : `<#${channel}> (ESCALATION_CHANNEL) is a public channel, and an escalation names the parent, their email and the patients.`;
  return [
    `:lock: I didn't post the escalation. ${why}`,
    "To fix it, ask whoever runs this app to set `ESCALATION_CHANNEL` to the id of a private channel (and invite me there), or, only if patient details may be posted publicly in this workspace, `ALLOW_PUBLIC_ESCALATION=true`. You can also run `/portal-check` in a private channel or in a direct message with me.",
    "Your answers are saved: once that is done, click *Open the escalation form*, then *Post escalation*.",
  ].join("\n");
}

async function permalink(client: WebClient, channel: string, ts: string): Promise<string | undefined> {
  try {
    return (await client.chat.getPermalink({ channel, message_ts: ts })).permalink;
  } catch {
    return undefined;
  }
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
    if (!e || e.status === "posting" || e.id !== ref.e) {
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
  if (!e || e.status === "posting") return undefined;
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
