import type { BlockAction, RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../log.js";
import { ACTION, encode } from "./action-ids.js";
import { actions, button, clip, escapeText, LIMITS, section } from "./blocks/kit.js";

export interface Notice {
  /** Plain sentence(s) for the user; escaped for mrkdwn here. */
  text: string;
  /** Offer a button that redraws this conversation (after Slack failed to show it). */
  retry?: string;
}

/** How a listener answers the person who acted, when the answer is not part of the thread. */
export type Tell = (notice: Notice) => Promise<void>;

function blocks(notice: Notice) {
  const out = [section(escapeText(notice.text))];
  if (notice.retry)
    out.push(actions("retry", [button(ACTION.redraw, "Try again", encode({ c: notice.retry }))]));
  return out;
}

/**
 * Through the interaction's response_url: works even where the bot is not a channel member. Only the
 * person who acted sees it. A failure here is logged: there is no other way left to reach them.
 */
export function tellByResponse(respond: RespondFn, logger: Logger): Tell {
  return async (notice) => {
    try {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: clip(notice.text, LIMITS.fallbackText),
        blocks: blocks(notice),
      });
    } catch (err) {
      logger.error({ err }, "could not reach the user through response_url");
    }
  };
}

/** As an ephemeral message in a channel (and thread): for modal submissions, which have no response_url. */
export function tellEphemeral(
  client: WebClient,
  logger: Logger,
  where: { channel: string; user: string; thread?: string | undefined },
): Tell {
  return async (notice) => {
    try {
      await client.chat.postEphemeral({
        channel: where.channel,
        user: where.user,
        ...(where.thread ? { thread_ts: where.thread } : {}),
        text: clip(notice.text, LIMITS.fallbackText),
        blocks: blocks(notice),
      });
    } catch (err) {
      logger.error({ err }, "could not reach the user with an ephemeral message");
    }
  };
}

/**
 * The person who clicked a button. Through response_url when Slack sent one; a click without it (a
 * button in a modal or on App Home, or a payload that left it out) is still answered: as an
 * ephemeral message in the channel of the click, or, with no channel either, in the person's direct
 * messages with the app (only they see it).
 */
export function tellClicker(
  click: { respond: RespondFn; body: BlockAction; client: WebClient },
  logger: Logger,
): Tell {
  const { body } = click;
  if ((body as { response_url?: string }).response_url) return tellByResponse(click.respond, logger);
  const channel = body.channel?.id;
  const container = body.container as { thread_ts?: string } | undefined;
  const thread = (body.message?.thread_ts as string | undefined) ?? container?.thread_ts;
  if (channel) return tellEphemeral(click.client, logger, { channel, user: body.user.id, thread });
  return async (notice) => {
    try {
      await click.client.chat.postMessage({
        channel: body.user.id,
        text: clip(notice.text, LIMITS.fallbackText),
        blocks: blocks(notice),
      });
    } catch (err) {
      logger.error({ err }, "could not reach the user in a direct message");
    }
  };
}
