import type { WebClient } from "@slack/web-api";
import type { OpVersion } from "../../core/ids.js";
import { opVersionsOf } from "../../core/knowledge/schema.js";
import { binaryProblem } from "../../core/rules/detect.js";
import { fixStepsOf } from "../../core/rules/navigation.js";
import { xlsxToText } from "../../core/rules/read-xlsx.js";
import type { ContactRecord, Finding, TextValidationResult } from "../../core/rules/schema.js";
import { validateText } from "../../core/rules/validate.js";
import { validateStream } from "../../core/rules/validate-stream.js";
import type { StoredConversation } from "../../store/types.js";
import { escapeText, sections } from "../blocks/kit.js";
import { errorLines, renderFindings } from "../blocks/paste.js";
import { channelPrivacy } from "../channel-privacy.js";
import type { SlackDeps } from "../deps.js";
import { downloadFile, type SharedFile, unsupportedFile } from "../files.js";
import { checkDate, pastedContacts, reportFindings } from "../records.js";
import { describeSlackFailure } from "../slack-errors.js";
import { surfaceOf } from "../surface.js";
import { updateSurface } from "./store-ops.js";

export interface PasteOptions {
  legacyPortal: boolean;
}

/** The OP version fixes are written for: the conversation's, else the configured one; none before it is chosen. */
export function versionFor(deps: SlackDeps, conversation: StoredConversation): OpVersion | undefined {
  return conversation.state.version ?? deps.config.opVersion;
}

/** Pasted records checked; before an OP version is chosen, with each version's fixes. */
export type CheckedRecords = TextValidationResult & {
  /** Set when no version is known yet: per version, the fix of each finding (in `findings` order). */
  fixesByVersion?: ReadonlyArray<{ version: OpVersion; fixes: ReadonlyArray<readonly string[]> }>;
};

/** Runs the rules over pasted text (pure and quick: safe inside a modal's 3-second window). */
export function checkRecords(
  deps: SlackDeps,
  conversation: StoredConversation,
  text: string,
  options: PasteOptions,
): CheckedRecords {
  const check = (opVersion: OpVersion) =>
    validateText(text, {
      today: checkDate(deps.now()),
      opVersion,
      legacyPortal: options.legacyPortal,
      steps: fixStepsOf(deps.content, opVersion),
    });
  const version = versionFor(deps, conversation);
  return version
    ? check(version)
    : everyVersion(opVersionsOf(deps.content.knowledge).map((v) => ({ version: v, result: check(v) })));
}

/**
 * The menus differ by version and the conversation has not said which it is: a fix for the wrong
 * version sends staff to menus they do not have, so each version's fixes are given. Most findings are
 * the same in every version; a rule of one version only (start-date-set is 14.10's) is listed with an
 * empty fix for the others, which the message shows as "not a finding in that version".
 */
function everyVersion(
  results: ReadonlyArray<{ version: OpVersion; result: TextValidationResult }>,
): CheckedRecords {
  const [first] = results;
  if (!first) throw new Error("no OP versions");
  const key = (f: Finding) => `${f.rule}|${f.lines.join(",")}`;
  const findings = new Map<string, Finding>();
  for (const { result } of results)
    for (const f of result.findings) if (!findings.has(key(f))) findings.set(key(f), f);
  const all = [...findings.values()];
  return {
    ...first.result,
    findings: all,
    fixesByVersion: results.map(({ version, result }) => {
      const fixes = new Map(result.findings.map((f) => [key(f), f.fix]));
      return { version, fixes: all.map((f) => fixes.get(key(f)) ?? []) };
    }),
  };
}

/**
 * Keeps a paste's findings (and the emails and patients the records name) with the conversation,
 * for the escalation. The paste form calls it before Slack is told the form arrived, so a crash
 * after that loses nothing. Undefined when the conversation is gone.
 */
export function keepFindings(
  deps: SlackDeps,
  id: string,
  result: TextValidationResult,
): Promise<StoredConversation | undefined> {
  return updateSurface(deps, id, (s) => ({
    ...s,
    findings: reportFindings(result.findings),
    pasted: pastedContacts(result.records),
  }));
}

/**
 * Checks a file shared in the conversation (a thread attachment or the paste modal's file input)
 * exactly as a paste: downloaded with the bot token, read as text in whatever encoding it came in
 * (or as an Excel workbook's first sheet), and dropped once checked. Returns the result, or why
 * the file could not be checked.
 */
