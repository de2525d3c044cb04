import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_FEEDBACK_RETENTION_DAYS } from "../core/feedback/schema.js";
import { SqliteConversationStore } from "./sqlite.js";
import { type ConversationStore, DEFAULT_STATS_RETENTION_DAYS } from "./types.js";

export const DEFAULT_DATABASE_PATH = "./data/portal-check.db";
export const DEFAULT_RETENTION_DAYS = 30;
export const DEFAULT_REDIS_PREFIX = "portal-check:";
const REDIS_FORM =
  "redis://[:password@]host:port[/db] (or rediss://... for TLS), e.g. redis://localhost:6379/0";

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

export function retentionDaysFrom(
  value: string | undefined,
  name = "RETENTION_DAYS",
  fallback = DEFAULT_RETENTION_DAYS,
): number {
  if (value === undefined || value.trim() === "") return fallback;
  const days = Number(value);
  if (!Number.isFinite(days) || days <= 0 || days > 3650) {
    throw new StoreConfigError(`${name} must be a number of days between 1 and 3650 (got "${value}")`);
  }
  return days;
}

/** FEEDBACK_RETENTION_DAYS: how long stored questions and verdicts are kept (default 90). */
export const feedbackRetentionDaysFrom = (value: string | undefined) =>
  retentionDaysFrom(value, "FEEDBACK_RETENTION_DAYS", DEFAULT_FEEDBACK_RETENTION_DAYS);

/** STATS_RETENTION_DAYS: how long de-identified outcome records are kept (default 400). */
export const statsRetentionDaysFrom = (value: string | undefined) =>
  retentionDaysFrom(value, "STATS_RETENTION_DAYS", DEFAULT_STATS_RETENTION_DAYS);

/**
 * REDIS_URL, checked before connecting. The messages never repeat the value: it may hold a password.
 * Undefined when unset or blank.
 */
export function redisUrlFrom(value: string | undefined): string | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new StoreConfigError(`REDIS_URL is not a URL: give ${REDIS_FORM}`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new StoreConfigError(`REDIS_URL must start with redis:// or rediss://: give ${REDIS_FORM}`);
  }
  if (!url.hostname) throw new StoreConfigError(`REDIS_URL has no host: give ${REDIS_FORM}`);
  if (!/^\/?(\d{1,5})?$/.test(url.pathname)) {
    throw new StoreConfigError(
      `REDIS_URL's database (after the last /) must be a number such as 0: give ${REDIS_FORM}`,
    );
  }
  return raw;
}

/** REDIS_PREFIX: put before every key; default "portal-check:". */
export function redisPrefixFrom(value: string | undefined): string {
  const prefix = value?.trim() || DEFAULT_REDIS_PREFIX;
  if (prefix.length > 100 || /\s/.test(prefix)) {
    throw new StoreConfigError(
      `REDIS_PREFIX must be at most 100 characters without spaces, such as ${DEFAULT_REDIS_PREFIX} (got "${prefix}")`,
    );
  }
  return prefix;
}

export interface OpenStoreOptions {
  /** Redis connection trouble after start-up, for the app's log. */
  onRedisError?: (err: Error) => void;
  /** False: a SQLite file that does not exist is an error (StoreMissingError), not a new store. */
  create?: boolean;
  /**
   * SQLite: WAL checkpoints on a worker thread (the server's choice; see checkpoints.ts). `onFailure`
   * hears why if that thread fails and the store goes back to checkpointing in commits.
   */
  backgroundCheckpoints?: { onFailure?: (err: Error) => void };
}

/** The store the environment asks for: Redis when REDIS_URL is set, otherwise SQLite (DATABASE_URL). */
export async function openStore(
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
  options: OpenStoreOptions = {},
): Promise<ConversationStore> {
  const retentionDays = retentionDaysFrom(env.RETENTION_DAYS);
  const feedbackRetentionDays = feedbackRetentionDaysFrom(env.FEEDBACK_RETENTION_DAYS);
  const statsRetentionDays = statsRetentionDaysFrom(env.STATS_RETENTION_DAYS);
  const url = redisUrlFrom(env.REDIS_URL);
  if (url) {
    // Loaded only when chosen: ioredis adds about 90 ms to every start on SQLite otherwise.
    const { RedisConversationStore } = await import("./redis.js");
    const store = new RedisConversationStore({
      url,
      prefix: redisPrefixFrom(env.REDIS_PREFIX),
      retentionDays,
      feedbackRetentionDays,
      statsRetentionDays,
      onConnectionError: options.onRedisError,
    });
    await store.connect();
    return store;
  }
  return new SqliteConversationStore({
    path: sqlitePathFrom(env.DATABASE_URL, cwd),
    retentionDays,
    create: options.create ?? true,
    feedbackRetentionDays,
    statsRetentionDays,
    ...(options.backgroundCheckpoints ? { backgroundCheckpoints: options.backgroundCheckpoints } : {}),
  });
}
