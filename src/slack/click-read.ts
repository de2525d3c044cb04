import type { StoredConversation } from "../store/types.js";
import type { SlackDeps } from "./deps.js";

/**
 * A button click's conversation, read by the request guard in the same store step as the request's
 * replay claim (store claimThenGet: one Redis round trip instead of two, on the busiest path) and
 * handed to the click's listener in Bolt's context. The listener still checks the value's signature
 * and uses the read only for the conversation the checked value names; anything else reads again.
 */

/** The name under Bolt's context (customProperties may not reuse a built-in name). */
export const CLICK_READ = "portalCheckClickRead";

/** What the guard read: the conversation `id` as it was then (undefined: none, or expired). */
export interface ClickRead {
  id: string;
  record: StoredConversation | undefined;
}

/**
 * The conversation id a button click's value names (`c`, as encode() writes it), not yet checked:
 * only where to read. Undefined for anything but a single-action block_actions with such a value.
 */
export function conversationNamedBy(body: Record<string, unknown>): string | undefined {
  if (body.type !== "block_actions" || !Array.isArray(body.actions) || body.actions.length !== 1) return;
  const value = (body.actions[0] as { value?: unknown } | null)?.value;
  if (typeof value !== "string" || !value.startsWith("{")) return;
  try {
    const c = (JSON.parse(value) as { c?: unknown } | null)?.c;
    return typeof c === "string" && c.length > 0 && c.length <= 100 ? c : undefined;
  } catch {
    return;
  }
}

/** The conversation `id` as the guard read it for this request, or from the store now. */
export async function conversationForClick(
  deps: SlackDeps,
  context: Record<string, unknown>,
  id: string,
): Promise<StoredConversation | undefined> {
  const read = context[CLICK_READ] as ClickRead | undefined;
  if (read?.id === id) return read.record;
  return deps.store.get(id, deps.now());
}
