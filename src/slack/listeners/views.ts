import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { ConversationRef, decode, EscalationRef, VIEW } from "../action-ids.js";
import { CASE_BLOCK, readCaseNumber } from "../blocks/case-number.js";
import { readEscalationForm } from "../blocks/escalation-form.js";
import { FILE_BLOCK, inlineProblem, PASTE_BLOCK, readPasteForm } from "../blocks/paste.js";
import { changeEscalationStatus, submitEscalation } from "../conversation/escalation.js";
import { checkAndShareFile, checkRecords, shareFindings } from "../conversation/paste.js";
import type { SlackDeps } from "../deps.js";
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
}

/** Shown inline when the modal outlived its conversation: the answers stay in the open modal. */
function expiredError(deps: SlackDeps) {
  return `This conversation has expired (kept ${deps.config.retentionDays} days). Copy what you typed and start again with /portal-check.`;
}

/**
 * The escalation form: problems come back inline (the modal stays open with everything typed);
 * a valid form closes at once and the post happens after (see submitEscalation).
 */
function escalationSubmitted(deps: SlackDeps) {
  return async ({ ack, view, body, client }: SubmitArgs) => {
    const ref = decode(ConversationRef, view.private_metadata);
    const form = readEscalationForm(view.state.values);
    if (!form.ok) {
      await ack({ response_action: "errors", errors: form.errors });
      return;
    }
    const record = ref ? await deps.store.get(ref.c, deps.now()) : undefined;
    if (!record) {
      await ack({ response_action: "errors", errors: { parent_name: expiredError(deps) } });
      return;
    }
    await ack();
    await submitEscalation(deps, client, record.id, form.details, body.user.id);
  };
}

/** Pasted records: unreadable text is reported inline (nothing is lost); findings go to the thread. */
function pasteSubmitted(deps: SlackDeps) {
  return async ({ ack, view, body, client, context }: SubmitArgs) => {
    const ref = decode(ConversationRef, view.private_metadata);
    const record = ref ? await deps.store.get(ref.c, deps.now()) : undefined;
    if (!record) {
      await ack({ response_action: "errors", errors: { [PASTE_BLOCK]: expiredError(deps) } });
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
    await ack();
    const problem = await shareFindings(deps, client, record, result, body.user.id);
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
    const ref = decode(EscalationRef, view.private_metadata);
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
    await ack();
    const change = { kind: "case_opened" as const, caseNumber: read.caseNumber };
    const message = await changeEscalationStatus(deps, client, ref, change, body.user.id);
    if (message) {
      await tellEphemeral(client, deps.logger, { channel: escalation.channel, user: body.user.id })({
        text: message,
      });
    }
  };
}
