import type { WebClient } from "@slack/web-api";
import { StoreConflictError } from "../../store/types.js";
import { retryOnConflict } from "../conversation/store-ops.js";
import { postInThread } from "../conversation/thread.js";
import type { SlackDeps } from "../deps.js";
import { surfaceOf } from "../surface.js";
import { FIX_PRIVACY, publicReason } from "./notes.js";
import type { OutboxPayload } from "./payload.js";

type Reopen = NonNullable<OutboxPayload["reopen"]>;

/**
 * A submitted form whose target channel Slack says is public, found before anything was posted:
 * in one store write the escalation leaves the outbox and the conversation goes back to the form
 * as it was, with what was typed kept as the next form's prefill. The requester is told why and
 * what to change. False when the entry was posted or withdrawn meanwhile (nothing to undo).
 */
export async function withdrawSubmission(
  deps: SlackDeps,
  client: WebClient,
  entryId: string,
  conversationId: string,
  payload: OutboxPayload,
  reopen: Reopen,
): Promise<boolean> {
  try {
    await retryOnConflict(deps, conversationId, undefined, (record) => {
      const surface = surfaceOf(record);
      const e = surface.escalation;
      // Still showing this escalation as saved: undo the submission. Otherwise (restarted since)
      // only the answers are kept.
      const undo =
        record.state.phase === "escalated" && e?.status === "pending" && e.id === payload.escalation;
      return {
        write: undo
          ? {
              state: reopen.state,
              surface: {
                ...surface,
                turn: reopen.turn,
                escalation: reopen.escalation,
                draft: reopen.details,
              },
            }
          : { surface: { ...surface, draft: reopen.details } },
        outbox: { withdraw: entryId },
        result: () => undefined,
      };
    });
  } catch (err) {
    if (err instanceof StoreConflictError) return false;
    throw err;
  }
  deps.logger.warn(
    { conversation: conversationId, outbox: entryId, channel: payload.channel },
    "escalation withdrawn: channel not private",
  );
  await postInThread(
    deps,
    client,
    payload.requesterThread,
    [
      `<@${payload.requester}> :lock: I didn't post the escalation. ${publicReason(payload.thread !== null, payload.channel)}`,
      FIX_PRIVACY,
      "Your answers are saved: once that is done, click *Open the escalation form*, then *Post escalation*.",
    ].join("\n"),
  );
  return true;
}
