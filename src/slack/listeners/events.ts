import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { checkRecords, shareFindings } from "../conversation/paste.js";
import { answerQuestion } from "../conversation/questions.js";
import type { SlackDeps } from "../deps.js";
import { looksLikeRecords, plainMessageText } from "../records.js";
import { conversationKey } from "../surface.js";

type MentionArgs = SlackEventMiddlewareArgs<"app_mention"> & AllMiddlewareArgs;
type MessageArgs = SlackEventMiddlewareArgs<"message"> & AllMiddlewareArgs;

export function registerEvents(app: App, deps: SlackDeps) {
  app.event("app_mention", mentioned(deps));
  app.event("message", messaged(deps));
}

/**
 * A mention: a question gets an answer in its thread. In a conversation's thread, a pasted table
 * with a mention is treated as records.
 */
function mentioned(deps: SlackDeps) {
  return async ({ event, body, client }: MentionArgs) => {
    if (!event.user) return;
    const team = body.team_id;
    const text = plainMessageText(event.text ?? "").trim();
    if (
      event.thread_ts &&
      (await pastedInConversation(deps, client, team, event.channel, event.thread_ts, text, event.user))
    ) {
      return;
    }
    await answerQuestion(deps, client, {
      channel: event.channel,
      thread: event.thread_ts ?? event.ts,
      user: event.user,
      text,
    });
  };
}

/**
 * Plain messages: replies in a conversation's thread that look like pasted records (anywhere), and
 * questions in a direct message (answered in their thread). Chat between staff in a thread is left alone, as are bots, edits
 * and messages that mention the bot (app_mention handles those).
 */
function messaged(deps: SlackDeps) {
  return async ({ event, body, client, context }: MessageArgs) => {
    if (event.subtype !== undefined || !("user" in event) || !event.user || "bot_id" in event) return;
    const raw = event.text ?? "";
    if (context.botUserId && raw.includes(`<@${context.botUserId}>`)) return;
    const text = plainMessageText(raw).trim();
    const team = body.team_id;
    const thread = "thread_ts" in event ? event.thread_ts : undefined;
    if (thread && (await pastedInConversation(deps, client, team, event.channel, thread, text, event.user)))
      return;
    if (event.channel_type === "im") {
      await answerQuestion(deps, client, {
        channel: event.channel,
        thread: thread ?? event.ts,
        user: event.user,
        text,
      });
    }
  };
}

/** Checks a thread reply as pasted records when it is in a conversation's thread and looks like them. */
async function pastedInConversation(
  deps: SlackDeps,
  client: WebClient,
  team: string,
  channel: string,
  thread: string,
  text: string,
  user: string,
): Promise<boolean> {
  if (!looksLikeRecords(text)) return false;
  const record = await deps.store.getByKey(conversationKey(team, channel, thread), deps.now());
  if (!record) return false;
  const result = checkRecords(deps, record, text, { legacyPortal: false });
  await shareFindings(deps, client, record, result, user);
  return true;
}
