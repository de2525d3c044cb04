import { type OpenStoreOptions, openStore, StoreConfigError } from "../store/open.js";
import type { ConversationStore } from "../store/types.js";
import { type CliIO, UsageError } from "./io.js";

/**
 * The store the environment selects, for a command that reads or changes it. A setting the store
 * cannot use (DATABASE_URL, REDIS_URL, RETENTION_DAYS...) is a usage error with its message. Kept out
 * of io.ts so commands that need no store never load one.
 */
export async function openCliStore(
  io: Pick<CliIO, "env" | "cwd">,
  options: OpenStoreOptions = {},
): Promise<ConversationStore> {
  try {
    return await openStore(io.env, io.cwd, options);
  } catch (err) {
    if (err instanceof StoreConfigError) throw new UsageError(err.message);
    throw err;
  }
}
