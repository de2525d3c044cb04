import type {
  AllMiddlewareArgs,
  App,
  SlackViewMiddlewareArgs,
  ViewClosedAction,
  ViewSubmitAction,
} from "@slack/bolt";
import { ConversationRef, EscalationRef, type ReadValue, readValue, VIEW } from "../action-ids.js";
import { CASE_BLOCK, readCaseNumber } from "../blocks/case-number.js";
import { readEscalationForm } from "../blocks/escalation-form.js";
import { FILE_BLOCK, inlineProblem, PASTE_BLOCK, readPasteForm } from "../blocks/paste.js";
import {
  announceStatusChange,
  followUpSubmission,
  recordStatusChange,
  saveSubmission,
} from "../conversation/escalation.js";
import { checkAndShareFile, checkRecords, keepFindings, shareFindings } from "../conversation/paste.js";
import type { SlackDeps } from "../deps.js";
import { pausePoint } from "../pause-point.js";
import { surfaceOf } from "../surface.js";
import { tellEphemeral } from "../tell.js";

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

export function registerViews(app: App, deps: SlackDeps) {
  const forms = new Map<string, (args: SubmitArgs) => Promise<unknown>>([
    [VIEW.escalation, escalationSubmitted(deps)],
    [VIEW.paste, pasteSubmitted(deps)],
    [VIEW.caseNumber, caseNumberSubmitted(deps)],
  ]);
  // One listener for every modal, as for the buttons (see registerActions).
  app.view<ViewSubmitAction>(/.*/, async (args: SubmitArgs) => {
    const handler = forms.get(args.view.callback_id);
    if (handler) {
      await handler(args);
      return;
    }
    // A modal this version no longer opens: closing it is all that is left to do.
    await args.ack();
  });
  // A modal closed with Cancel or ×: nothing to do, but Slack expects an answer (Bolt's default
  // leaves it unanswered for 3 seconds and logs a warning). Nothing typed is kept: the form asks again.
  app.view<ViewClosedAction>({ type: "view_closed", callback_id: /.*/ }, async ({ ack }) => {
    await ack();
  });
}

/** Shown inline when the modal outlived its conversation: the answers stay in the open modal. */
function expiredError(deps: SlackDeps) {
  return `This conversation has expired (kept ${deps.config.retentionDays} days). Copy what you typed and start again with /portal-check.`;
}

/**
 * Shown inline when the form's private_metadata is not what this app signed for a conversation
 * (see action-ids.ts): nothing is changed anywhere, and what was typed stays in the open modal.
 */
const NOT_OURS =
  "This form was not opened by this app for a conversation, so it was not saved. Copy what you typed, close it and open the form again from the conversation's thread.";

const OLD_FORM =
  "This form was opened by an older version of the app, so it was not saved. Copy what you typed, close it and open the form again from the conversation's thread.";

/** The inline error for a private_metadata that did not check out, or undefined when it did. */
function metadataProblem<T>(read: ReadValue<T>, deps: SlackDeps): string | undefined {
  if (read.ok) return undefined;
  deps.logger.warn({ problem: read.problem }, "form refused: private_metadata did not check out");
  return read.problem === "forged" ? NOT_OURS : OLD_FORM;
}

/**
 * The escalation form: problems come back inline (the modal stays open with everything typed); a
 * valid form is saved (see saveSubmission), then closed, and the post happens after: a crash at any
 * point loses nothing that Slack was told had arrived.
 */
function escalationSubmitted(deps: SlackDeps) {
  return async ({ ack, view, body, client }: SubmitArgs) => {
    const read = readValue(ConversationRef, view.private_metadata);
    const problem = metadataProblem(read, deps);
    if (problem) {
      await ack({ response_action: "errors", errors: { parent_name: problem } });
      return;
    }
    const ref = read.ok ? read.value : undefined;
    const form = readEscalationForm(view.state.values);
    if (!form.ok) {
      await ack({ response_action: "errors", errors: form.errors });
      return;
    }
    const saved = ref ? await saveSubmission(deps, ref.c, form.details) : { kind: "expired" as const };
    if (!ref || saved.kind === "expired") {
      await ack({ response_action: "errors", errors: { parent_name: expiredError(deps) } });
      return;
    }
    await pausePoint("escalation-saved");
    await ack();
    await followUpSubmission(deps, client, saved, ref.c, body.user.id);
  };
}

