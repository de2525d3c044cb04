import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SqliteConversationStore } from "./sqlite.js";
import type { ConversationStore } from "./types.js";

export const DEFAULT_DATABASE_PATH = "./data/portal-check.db";
export const DEFAULT_RETENTION_DAYS = 30;

export class StoreConfigError extends Error {
  override name = "StoreConfigError";
}

/**
 * DATABASE_URL forms: a path (`./data/portal-check.db`), `sqlite:<path>`, `sqlite://<path>`,
 * `file:<path>` or `file:///abs/path`. Relative paths are relative to `cwd`.
 */
export function sqlitePathFrom(databaseUrl: string | undefined, cwd: string): string {
  const raw = databaseUrl?.trim() || DEFAULT_DATABASE_PATH;
  if (raw === ":memory:") return raw;
  let path = raw;
  if (raw.startsWith("file://")) path = fileURLToPath(raw);
  else if (/^(sqlite|file):/.test(raw)) path = raw.replace(/^(sqlite|file):(\/\/)?/, "");
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new StoreConfigError(
      `DATABASE_URL "${raw.split(":")[0]}:..." is not supported: give a SQLite file path such as ${DEFAULT_DATABASE_PATH} (or sqlite:/var/lib/portal-check/db.sqlite). For several instances, set REDIS_URL.`,
    );
  }
  if (!path)
    throw new StoreConfigError(
      `DATABASE_URL is empty: give a SQLite file path such as ${DEFAULT_DATABASE_PATH}`,
    );
  return isAbsolute(path) ? path : resolve(cwd, path);
}

export function retentionDaysFrom(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return DEFAULT_RETENTION_DAYS;
  const days = Number(value);
  if (!Number.isFinite(days) || days <= 0 || days > 3650) {
    throw new StoreConfigError(`RETENTION_DAYS must be a number of days between 1 and 3650 (got "${value}")`);
  }
  return days;
}

/** The store the environment asks for: SQLite by default. */
export async function openStore(env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<ConversationStore> {
  const retentionDays = retentionDaysFrom(env.RETENTION_DAYS);
  return new SqliteConversationStore({ path: sqlitePathFrom(env.DATABASE_URL, cwd), retentionDays });
}
