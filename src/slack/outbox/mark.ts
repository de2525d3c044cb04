import { handle } from "../../core/flow/engine.js";
import type { FlowEvent } from "../../core/flow/state.js";
import type { StoredConversation } from "../../store/types.js";
import { retryOnConflict, updateSurface } from "../conversation/store-ops.js";
import type { SlackDeps } from "../deps.js";
import { type EscalationPost, surfaceOf } from "../surface.js";
import type { OutboxPayload } from "./payload.js";

/**
 * Keeps the conversation in step with an escalation just saved in the outbox: applies the engine
 * event that goes with it (`submit_escalation`, `auto_escalate`) and records the escalation as
 * pending, in one compare-and-set. Safe to repeat: a second call changes nothing.
 */
export async function markSaved(
  deps: SlackDeps,
  conversationId: string,
  event: FlowEvent,
  payload: OutboxPayload,
): Promise<StoredConversation | undefined> {
  return retryOnConflict<StoredConversation | undefined>(deps, conversationId, undefined, (record) => {
    const surface = surfaceOf(record);
    const next = handle(deps.content, record.state, event);
    const moved = next.kind === "moved";
    const known = surface.escalation?.id === payload.escalation;
    if (!moved && known) return { done: record };
    const pending = pendingEscalation(payload, event.at);
    return {
      write: {
        state: next.state,
        surface: {
          ...surface,
          turn: moved ? surface.turn + 1 : surface.turn,
          escalation: known ? surface.escalation : pending,
          // The form's answers now live in the outbox and the state; the draft was their stand-in.
          draft: event.type === "submit_escalation" ? null : surface.draft,
        },
      },
      result: (stored) => stored,
    };
  });
}

/** How the conversation shows an escalation saved in the outbox and not posted yet. */
export function pendingEscalation(payload: OutboxPayload, since: string): EscalationPost {
  return {
    status: "pending",
    id: payload.escalation,
    channel: payload.channel,
    thread: payload.thread,
    report: payload.report,
    since,
  };
}

/**
 * Records the post on the conversation, unless a newer escalation has replaced this one meanwhile
 * (that post's buttons then say so). Undefined when the conversation is gone.
 */
export function markPosted(
  deps: SlackDeps,
  conversationId: string,
  payload: OutboxPayload,
  ts: string,
  link: string | null,
): Promise<StoredConversation | undefined> {
  return updateSurface(deps, conversationId, (surface) => {
    const current = surface.escalation;
    if (current && (current.id !== payload.escalation || current.status !== "pending")) return undefined;
    return {
      ...surface,
      escalation: {
        status: "open",
        id: payload.escalation,
        channel: payload.channel,
        thread: payload.thread,
        report: payload.report,
        ts,
        link,
        case: null,
        updatedBy: null,
      },
    };
  });
}