export async function checkFile(
  deps: SlackDeps,
  conversation: StoredConversation,
  file: SharedFile,
  token: string,
  options: PasteOptions,
): Promise<{ result: CheckedRecords } | { problem: string }> {
  const unsupported = unsupportedFile(file);
  if (unsupported) return { problem: unsupported };
  const download = await downloadFile(deps, token, file);
  if (!download.ok) return { problem: download.problem };
  const { bytes } = download;
  try {
    if (isZip(bytes)) {
      const sheet = await xlsxToText(bytes);
      if ("problem" in sheet) return { problem: sheet.problem };
      return { result: checkRecords(deps, conversation, sheet.text, options) };
    }
    const binary = binaryProblem(bytes);
    if (binary) return { problem: binary };
    const check = async (opVersion: OpVersion): Promise<TextValidationResult> => {
      const records: ContactRecord[] = [];
      const result = await validateStream(
        [bytes],
        {
          today: checkDate(deps.now()),
          opVersion,
          legacyPortal: options.legacyPortal,
          steps: fixStepsOf(deps.content, opVersion),
        },
        { record: (contact) => void records.push(contact) },
      );
      return { ...result, records };
    };
    const version = versionFor(deps, conversation);
    if (version) return { result: await check(version) };
    const results = [];
    for (const v of opVersionsOf(deps.content.knowledge))
      results.push({ version: v, result: await check(v) });
    return { result: everyVersion(results) };
  } finally {
    bytes.fill(0); // the export's bytes are not left in memory for longer than the check
  }
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * A shared file checked and answered in the conversation's thread: findings as for a paste, or why
 * it could not be checked. The log names the file by id, type and size only.
 */
export async function checkAndShareFile(
  deps: SlackDeps,
  client: WebClient,
  conversation: StoredConversation,
  file: SharedFile,
  token: string | undefined,
  user: string,
  options: PasteOptions,
): Promise<void> {
  const checked = token
    ? await checkFile(deps, conversation, file, token, options)
    : { problem: "I have no token to download files with." };
  deps.logger.info(
    {
      conversation: conversation.id,
      file: file.id,
      filetype: file.filetype,
      size: file.size,
      ok: "result" in checked,
    },
    "attachment checked",
  );
  if ("result" in checked) await shareFindings(deps, client, conversation, checked.result, user);
  else await shareFileProblem(deps, client, conversation, checked.problem, user);
}

/** Tells the thread why a shared file could not be checked (its name is not repeated). */
async function shareFileProblem(
  deps: SlackDeps,
  client: WebClient,
  conversation: StoredConversation,
  problem: string,
  user: string,
): Promise<void> {
  const surface = surfaceOf(conversation);
  try {
    await client.chat.postMessage({
      channel: surface.channel,
      thread_ts: surface.thread,
      text: "The attached file could not be checked",
      blocks: sections([`:warning: <@${user}> I couldn't check that file. ${escapeText(problem)}`]),
    });
  } catch (err) {
    deps.logger.warn(
      { conversation: conversation.id, code: describeSlackFailure(err).code },
      "could not post a file problem",
    );
  }
}

/**
 * Posts the findings of a paste into the conversation's thread and keeps them for the escalation
 * (unless the caller already did: `kept`). Returns a failure sentence when Slack refused.
 */
export async function shareFindings(
  deps: SlackDeps,
  client: WebClient,
  conversation: StoredConversation,
  result: CheckedRecords,
  user: string,
  kept = false,
): Promise<string | undefined> {
  const surface = surfaceOf(conversation);
  const usable = result.recordCount > 0;
  if (usable && !kept) await keepFindings(deps, conversation.id, result);
  deps.logger.info(
    {
      conversation: conversation.id,
      rows: result.recordCount,
      findingCount: result.findings.length,
      errorCount: result.errors.length,
      form: result.form,
    },
    "records checked",
  );
  const privacy = await channelPrivacy(client, surface.channel);
  const message = usable
    ? renderFindings(result, {
        version: versionFor(deps, conversation),
        ...(result.fixesByVersion ? { fixesByVersion: result.fixesByVersion } : {}),
        named: privacy.kind === "private",
        user,
      })
    : {
        text: "The pasted text could not be read as contact records",
        blocks: sections([
          `:warning: <@${user}> I couldn't read any contact records from that. ${escapeText(result.unusable ?? "")}`,
          ...errorLines(result.errors),
        ]),
      };
  try {
    await client.chat.postMessage({ channel: surface.channel, thread_ts: surface.thread, ...message });
    return undefined;
  } catch (err) {
    const failure = describeSlackFailure(err);
    deps.logger.warn({ conversation: conversation.id, code: failure.code }, "could not post findings");
    return `I checked the records, but Slack didn't take the findings. ${failure.advice}`;
  }
}
