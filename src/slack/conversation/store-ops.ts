import { handle } from "../../core/flow/engine.js";
import type { Prompt } from "../../core/flow/prompt.js";
import type { FlowEvent } from "../../core/flow/state.js";
import type { OutboxChange, OutboxEntry, StoredConversation } from "../../store/types.js";
import type { SlackDeps } from "../deps.js";
import { type SlackSurface, surfaceOf } from "../surface.js";

/** Compare-and-set attempts before giving up; each loss means another writer just succeeded. */
const ATTEMPTS = 5;

/**
 * One attempt's decision on a fresh record: stop with a result, or write and build the result from
 * what was stored. With `outbox`, the escalation is saved or withdrawn in the same atomic write.
 */
export type CasStep<T> =
  | { done: T }
  | {
      write: Partial<Pick<StoredConversation, "state" | "surface">>;
      outbox?: OutboxChange;
      result: (stored: StoredConversation, entry: OutboxEntry | undefined) => T;
    };

/**
 * Reads the conversation, lets `step` decide on it, and writes with compare-and-set; a lost write is
 * decided again on the fresh record. The one retry loop behind every conversation write in the app.
 * `read`: the record as the caller has just read it, decided on first instead of reading it again
 * (if it is no longer current, its write loses the compare-and-set and the next attempt reads).
 */
export async function retryOnConflict<T>(
  deps: SlackDeps,
  id: string,
  missing: T,
  step: (record: StoredConversation) => CasStep<T>,
  read?: StoredConversation,
): Promise<T> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const record = attempt === 0 && read?.id === id ? read : await deps.store.get(id, deps.now());
    if (!record) return missing;
    const decision = step(record);
    if ("done" in decision) return decision.done;
    if (decision.outbox) {
      const result = await deps.store.updateWithOutbox(
        id,
        record.revision,
        decision.write,
        decision.outbox,
        deps.now(),
      );
      if (result.ok) return decision.result(result.record, result.entry);
      continue;
    }
    const result = await deps.store.update(id, record.revision, decision.write, deps.now());
    if (result.ok) return decision.result(result.record, undefined);
  }
  throw new Error(`conversation ${id} kept changing; write abandoned after ${ATTEMPTS} attempts`);
}

/**
 * Edits a conversation's Slack surface (message ts, drafts, findings) on the latest revision. A lost
 * compare-and-set is retried on the fresh record, so two surface edits never overwrite each other.
 * `edit` returns undefined to leave the record as it is. Undefined when the conversation is gone.
 */
export async function updateSurface(
  deps: SlackDeps,
  id: string,
  edit: (surface: SlackSurface, record: StoredConversation) => SlackSurface | undefined,
): Promise<StoredConversation | undefined> {
  return retryOnConflict<StoredConversation | undefined>(deps, id, undefined, (record) => {
    const surface = edit(surfaceOf(record), record);
    return surface ? { write: { surface }, result: (stored) => stored } : { done: record };
  });
}

export type ClickResult =
  /** The event moved the conversation; `record` is stored, `prompts` is the new screen. */
  | { kind: "moved"; before: StoredConversation; record: StoredConversation; prompts: Prompt[] }
  /** The engine refused the event (nothing to undo, form already open): nothing stored; `prompts` starts with its notice. */
  | { kind: "refused"; record: StoredConversation; prompts: Prompt[] }
  /** The click came from an older drawing: someone (or a double click) answered already. */
  | { kind: "stale"; record: StoredConversation }
  | { kind: "missing" };

/**
 * Applies one user event to a conversation if the click's turn is still the current one. The
 * store's compare-and-set makes this safe across double clicks, Slack retries and instances: of two
 * clicks drawn at the same turn, exactly one moves the conversation and the other is stale.
 */
export async function applyClick(
  deps: SlackDeps,
  id: string,
  turn: number | undefined,
  event: FlowEvent,
  read?: StoredConversation,
): Promise<ClickResult> {
  return retryOnConflict<ClickResult>(
    deps,
    id,
    { kind: "missing" },
    (record) => {
      const surface = surfaceOf(record);
      if (turn !== undefined && surface.turn !== turn) return { done: { kind: "stale", record } };
      const next = handle(deps.content, record.state, event);
      if (next.kind === "refused") return { done: { kind: "refused", record, prompts: next.prompts } };
      return {
        write: { state: next.state, surface: { ...surface, turn: surface.turn + 1 } },
        result: (stored) => ({ kind: "moved", before: record, record: stored, prompts: next.prompts }),
      };
    },
    read,
  );
}
