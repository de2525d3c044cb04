import type { WebClient } from "@slack/web-api";
import type { Block } from "../blocks/kit.js";
import type { SlackDeps } from "../deps.js";
import { describeSlackFailure } from "../slack-errors.js";
import type { SlackSurface } from "../surface.js";

/**
 * A message in the conversation's thread, where it persists (unlike an ephemeral one). `mrkdwn` is
 * already escaped by the caller; `blocks`, when given, are shown instead (with `mrkdwn` as the
 * notification text). A failure is logged: this is itself the last way to reach the user.
 */
export async function postInThread(
  deps: SlackDeps,
  client: WebClient,
  surface: Pick<SlackSurface, "channel" | "thread">,
  mrkdwn: string,
  blocks?: Block[],
): Promise<boolean> {
  try {
    await client.chat.postMessage({
      channel: surface.channel,
      thread_ts: surface.thread,
      text: mrkdwn,
      ...(blocks ? { blocks } : {}),
    });
    return true;
  } catch (err) {
    deps.logger.error(
      { channel: surface.channel, code: describeSlackFailure(err).code },
      "could not post in a conversation thread",
    );
    return false;
  }
}
