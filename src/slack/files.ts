import type { SlackDeps } from "./deps.js";

/**
 * A file shared with the app (a thread attachment, or the paste modal's file input): what Slack's
 * event or view state says about it. Only these fields are read; the name is never logged.
 */
export interface SharedFile {
  id: string;
  name?: string;
  filetype?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
}

/** The largest attachment checked; a larger export is for `portal-check validate` on a computer. */
export const ATTACHMENT_LIMIT = 5 * 1024 * 1024;

/** What the modal's file input and thread attachments accept (Slack file types). */
export const ATTACHMENT_TYPES = ["csv", "tsv", "text", "txt", "xlsx"] as const;

export type Download = { ok: true; bytes: Uint8Array } | { ok: false; problem: string };

const LIMIT_TEXT = `${ATTACHMENT_LIMIT / 1024 / 1024} MB`;

/**
 * Downloads a shared file over its url_private with the bot token (Slack's files:read scope).
 * The token is only ever sent to Slack: a host under slack.com, or the configured API's host. The
 * size is checked from the event first and again while reading, so no more than the limit is
 * ever held. The bytes are the caller's to use and drop; nothing here logs or keeps them.
 */
export async function downloadFile(deps: SlackDeps, token: string, file: SharedFile): Promise<Download> {
  if ((file.size ?? 0) > ATTACHMENT_LIMIT) {
    return {
      ok: false,
      problem: `That file is larger than ${LIMIT_TEXT}, the most I check in Slack. Run \`portal-check validate\` on it instead.`,
    };
  }
  const url = file.url_private_download ?? file.url_private;
  if (!url || !isSlackUrl(url, deps.config.slackApiUrl)) {
    return {
      ok: false,
      problem: "Slack did not give me a link to that file, so I could not read it. Try attaching it again.",
    };
  }
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(deps.config.slackTimeoutMs),
    });
  } catch {
    return { ok: false, problem: "I could not download that file from Slack. Try again in a minute." };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    const why =
      response.status === 403 || response.status === 401
        ? " (the app may be missing the files:read permission)"
        : "";
    return {
      ok: false,
      problem: `Slack refused to give me that file${why}. Try again, or paste the rows instead.`,
    };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > ATTACHMENT_LIMIT) {
      await response.body.cancel().catch(() => undefined);
      return {
        ok: false,
        problem: `That file is larger than ${LIMIT_TEXT}, the most I check in Slack. Run \`portal-check validate\` on it instead.`,
      };
    }
    chunks.push(chunk);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

/** Slack's own file hosts, or the host of the configured API (a test's or a proxy's). */
function isSlackUrl(url: string, apiUrl: string | undefined): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (apiUrl && parsed.host === new URL(apiUrl).host) return true;
  return (
    parsed.protocol === "https:" &&
    (parsed.hostname === "slack.com" || parsed.hostname.endsWith(".slack.com"))
  );
}

/** Why a file cannot be checked, by its type or name; undefined when it may be. */
export function unsupportedFile(file: SharedFile): string | undefined {
  const type = (file.filetype ?? "").toLowerCase();
  const name = (file.name ?? "").toLowerCase();
  const is = (ext: string) => type === ext || name.endsWith(`.${ext}`);
  if (is("xls"))
    return "That is an old-style Excel workbook (.xls), which I cannot read. In Excel, use File > Save As and choose CSV UTF-8 or Excel Workbook (.xlsx), then attach that.";
  if (is("numbers"))
    return "That is an Apple Numbers file, which I cannot read. In Numbers, use File > Export To > CSV (or Excel), then attach that.";
  if (is("pdf"))
    return "That is a PDF: a printed report, not data I can check. Export the contacts from the practice system as CSV and attach that, or paste the rows.";
  if ((ATTACHMENT_TYPES as readonly string[]).includes(type)) return undefined;
  if ([".csv", ".tsv", ".txt", ".xlsx"].some((ext) => name.endsWith(ext))) return undefined;
  return "I can check a CSV, TSV, TXT or Excel (.xlsx) file of contact rows. Attach one of those, or paste the rows.";
}
