import type { WebClient } from "@slack/web-api";
import { OP_VERSIONS, type OpVersion } from "../../core/ids.js";
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

/** The OP version fixes are written for: the conversation's, else the configured one; none before it is chosen. */
export function versionFor(deps: SlackDeps, record: ConversationRecord): OpVersion | undefined {
  return record.state.version ?? deps.config.opVersion;
}

/** Pasted records checked; before an OP version is chosen, with each version's fixes. */
export type CheckedRecords = TextValidationResult & {
  /** Set when no version is known yet: per version, the fix of each finding (in `findings` order). */
  fixesByVersion?: ReadonlyArray<{ version: OpVersion; fixes: ReadonlyArray<readonly string[]> }>;
};

/** Runs the rules over pasted text (pure and quick: safe inside a modal's 3-second window). */
export function checkRecords(
  deps: SlackDeps,
  record: ConversationRecord,
  text: string,
  options: PasteOptions,
): CheckedRecords {
  const check = (opVersion: OpVersion) =>
    validateText(text, { today: checkDate(deps.now()), opVersion, legacyPortal: options.legacyPortal });
  const version = versionFor(deps, record);
  if (version) return check(version);
  // The menus differ by version and the conversation has not said which it is: a fix for the wrong
  // version sends staff to menus they do not have, so each version's fixes are given. The findings
  // are the same in every version (only the fix depends on it).
  const results = OP_VERSIONS.map((v) => ({ version: v, result: check(v) }));
  const [first] = results;
  if (!first) throw new Error("no OP versions");
  return {
    ...first.result,
    fixesByVersion: results.map(({ version: v, result }) => ({
      version: v,
      fixes: result.findings.map((f) => f.fix),
    })),
  };
}

/**
 * Posts the findings of a paste into the conversation's thread and keeps them (and the emails and
 * patients the records name) for the escalation. Returns a failure sentence when Slack refused.
 */
export async function shareFindings(
  deps: SlackDeps,
  client: WebClient,
  record: ConversationRecord,
  result: CheckedRecords,
  user: string,
): Promise<string | undefined> {
  const surface = surfaceOf(record);
  const usable = result.recordCount > 0;
  if (usable) {
    await updateSurface(deps, record.id, (s) => ({
      ...s,
      findings: reportFindings(result.findings),
      pasted: pastedContacts(result.records),
    }));
  }
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
    ? renderFindings(result, {
        version: versionFor(deps, record),
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
    deps.logger.warn({ conversation: record.id, code: failure.code }, "could not post findings");
    return `I checked the records, but Slack didn't take the findings. ${failure.advice}`;
  }
}
