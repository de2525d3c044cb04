import { millisecondsInDay } from "date-fns/constants";
import { DEFAULT_DATABASE_PATH } from "../../store/open.js";
import { StoreMissingError } from "../../store/sqlite.js";
import { type ConversationStore, StorePurgeIncompleteError } from "../../store/types.js";
import { type Command, parseCommandArgs, UsageError, write } from "../io.js";
import { openCliStore } from "../store.js";

const HELP = `Usage: portal-check purge [--older-than DAYS] [--create]

Removes stored conversations now, with everything they hold (saved escalations, claims).
Stored conversations also expire on their own after RETENTION_DAYS (default 30).
Their de-identified outcome records (for \`portal-check report\` and App Home) stay, with their
own retention, STATS_RETENTION_DAYS (default 400).
  (no option)          remove every stored conversation
  --older-than DAYS    remove only those idle (not updated) for more than DAYS days,
                       a number such as 7 or 0.5
  --create             go ahead when the SQLite file does not exist (it is created empty)
Works on the store the app uses: REDIS_URL if set, otherwise DATABASE_URL
(default ./data/portal-check.db). Run it where the app runs, with the same settings:
a SQLite file that does not exist is refused, as the real store is likely elsewhere.
Exit 0: removed; 1: not finished (another process is reading the store: run it again
once that is done); 2: usage error or no store there.
`;

/** Later than any stored update: "every conversation". */
const END_OF_TIME = new Date(8.64e15);

export const purge: Command = async (args, io) => {
  const { values } = parseOrExplain(args);
  if (values.help) {
    await write(io.stdout, HELP);
    return 0;
  }
  const days = values["older-than"] === undefined ? undefined : daysFrom(values["older-than"]);
  const now = new Date();
  const before = days === undefined ? END_OF_TIME : new Date(now.getTime() - days * millisecondsInDay);
  let store: ConversationStore;
  try {
    store = await openCliStore(io, { create: values.create === true });
  } catch (err) {
    if (err instanceof StoreMissingError) throw new UsageError(missingStore(err.path, io.env));
    throw err;
  }
  try {
    let count: number;
    try {
      count = await store.purge(before, now);
    } catch (err) {
      if (!(err instanceof StorePurgeIncompleteError)) throw err;
      await write(
        io.stderr,
        `portal-check: purge not finished: ${err.count} stored conversation${err.count === 1 ? " was" : "s were"} deleted, but another process (the Slack app, a backup...) is reading ${err.where}, so their data is still in that file and its -wal file. Run \`portal-check purge\` again once it is done (a running Slack app also finishes it within the hour).\n`,
      );
      return 1;
    }
    const what = `${count} stored conversation${count === 1 ? "" : "s"}`;
    const which = days === undefined ? "" : ` idle for more than ${days} day${days === 1 ? "" : "s"}`;
    await write(
      io.stdout,
      count === 0 ? `No stored conversations${which} to remove.\n` : `Removed ${what}${which}.\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
};

function daysFrom(text: string): number {
  // A plain decimal only: Number() would also take "0x10", "1e3" or " ".
  const days = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isFinite(days) || days > 36500) {
    throw new UsageError(`--older-than takes a number of days, 0 or more, such as 30 or 0.5 (got "${text}")`);
  }
  return days;
}

function parseOrExplain(args: string[]) {
  return parseCommandArgs(
    {
      args,
      options: {
        "older-than": { type: "string" },
        create: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    },
    `\n\n${HELP}`,
  );
}

function missingStore(path: string, env: NodeJS.ProcessEnv): string {
  const which = env.DATABASE_URL?.trim()
    ? `DATABASE_URL points at ${path}`
    : `DATABASE_URL is not set, so the default ${DEFAULT_DATABASE_PATH} (${path}) was looked for`;
  return `there is no conversation store here: ${which}, and that file does not exist. Set DATABASE_URL (or REDIS_URL) as the app has it, or run purge where the app runs. To go ahead anyway (nothing to remove), pass --create.`;
}
