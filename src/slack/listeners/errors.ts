import type { WebClient } from "@slack/web-api";
import { ConversationRef, decode } from "../action-ids.js";
import type { SlackDeps } from "../deps.js";
import { surfaceOf } from "../surface.js";

const SORRY =
  "Something went wrong on my side. Everything you answered before is saved: try again, or start a new check with `/portal-check`.";

interface LooseBody {
  type?: string;
  response_url?: string;
  user?: { id?: string };
  channel?: { id?: string };
  view?: { private_metadata?: string };
  event?: { channel?: string; user?: string; thread_ts?: string; ts?: string };
}

/**
 * The last stop for a listener that threw: the error is logged (without PHI: errors keep only
 * name, message, code and stack) and the person who acted is told, by whatever route the request
 * offers, so nobody is left waiting on a button that did nothing. `client` is the app's own (its
 * API URL, timeout, retries and PHI-safe logger); Bolt does not hand one to error handlers.
 */
export function reportListenerError(deps: SlackDeps, client: WebClient) {
  return async ({ error, body }: { error: Error; body: unknown }) => {
    const b = body as LooseBody;
    const original = (error as { original?: unknown }).original ?? error;
    deps.logger.error({ err: original, requestType: b.type }, "listener failed");
    try {
      if (b.response_url) {
        await fetch(b.response_url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ response_type: "ephemeral", replace_original: false, text: SORRY }),
        });
        return;
      }
      const ref = decode(ConversationRef, b.view?.private_metadata);
      const record = ref ? await deps.store.get(ref.c, deps.now()) : undefined;
      const user = b.user?.id ?? b.event?.user;
      const where = record
        ? { channel: surfaceOf(record).channel, thread: surfaceOf(record).thread }
        : b.event?.channel
          ? { channel: b.event.channel, thread: b.event.thread_ts ?? b.event.ts }
          : b.channel?.id
            ? { channel: b.channel.id, thread: undefined }
            : undefined;
      if (where && user) {
        await client.chat.postEphemeral({
          channel: where.channel,
          user,
          text: SORRY,
          ...(where.thread ? { thread_ts: where.thread } : {}),
        });
      }
    } catch (err) {
      deps.logger.error({ err }, "could not tell the user about a failure");
    }
  };
}
