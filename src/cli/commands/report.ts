import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { millisecondsInDay } from "date-fns/constants";
import { loadContentQuickly } from "../../content/snapshot.js";
import {
  buildReport,
  type Figures,
  GROUP_BY,
  GROUP_TITLES,
  GroupBy,
  lastDays,
  listedIn,
  type Report,
} from "../../core/report/figures.js";
import { bar, barLines, duration, percent } from "../../core/report/format.js";
import { type Command, parseCommandArgs, UsageError, write } from "../io.js";
import { chartLibrary, reportHtml } from "../report/html.js";
import { openCliStore } from "../store.js";

const HELP = `Usage: portal-check report [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--by week|month|version|check] [--json|--csv|--html FILE]

Outcomes of the conversations started in a period, from the de-identified outcome records (kept
STATS_RETENTION_DAYS, default 400, after purge): how many were resolved and at which check,
escalated, abandoned or still open, the escalation rate (escalated out of finished) and the median
time from start to "fixed". App Home shows the same figures for the last 30 days.
  --since DAY   first day of the period (UTC), default 30 days before --until
  --until DAY   last day of the period (UTC, included), default today
  --by WHAT     also one row per week, month, OP version or check (where it was fixed or stopped)
  --json        the figures as JSON
  --csv         the figures as CSV, for a spreadsheet
  --html FILE   write a one-page report with charts to FILE (opens offline: the chart
                library is inside the page)
Works on the store the app uses: REDIS_URL if set, otherwise DATABASE_URL
(default ./data/portal-check.db).
`;

const DEFAULT_DAYS = 30;

export const report: Command = async (args, io) => {
  const { values } = parseOrExplain(args);
  if (values.help) {
    await write(io.stdout, HELP);
    return 0;
  }
  if ([values.json, values.csv, values.html !== undefined].filter(Boolean).length > 1) {
    throw new UsageError("choose one of --json, --csv and --html FILE");
  }
  const by = values.by === undefined ? undefined : groupByFrom(values.by);
  const now = new Date();
  const until =
    values.until === undefined
      ? lastDays(now, DEFAULT_DAYS).until
      : new Date(dayFrom("--until", values.until) + millisecondsInDay);
  const since =
    values.since === undefined
      ? new Date(until.getTime() - DEFAULT_DAYS * millisecondsInDay)
      : new Date(dayFrom("--since", values.since));
  if (since >= until) {
    throw new UsageError(
      `--since (${values.since}) must be on or before --until (${values.until ?? "today"})`,
    );
  }
  const store = await openCliStore(io);
  let figures: Report;
  try {
    figures = buildReport(await store.listOutcomes(since, until, now), {
      since,
      until,
      now,
      listed: listedIn((await loadContentQuickly()).knowledge),
      ...(by ? { by } : {}),
    });
  } finally {
    await store.close();
  }
  if (values.html !== undefined) {
    const file = resolve(io.cwd, values.html);
    try {
      writeFileSync(file, reportHtml(figures, chartLibrary()));
    } catch (err) {
      throw new UsageError(`cannot write ${values.html}: ${(err as Error).message}`);
    }
    await write(io.stdout, `Wrote ${file}: open it in a browser (it needs no network).\n`);
  } else if (values.json) await write(io.stdout, `${JSON.stringify(figures, null, 2)}\n`);
  else if (values.csv) await write(io.stdout, toCsv(figures));
  else await write(io.stdout, toText(figures));
  return 0;
};

/** A YYYY-MM-DD day as the UTC midnight it starts at. */
function dayFrom(option: string, text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  // Date.UTC rolls 2026-02-30 over to March: a real day reads back the same.
  if (!match || new Date(ms).toISOString().slice(0, 10) !== text.trim()) {
    throw new UsageError(`${option} takes a day as YYYY-MM-DD, such as 2026-11-01 (got "${text}")`);
  }
  return ms;
}

function groupByFrom(text: string): GroupBy {
  const parsed = GroupBy.safeParse(text.trim());
  if (!parsed.success) throw new UsageError(`--by takes one of ${GROUP_BY.join(", ")} (got "${text}")`);
  return parsed.data;
}

