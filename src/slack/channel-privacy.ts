import type { WebClient } from "@slack/web-api";
import { describeSlackFailure, type SlackFailure } from "./slack-errors.js";

export type Privacy = { kind: "private" } | { kind: "public" } | { kind: "unknown"; failure: SlackFailure };

/**
 * Whether a channel is private (private channel, DM or group DM). Asked before anything with PHI is
 * posted; when Slack cannot say, the answer is "unknown" and the caller treats it as not private.
 */
export async function channelPrivacy(client: WebClient, channel: string): Promise<Privacy> {
  try {
    const info = await client.conversations.info({ channel });
    const c = info.channel;
    if (!c)
      return {
        kind: "unknown",
        failure: { code: "no_channel", advice: "Slack did not describe the channel." },
      };
    return c.is_private || c.is_im || c.is_mpim ? { kind: "private" } : { kind: "public" };
  } catch (err) {
    return { kind: "unknown", failure: describeSlackFailure(err) };
  }
}
