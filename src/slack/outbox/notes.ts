import type { WebClient } from "@slack/web-api";
import { escapeText } from "../blocks/kit.js";
import type { Privacy } from "../channel-privacy.js";
import { postInThread } from "../conversation/thread.js";
import type { SlackDeps } from "../deps.js";
import { meansNotAMember, type SlackFailure } from "../slack-errors.js";
import { formatHours } from "../stale/hours.js";
import type { OutboxPayload } from "./payload.js";

/**
 * What the requester reads in their thread about an escalation in the outbox: that it is delayed
 * (once, on the first failure) and that it went through. Never PHI: the thread may be public.
 */

const isAutomatic = (payload: OutboxPayload) => "kind" in payload.report;

const where = (payload: OutboxPayload) => (payload.thread ? "this thread" : `<#${payload.channel}>`);

/** `explained`: mrkdwn that replaces the failure's plain advice (it may mention channels). */
export async function delayedNote(
  deps: SlackDeps,
  client: WebClient,
  payload: OutboxPayload,
  failure: SlackFailure,
  explained?: string,
): Promise<void> {
  const advice =
    explained ??
    (!payload.thread && meansNotAMember(failure)
      ? `I'm not a member of <#${payload.channel}> (ESCALATION_CHANNEL). Invite me there with \`/invite @portal-check\`.`
      : escapeText(failure.advice));
  const text = isAutomatic(payload)
    ? `<@${payload.requester}> This check has had no answer for ${formatHours(deps.config.staleEscalateHours)}, so I'm escalating what is known to Support, but I couldn't post it in ${where(payload)} yet. ${advice} I'll keep trying and tell you here when it's posted.`
    : `<@${payload.requester}> I couldn't post the escalation in ${where(payload)} yet. ${advice} Your answers are saved: I'll keep trying and tell you here when it's posted, so there's no need to submit the form again.`;
  await postInThread(deps, client, payload.requesterThread, text);
}

export async function postedNote(
  deps: SlackDeps,
  client: WebClient,
  payload: OutboxPayload,
  link: string | undefined,
  delayed: boolean,
): Promise<void> {
  const view = link ? ` (<${link}|view it>)` : "";
  const phone = `*${escapeText(payload.report.phone)}*`;
  const report = payload.report;
  let text: string | undefined;
  if ("kind" in report) {
    const missing =
      report.missing.length > 0 ? ` Still missing: ${escapeText(report.missing.join("; "))}.` : "";
    text = `<@${payload.requester}> :hourglass: This check has had no answer for ${formatHours(deps.config.staleEscalateHours)}, so I escalated what is known to Support in ${where(payload)}${view}.${missing} Click *Add the missing details* when you have them.`;
  } else if (!payload.thread) {
    const after = delayed ? `<@${payload.requester}> Slack accepted it after all: ` : "";
    text = `${after}:rotating_light: Escalation posted in <#${payload.channel}>${view}. Call OP Support at ${phone}; I'll note here when the case is opened and resolved.`;
  } else if (delayed) {
    text = `<@${payload.requester}> Slack accepted it after all: :rotating_light: the escalation is posted in this thread${view}. Call OP Support at ${phone}.`;
  }
  if (text) await postInThread(deps, client, payload.requesterThread, text);
}

/** The failure code of an escalation refused because its channel is public. */
export const NOT_PRIVATE = "channel_not_private";

/** Why an escalation may not go to a channel that is not (or not known to be) private, as mrkdwn. */
export function notPrivate(
  payload: OutboxPayload,
  privacy: Privacy,
): { failure: SlackFailure; explained: string } {
  if (privacy.kind === "unknown") {
    return {
      // The cause's code (slack_unreachable...): a Slack outage stops the retry run early.
      failure: privacy.failure,
      explained: `I couldn't confirm that <#${payload.channel}> is private (${escapeText(privacy.failure.advice)}), and an escalation names the parent, their email and the patients.`,
    };
  }
  return {
    failure: { code: NOT_PRIVATE, advice: "The channel is public." },
    explained: `${publicReason(payload.thread !== null, payload.channel)} ${FIX_PRIVACY}`,
  };
}

export function publicReason(ownThread: boolean, channel: string): string {
  return ownThread
    ? "This conversation is in a public channel, and an escalation names the parent, their email and the patients."
    : `<#${channel}> (ESCALATION_CHANNEL) is a public channel, and an escalation names the parent, their email and the patients.`;
}

export const FIX_PRIVACY =
  "To fix it, ask whoever runs this app to set `ESCALATION_CHANNEL` to the id of a private channel (and invite me there), or, only if patient details may be posted publicly in this workspace, `ALLOW_PUBLIC_ESCALATION=true`. You can also run `/portal-check` in a private channel or in a direct message with me.";