const day = (iso: string) => iso.slice(0, 10);
/** The last day included: `until` is exclusive. */
const lastDay = (until: string) => day(new Date(Date.parse(until) - 1).toISOString());

/** The readable table: totals with bars, which check fixed it, per version, and the --by rows. */
export function toText(r: Report): string {
  const t = r.totals;
  const out: string[] = [
    `portal-check report: conversations started ${day(r.since)} to ${lastDay(r.until)} (UTC)`,
    "",
  ];
  if (t.started === 0) return `${out.join("\n")}No conversations started in this period.\n`;
  const outcomes = barLines(
    [
      { label: "Started", value: t.started },
      { label: "Resolved", value: t.resolved },
      { label: "Escalated", value: t.escalated },
      { label: "Abandoned", value: t.abandoned },
      { label: "Still open", value: t.open },
    ],
    30,
  );
  out.push(...outcomes.map((l) => `  ${l}`), "");
  out.push(`  Escalation rate          ${percent(t.escalationRate)}  (escalated out of finished)`);
  out.push(`  Median time to resolve   ${duration(t.medianMsToResolve)}`, "");
  out.push("Resolved at check");
  out.push(
    ...barLines(
      r.fixedBy.map((f) => ({ label: f.check, value: f.count })),
      30,
    ).map((l) => `  ${l}`),
  );
  out.push("", "By OP version", ...groupTable("version", r.byVersion));
  if (r.by && r.by.groupBy !== "version")
    out.push("", GROUP_TITLES[r.by.groupBy], ...groupTable(r.by.groupBy, r.by.groups));
  return `${out.join("\n")}\n`;
}

const COLUMNS = ["started", "resolved", "escalated", "abandoned", "open", "esc. rate", "median"] as const;

function groupTable(by: GroupBy, all: Report["byVersion"]): string[] {
  const groups = all.filter((g) => g.figures.started > 0);
  const rows = groups.map((g) => [g.key, ...cells(g.figures)]);
  const head = [by, ...COLUMNS];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const max = Math.max(0, ...groups.map((g) => g.figures.started));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  return [
    `  ${line(head)}`,
    ...rows.map((row, i) => `  ${line(row)}  ${bar(groups[i]?.figures.started ?? 0, max, 20)}`.trimEnd()),
  ];
}

function cells(f: Figures): string[] {
  return [
    String(f.started),
    String(f.resolved),
    String(f.escalated),
    String(f.abandoned),
    String(f.open),
    percent(f.escalationRate),
    duration(f.medianMsToResolve),
  ];
}

const CSV_HEAD = [
  "section",
  "key",
  "started",
  "resolved",
  "escalated",
  "abandoned",
  "open",
  "escalation_rate",
  "median_minutes_to_resolve",
];

/**
 * One row per figure group: the totals, each OP version, the --by rows, and the resolved count per
 * check. Every cell is a number or an id (no commas, quotes or line breaks), so nothing needs quoting.
 */
export function toCsv(r: Report): string {
  const row = (section: string, key: string, f: Figures) =>
    [
      section,
      key,
      f.started,
      f.resolved,
      f.escalated,
      f.abandoned,
      f.open,
      f.escalationRate === null ? "" : f.escalationRate.toFixed(4),
      f.medianMsToResolve === null ? "" : (f.medianMsToResolve / 60_000).toFixed(1),
    ].join(",");
  const lines = [CSV_HEAD.join(","), row("total", `${day(r.since)}..${lastDay(r.until)}`, r.totals)];
  for (const g of r.byVersion) lines.push(row("version", g.key, g.figures));
  if (r.by && r.by.groupBy !== "version")
    for (const g of r.by.groups) lines.push(row(r.by.groupBy, g.key, g.figures));
  for (const f of r.fixedBy) lines.push(["fixed_at", f.check, "", f.count, "", "", "", "", ""].join(","));
  return `${lines.join("\n")}\n`;
}

function parseOrExplain(args: string[]) {
  return parseCommandArgs(
    {
      args,
      options: {
        since: { type: "string" },
        until: { type: "string" },
        by: { type: "string" },
        json: { type: "boolean" },
        csv: { type: "boolean" },
        html: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    },
    `\n\n${HELP}`,
  );
}
