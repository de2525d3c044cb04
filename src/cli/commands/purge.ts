import { parseArgs } from "node:util";
import { type Command, UsageError, write } from "../io.js";
import { openCliStore } from "../store.js";

const HELP = `Usage: portal-check purge [--older-than DAYS]

Removes stored conversations now, with everything they hold (saved escalations, claims).
Stored conversations also expire on their own after RETENTION_DAYS (default 30).
  (no option)          remove every stored conversation
  --older-than DAYS    remove only those idle (not updated) for more than DAYS days,
                       a number such as 7 or 0.5
Works on the store the app uses: REDIS_URL if set, otherwise DATABASE_URL
(default ./data/portal-check.db).
`;

const DAY_MS = 24 * 60 * 60 * 1000;
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
  const before = days === undefined ? END_OF_TIME : new Date(now.getTime() - days * DAY_MS);
  const store = await openCliStore(io);
  try {
    const count = await store.purge(before, now);
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
  try {
    return parseArgs({
      args,
      options: { "older-than": { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${HELP}`);
  }
}
