import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { StoredConversation } from "../../store/types.js";
import { checkAndShareFile, checkRecords, shareFindings } from "../conversation/paste.js";
import { answerQuestion } from "../conversation/questions.js";
import type { SlackDeps } from "../deps.js";
import type { SharedFile } from "../files.js";
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
    // A reply sent with "Also send to channel" (thread_broadcast) is still a thread reply; a file
    // attached to a reply (file_share) is checked like a paste. Other subtypes (edits, joins…) are not.
    const subtype = event.subtype as string | undefined;
    if (subtype !== undefined && subtype !== "thread_broadcast" && subtype !== "file_share") return;
    if (!("user" in event) || !event.user || "bot_id" in event) return;
    const raw = ("text" in event ? event.text : undefined) ?? "";
    if (context.botUserId && raw.includes(`<@${context.botUserId}>`)) return;
    const text = plainMessageText(raw).trim();
    const team = body.team_id;
    const thread = "thread_ts" in event ? event.thread_ts : undefined;
    const files = "files" in event ? (event.files as SharedFile[] | undefined) : undefined;
    if (thread && files && files.length > 0) {
      const record = await deps.store.getByKey(conversationKey(team, event.channel, thread), deps.now());
      if (record) {
        await attachedInConversation(
          deps,
          client,
          record,
          files,
          context.botToken ?? client.token,
          event.user,
        );
        return;
      }
    }
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

/** Files attached to a reply in a conversation's thread: each checked and answered like a paste. */
async function attachedInConversation(
  deps: SlackDeps,
  client: WebClient,
  record: StoredConversation,
  files: readonly SharedFile[],
  token: string | undefined,
  user: string,
): Promise<void> {
  // A few files at most: more in one message is not a practice's contact export.
  for (const file of files.slice(0, 3)) {
    await checkAndShareFile(deps, client, record, file, token, user, { legacyPortal: false });
  }
}
