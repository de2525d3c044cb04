import { openStore, StoreConfigError } from "../store/open.js";
import type { ConversationStore } from "../store/types.js";
import { type CliIO, UsageError } from "./io.js";

/** The store the app uses (REDIS_URL, else DATABASE_URL); a bad setting is a usage error, not a crash. */
export async function openCliStore(io: Pick<CliIO, "env" | "cwd">): Promise<ConversationStore> {
  try {
    return await openStore(io.env, io.cwd);
  } catch (err) {
    if (err instanceof StoreConfigError) throw new UsageError(err.message);
    throw err;
  }
}
