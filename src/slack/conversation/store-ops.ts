import { handle } from "../../core/flow/engine.js";
import type { Prompt } from "../../core/flow/prompt.js";
import type { FlowEvent } from "../../core/flow/state.js";
import type { ConversationRecord } from "../../store/types.js";
import type { SlackDeps } from "../deps.js";
import { type SlackSurface, surfaceOf } from "../surface.js";

/** Compare-and-set attempts before giving up; each loss means another writer just succeeded. */
const ATTEMPTS = 5;

/**
 * Edits a conversation's Slack surface (message ts, drafts, findings) on the latest revision. A lost
 * compare-and-set is retried on the fresh record, so two surface edits never overwrite each other.
 * `edit` returns undefined to leave the record as it is. Undefined when the conversation is gone.
 */
export async function updateSurface(
  deps: SlackDeps,
  id: string,
  edit: (surface: SlackSurface, record: ConversationRecord) => SlackSurface | undefined,
): Promise<ConversationRecord | undefined> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const record = await deps.store.get(id, deps.now());
    if (!record) return undefined;
    const surface = edit(surfaceOf(record), record);
    if (!surface) return record;
    const result = await deps.store.update(id, record.revision, { surface }, deps.now());
    if (result.ok) return result.record;
  }
  throw new Error(`conversation ${id} kept changing; surface update abandoned`);
}

export type TransitionResult =
  /** The event moved the conversation; `record` is stored, `prompts` is the new screen. */
  | { kind: "moved"; before: ConversationRecord; record: ConversationRecord; prompts: Prompt[] }
  /** The engine answered with a notice only (nothing to undo, form already open): nothing stored. */
  | { kind: "notice"; record: ConversationRecord; prompts: Prompt[] }
  /** The click came from an older drawing: someone (or a double click) answered already. */
  | { kind: "stale"; record: ConversationRecord }
  | { kind: "missing" };

/**
 * Applies one user event to a conversation if the click's turn is still the current one. The
 * store's compare-and-set makes this safe across double clicks, Slack retries and instances: of two
 * clicks drawn at the same turn, exactly one moves the conversation and the other is stale.
 */
export async function transition(
  deps: SlackDeps,
  id: string,
  turn: number | undefined,
  event: FlowEvent,
): Promise<TransitionResult> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const record = await deps.store.get(id, deps.now());
    if (!record) return { kind: "missing" };
    const surface = surfaceOf(record);
    if (turn !== undefined && surface.turn !== turn) return { kind: "stale", record };
    const next = handle(deps.content, record.state, event);
    if (next.state === record.state) return { kind: "notice", record, prompts: next.prompts };
    const result = await deps.store.update(
      id,
      record.revision,
      { state: next.state, surface: { ...surface, turn: surface.turn + 1 } },
      deps.now(),
    );
    if (result.ok) return { kind: "moved", before: record, record: result.record, prompts: next.prompts };
  }
  throw new Error(`conversation ${id} kept changing; answer abandoned`);
}
