import { z } from "zod";
import { FlowState } from "../core/flow/state.js";

/**
 * A stored conversation: the engine's state plus what a shell needs to find and redraw it.
 * `revision` grows by one on every accepted update; updates are compare-and-set on it, so a stale
 * or duplicated answer (a double click, a retried request, a second instance) can never move a
 * conversation twice.
 */
export const ConversationRecord = z.object({
  id: z.string().min(1).max(100),
  revision: z.number().int().min(1),
  /** Lookup key chosen by the shell: "terminal:<profile>", "slack:<team>:<channel>:<thread ts>". */
  key: z.string().max(255).nullable(),
  state: FlowState,
  /** Shell-owned data (Slack channel/thread/message ts, pasted findings...). Shells validate it with their own schema. */
  surface: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** After this the conversation and everything it holds is gone (retention). */
  expiresAt: z.iso.datetime(),
});
export type ConversationRecord = z.infer<typeof ConversationRecord>;

export type NewConversation = Pick<ConversationRecord, "id" | "key" | "state" | "surface">;

export type UpdateResult =
  | { ok: true; record: ConversationRecord }
  /** `current` is the record as it is now (undefined when it no longer exists). */
  | { ok: false; current: ConversationRecord | undefined };

export interface ConversationStore {
  /** Creates at revision 1. A second create with the same id or key fails with StoreConflictError. */
  create(conversation: NewConversation, now?: Date): Promise<ConversationRecord>;
  get(id: string, now?: Date): Promise<ConversationRecord | undefined>;
  getByKey(key: string, now?: Date): Promise<ConversationRecord | undefined>;
  /** Compare-and-set: applies only when the stored revision equals `expectedRevision`. */
  update(
    id: string,
    expectedRevision: number,
    change: Partial<Pick<ConversationRecord, "state" | "surface" | "key">>,
    now?: Date,
  ): Promise<UpdateResult>;
  /**
   * Remembers `token` for `ttlMs`; true only for the first caller. De-duplicates Slack retries and
   * double clicks across instances.
   */
  claim(token: string, ttlMs: number, now?: Date): Promise<boolean>;
  /** Deletes conversations last updated before `before` (and expired ones). Returns how many. */
  purge(before: Date, now?: Date): Promise<number>;
  close(): Promise<void>;
}

export class StoreConflictError extends Error {
  override name = "StoreConflictError";
}
