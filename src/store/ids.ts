import { v7 } from "uuid";

/**
 * A new id for a stored record (a conversation, a question): a UUID version 7, which begins with
 * the time it was made. The stores key their tables by these ids, and time-ordered keys are added
 * at the end of SQLite's indexes instead of at random places in them: each new conversation then
 * touches the pages the previous one touched, not a page of its own. Measured on this machine, the
 * store's CPU per slash command fell by about a quarter (≈100 → ≈75 µs), and it no longer grows
 * with the table. The 74 random bits keep ids unguessable; buttons are signed anyway (action-ids.ts).
 */
export function newRecordId(): string {
  return v7();
}
