import type { WebClient } from "@slack/web-api";
import type { OpVersion } from "../../core/ids.js";
import type { TextValidationResult } from "../../core/rules/schema.js";
import { validateText } from "../../core/rules/validate.js";
import type { ConversationRecord } from "../../store/types.js";
import { escapeText, sections } from "../blocks/kit.js";
import { errorLines, renderFindings } from "../blocks/paste.js";
import { channelPrivacy } from "../channel-privacy.js";
import type { SlackDeps } from "../deps.js";
import { checkDate, pastedContacts, reportFindings } from "../records.js";
import { describeSlackFailure } from "../slack-errors.js";
import { surfaceOf } from "../surface.js";
import { updateSurface } from "./store-ops.js";

export interface PasteOptions {
  legacyPortal: boolean;
}

/** The OP version fixes are written for: the conversation's, else the configured one, else the newest. */
export function versionFor(deps: SlackDeps, record: ConversationRecord): OpVersion {
  return record.state.version ?? deps.config.opVersion ?? "14.19";
}

/** Runs the rules over pasted text (pure and quick: safe inside a modal's 3-second window). */
export function checkRecords(
  deps: SlackDeps,
  record: ConversationRecord,
  text: string,
  options: PasteOptions,
) {
  return validateText(text, {
    today: checkDate(deps.now()),
    opVersion: versionFor(deps, record),
    legacyPortal: options.legacyPortal,
  });
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
): Promise<ConversationRecord | undefined> {
  return updateSurface(deps, id, (s) => ({
    ...s,
    findings: reportFindings(result.findings),
    pasted: pastedContacts(result.records),
  }));
}

/**
 * Posts the findings of a paste into the conversation's thread and keeps them for the escalation
 * (unless the caller already did: `kept`). Returns a failure sentence when Slack refused.
 */
export async function shareFindings(
  deps: SlackDeps,
  client: WebClient,
  record: ConversationRecord,
  result: TextValidationResult,
  user: string,
  kept = false,
): Promise<string | undefined> {
  const surface = surfaceOf(record);
  const usable = result.recordCount > 0;
  if (usable && !kept) await keepFindings(deps, record.id, result);
  deps.logger.info(
    {
      conversation: record.id,
      rows: result.recordCount,
      findingCount: result.findings.length,
      errorCount: result.errors.length,
      form: result.form,
    },
    "records checked",
  );
  const privacy = await channelPrivacy(client, surface.channel);
  const message = usable
    ? renderFindings(result, { version: versionFor(deps, record), named: privacy.kind === "private", user })
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
    deps.logger.warn({ conversation: record.id, code: failure.code }, "could not post findings");
    return `I checked the records, but Slack didn't take the findings. ${failure.advice}`;
  }
}
