import type { FlowState } from "../core/flow/state.js";
import { channelOf, OutcomeRecord, OutcomeSummary, summarize } from "../core/report/outcome.js";

/**
 * Outcome records as both stores keep them: the de-identified summary of the flow state as JSON,
 * beside the columns the stores look things up by. Written in the same transaction (SQLite) or
 * script (Redis) as the conversation change they describe, keyed by conversation id: several
 * instances, retries and replays all land on the one record, so each conversation counts once.
 */

/** What a store writes for a conversation whose state is known. */
export interface OutcomeWrite {
  summary: string;
  startedAt: number;
  /** null: leave the stored channel as it is. */
  channel: string | null;
}

export function outcomeWrite(state: FlowState, surface: Record<string, unknown> | undefined): OutcomeWrite {
  return {
    summary: JSON.stringify(summarize(state)),
    startedAt: Date.parse(state.startedAt),
    channel: surface ? channelOf(surface) : null,
  };
}

/** A stored outcome (times in ms) as the record the report reads. */
export interface StoredOutcomeRow {
  conversationId: string;
  channel: string | null;
  summary: string;
  updatedAt: number;
  conversationEndsAt: number;
  expiresAt: number;
}

export function outcomeFromRow(row: StoredOutcomeRow): OutcomeRecord {
  const iso = (ms: number) => new Date(ms).toISOString();
  return OutcomeRecord.parse({
    ...OutcomeSummary.parse(JSON.parse(row.summary)),
    conversationId: row.conversationId,
    channel: row.channel,
    lastActivityAt: iso(row.updatedAt),
    conversationEndsAt: iso(row.conversationEndsAt),
    expiresAt: iso(row.expiresAt),
  });
}