/**
 * Pasted records: unreadable text is reported inline (nothing is lost); findings are kept with the
 * conversation before the form closes, then posted in the thread.
 */
function pasteSubmitted(deps: SlackDeps) {
  return async ({ ack, view, body, client, context }: SubmitArgs) => {
    const read = readValue(ConversationRef, view.private_metadata);
    const refusal = metadataProblem(read, deps);
    const record = read.ok ? await deps.store.get(read.value.c, deps.now()) : undefined;
    if (refusal || !record) {
      await ack({ response_action: "errors", errors: { [PASTE_BLOCK]: refusal ?? expiredError(deps) } });
      return;
    }
    const { text, files, legacyPortal } = readPasteForm(view.state.values);
    const file = files[0];
    if (file && text.trim() === "") {
      // Downloading and reading a file may take longer than a modal waits: close it, answer in the thread.
      await ack();
      await checkAndShareFile(deps, client, record, file, context.botToken ?? client.token, body.user.id, {
        legacyPortal,
      });
      return;
    }
    if (text.trim() === "") {
      await ack({
        response_action: "errors",
        errors: { [PASTE_BLOCK]: "Paste the rows (with their header row), or attach the export below." },
      });
      return;
    }
    if (file) {
      await ack({
        response_action: "errors",
        errors: { [FILE_BLOCK]: "Paste rows or attach a file, not both: remove one of them." },
      });
      return;
    }
    const result = checkRecords(deps, record, text, { legacyPortal });
    if (result.recordCount === 0) {
      await ack({ response_action: "errors", errors: { [PASTE_BLOCK]: inlineProblem(result) } });
      return;
    }
    // Kept before the form closes: a crash after Slack closed it must not lose the findings.
    const kept = await keepFindings(deps, record.id, result);
    if (!kept) {
      await ack({ response_action: "errors", errors: { [PASTE_BLOCK]: expiredError(deps) } });
      return;
    }
    await pausePoint("paste-saved");
    await ack();
    const problem = await shareFindings(deps, client, kept, result, body.user.id, true);
    if (problem) {
      const surface = surfaceOf(record);
      await tellEphemeral(client, deps.logger, {
        channel: surface.channel,
        user: body.user.id,
        thread: surface.thread,
      })({
        text: problem,
      });
    }
  };
}

function caseNumberSubmitted(deps: SlackDeps) {
  return async ({ ack, view, body, client }: SubmitArgs) => {
    const metadata = readValue(EscalationRef, view.private_metadata);
    const problem = metadataProblem(metadata, deps);
    if (problem) {
      await ack({ response_action: "errors", errors: { [CASE_BLOCK]: problem } });
      return;
    }
    const ref = metadata.ok ? metadata.value : undefined;
    const read = readCaseNumber(view.state.values);
    if (!read.ok) {
      await ack({ response_action: "errors", errors: { [CASE_BLOCK]: read.error } });
      return;
    }
    const record = ref ? await deps.store.get(ref.c, deps.now()) : undefined;
    const escalation = record ? surfaceOf(record).escalation : null;
    if (!ref || !escalation || escalation.status === "pending") {
      await ack({ response_action: "errors", errors: { [CASE_BLOCK]: expiredError(deps) } });
      return;
    }
    // Recorded before the form closes: a crash after Slack closed it must not lose the number.
    const change = { kind: "case_opened" as const, caseNumber: read.caseNumber };
    const recorded = await recordStatusChange(deps, ref, change, body.user.id);
    if ("refused" in recorded) {
      await ack({ response_action: "errors", errors: { [CASE_BLOCK]: recorded.refused } });
      return;
    }
    await pausePoint("case-number-saved");
    await ack();
    const message = await announceStatusChange(deps, client, ref, change, body.user.id, recorded.record);
    if (message) {
      await tellEphemeral(client, deps.logger, { channel: escalation.channel, user: body.user.id })({
        text: message,
      });
    }
  };
}
