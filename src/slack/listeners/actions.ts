import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
} from "@slack/bolt";
import type { z } from "zod";
import { redactQuestionText } from "../../core/feedback/redact.js";
import { eventForChoice } from "../../core/flow/choices.js";
import { opVersionsOf } from "../../core/knowledge/schema.js";
import {
  ACTION,
  ButtonValue,
  ConversationRef,
  choiceFor,
  decode,
  EscalationRef,
  FeedbackValue,
  readValue,
  StartValue,
} from "../action-ids.js";
import { caseNumberModal } from "../blocks/case-number.js";
import { pasteModal } from "../blocks/paste.js";
import { conversationForClick } from "../click-read.js";
import { changeEscalationStatus, openEscalationForm } from "../conversation/escalation.js";
import { showConversation } from "../conversation/show.js";
import { startInSlack } from "../conversation/start.js";
import { applyClick } from "../conversation/store-ops.js";
import type { SlackDeps } from "../deps.js";
import { describeSlackFailure } from "../slack-errors.js";
import { surfaceOf } from "../surface.js";
import { type Tell, tellClicker } from "../tell.js";
import { acksFirst } from "./acks-first.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export function registerActions(app: App, deps: SlackDeps) {
  const answer = answerButton(deps);
  const buttons = new Map<string, (args: ButtonArgs) => Promise<unknown>>([
    [ACTION.paste, pasteButton(deps)],
    [ACTION.redraw, redrawButton(deps)],
    [ACTION.start, startButton(deps)],
    [ACTION.caseOpened, caseOpenedButton(deps)],
    [ACTION.supportResolved, resolvedButton(deps)],
    [ACTION.answerHelpful, feedbackButton(deps, "up")],
    [ACTION.answerNotHelpful, feedbackButton(deps, "down")],
    [ACTION.checkNotHelped, notHelpedButton(deps)],
    // App Home's link buttons: Slack opens the link; the click only needs its ack.
    [ACTION.homeOpenThread, async ({ ack }: ButtonArgs) => ack()],
  ]);
  // One listener for every button, dispatching on its action id: Bolt runs each registered
  // listener's middleware on every request (a slash command too), so each registration costs
  // every request a chain.
  app.action<BlockAction<ButtonAction>>(/.*/, async (args: ButtonArgs) => {
    const id = args.action.action_id;
    // Every engine choice (choiceFor reads its action id) is an answer; the rest are the app's own.
    const handler = buttons.get(id) ?? (choiceFor(id) !== undefined ? answer : undefined);
    if (handler) {
      await handler({ ...args, ack: acksFirst(args.ack) });
      return;
    }
    // A button from a message this version no longer draws.
    await args.ack();
    await tellClicker(args, deps.logger)({ text: OUTDATED });
  });
}

const OUTDATED =
  "This button belongs to an older version of the app. Start a new check with `/portal-check`.";

/** A person clicking an answered step again within this time is not told again. */
const STALE_NOTE_MS = 60_000;

const FORGED =
  "This button was not drawn by this app for that conversation, so it changed nothing. Start a new check with `/portal-check`.";
const OTHER_CHANNEL =
  "This button belongs to a check in another channel, so it changed nothing here. Use the buttons in that check's own thread.";

/** What the clicker is told about a value that did not check out (see readValue). */
function refused(problem: "unreadable" | "unsigned" | "forged"): string {
  return problem === "forged" ? FORGED : OUTDATED;
}

/**
 * A button that changes a conversation acts only where it was drawn: a click whose channel is not
 * the one its conversation (or escalation post) lives in is refused, signed value or not. A click
 * that carries no channel (a modal, App Home) has the signature to go by.
 */
function clickedElsewhere(deps: SlackDeps, body: ButtonArgs["body"], channel: string, id: string): boolean {
  const clickedIn = body.channel?.id;
  if (clickedIn === undefined || clickedIn === channel) return false;
  deps.logger.warn({ conversation: id, channel: clickedIn }, "button from another channel refused");
  return true;
}

function expired(deps: SlackDeps) {
  return `This conversation has expired (conversations are kept ${deps.config.retentionDays} days). Start a new one with \`/portal-check\`.`;
}

type StoredConversation = NonNullable<Awaited<ReturnType<SlackDeps["store"]["get"]>>>;

/**
 * The steps every conversation button shares: ack, read the button's value, load its conversation,
 * and (with `channel`) check that the click came from the channel that function names. An
 * unreadable, unsigned or forged value, an expired conversation or a click from elsewhere gets its
 * message here; `handle` runs otherwise.
 */
function conversationButton<R extends ConversationRef>(
  deps: SlackDeps,
  schema: z.ZodType<R>,
  channel: ((record: StoredConversation) => string | undefined) | undefined,
  handle: (args: ButtonArgs, ref: R, record: StoredConversation, tell: Tell) => Promise<unknown>,
) {
  return async (args: ButtonArgs) => {
    await args.ack();
    const tell = tellClicker(args, deps.logger);
    const read = readValue(schema, args.action.value);
    if (!read.ok) return tell({ text: refused(read.problem) });
    const ref = read.value;
    const record = await conversationForClick(deps, args.context, ref.c);
    if (!record) return tell({ text: expired(deps) });
    const where = channel?.(record);
    if (where !== undefined && clickedElsewhere(deps, args.body, where, record.id))
      return tell({ text: OTHER_CHANNEL });
    await handle(args, ref, record, tell);
  };
}

/** The conversation's own channel (its thread and check message are there). */
const conversationChannel = (record: StoredConversation) => surfaceOf(record).channel;
/** The channel of the conversation's escalation post (ESCALATION_CHANNEL, or its own thread). */
const escalationChannel = (record: StoredConversation) => {
  const escalation = surfaceOf(record).escalation;
  return escalation ? escalation.channel : surfaceOf(record).channel;
};

/**
 * Every answer button on a check (and the version, restart and escalate buttons): applied once, on
 * the turn it was drawn at. A second click, a stale message or another instance gets "already
 * answered" and a fresh drawing instead of a second move.
 */
function answerButton(deps: SlackDeps) {
  return async (args: ButtonArgs) => {
    const { ack, action, body, client, context } = args;
    await ack();
    const tell = tellClicker(args, deps.logger);
    const read = readValue(ButtonValue, action.value);
    const choice = choiceFor(action.action_id);
    if (!read.ok) return tell({ text: refused(read.problem) });
    if (!choice) return tell({ text: OUTDATED });
    const value = read.value;
    const current = await conversationForClick(deps, context, value.c);
    if (!current) return tell({ text: expired(deps) });
    if (clickedElsewhere(deps, body, conversationChannel(current), current.id))
      return tell({ text: OTHER_CHANNEL });

    // The form is already due: reopen it (a closed modal, an expired trigger) rather than move on.
    if (choice === "escalate" && current.state.phase === "escalation")
      return reopenForm(deps, client, body.trigger_id, current, tell);

    const result = await applyClick(
      deps,
      value.c,
      value.t,
      eventForChoice(choice, deps.now().toISOString(), value.k),
      current,
    );
    switch (result.kind) {
      case "missing":
        return tell({ text: expired(deps) });
      case "stale": {
        deps.logger.info({ conversation: value.c, action: action.action_id }, "stale click");
        // Told once per person and step, however many times they clicked (the store's claim makes
        // that hold across instances too).
        const turn = surfaceOf(result.record).turn;
        const note = `stale-note:${result.record.id}:${body.user.id}:${turn}`;
        if (await deps.store.claimFor(result.record.id, note, STALE_NOTE_MS, deps.now())) {
          await tell({
            text: "Already answered: the check message in the thread shows where this conversation is now.",
          });
        }
        // Redraw too: the click may come from a drawing Slack never replaced (a failed update).
        await showConversation(deps, client, result.record);
        return;
      }
      case "refused": {
        const shown = await showConversation(deps, client, result.record, {
          prompts: result.prompts,
          transcript: false,
        });
        if (shown.failure) await tell({ text: `${shown.failure.advice}`, retry: result.record.id });
        return;
      }
      case "moved": {
        const { before, record, prompts } = result;
        deps.logger.info(
          { conversation: record.id, action: action.action_id, phase: record.state.phase },
          "answer recorded",
        );
        if (record.state.phase === "escalation" && before.state.phase !== "escalation") {
          const failure = await openEscalationForm(deps, client, body.trigger_id, record);
          if (failure)
            await tell({ text: `${failure.advice} Click *Open the escalation form* in the thread.` });
        }
        const shown = await showConversation(deps, client, record, {
          prompts,
          // The root's status line names the phase and version, so most answers leave it alone.
          root: before.state.phase !== record.state.phase || before.state.version !== record.state.version,
        });
        if (shown.failure) {
          await tell({
            text: `Your answer is saved, but Slack didn't show the next step. ${shown.failure.advice}`,
            retry: record.id,
          });
        }
        return;
      }
    }
  };
}

async function reopenForm(
  deps: SlackDeps,
  client: ButtonArgs["client"],
  triggerId: string,
  record: NonNullable<Awaited<ReturnType<SlackDeps["store"]["get"]>>>,
  tell: Tell,
) {
  const failure = await openEscalationForm(deps, client, triggerId, record);
  if (failure) await tell({ text: failure.advice });
}

const THANKS = "Thanks, noted. Whoever maintains the help content sees it (without names or other details).";

/** 👍 / 👎 under an answer: the verdict on the stored question (the last click counts). */
function feedbackButton(deps: SlackDeps, verdict: "up" | "down") {
  return async (args: ButtonArgs) => {
    await args.ack();
    const tell = tellClicker(args, deps.logger);
    const value = decode(FeedbackValue, args.action.value);
    if (!value) return tell({ text: OUTDATED });
    const stored = await deps.store.recordVerdict(value.q, verdict, deps.now());
    await tell({
      text: stored
        ? THANKS
        : `This answer is older than the ${deps.config.feedbackRetentionDays} days feedback is kept, so it can no longer be rated.`,
    });
  };
}

/** "This did not help" after a guided check ended without a fix: stored like a 👎 on its description. */
function notHelpedButton(deps: SlackDeps) {
  return conversationButton(deps, ConversationRef, conversationChannel, async (_args, _ref, record, tell) => {
    const { opening } = record.state;
    // One record per conversation: a second click only repeats the verdict.
    await deps.store.recordQuestion(
      {
        id: `guided:${record.id}`,
        text: opening?.text
          ? redactQuestionText(opening.text, opVersionsOf(deps.content.knowledge))
          : "(guided check started without a description)",
        outcome: "guide",
        top: opening?.check ?? null,
        confidence: 0,
        verdict: "not-helped",
      },
      deps.now(),
    );
    await tell({ text: THANKS });
  });
}

/** Opens the paste modal straight away: the trigger is only good for 3 seconds. */
function pasteButton(deps: SlackDeps) {
  return conversationButton(
    deps,
    ConversationRef,
    conversationChannel,
    async ({ body, client }, _ref, record, tell) => {
      try {
        await client.views.open({ trigger_id: body.trigger_id, view: pasteModal(record.id) });
      } catch (err) {
        await tell({
          text: `${describeSlackFailure(err).advice} You can also paste the records as a reply in the thread.`,
        });
      }
    },
  );
}

/** "Try again" after Slack failed: draw the conversation's current screen again. */
function redrawButton(deps: SlackDeps) {
  // Redrawing changes nothing, so a signed value is enough (the note may be in a direct message).
  return conversationButton(
    deps,
    ConversationRef,
    undefined,
    async ({ body, client, respond }, _ref, record, tell) => {
      const shown = await showConversation(deps, client, record, { root: true });
      if (shown.failure) await tell({ text: `Still no luck. ${shown.failure.advice}`, retry: record.id });
      // The "Try again" note is gone once the redraw worked (only a note with a response_url can go).
      else if ((body as { response_url?: string }).response_url)
        await respond({ delete_original: true }).catch(() => undefined);
    },
  );
}

/** The start button under an answer: a guided check in that same thread, at the suggested check. */
function startButton(deps: SlackDeps) {
  return async (args: ButtonArgs) => {
    const { ack, action, body, client } = args;
    await ack();
    const tell = tellClicker(args, deps.logger);
    const start = decode(StartValue, action.value);
    const channel = body.channel?.id ?? (body.container as { channel_id?: string }).channel_id;
    const team = body.team?.id ?? body.user.team_id;
    if (!start || !channel || !team) return tell({ text: OUTDATED });
    const result = await startInSlack(deps, client, {
      team,
      channel,
      user: body.user.id,
      startAt: start.k,
      thread: startThread(body),
    });
    if (result.kind === "failed")
      return tell({ text: `I couldn't start the check here. ${result.failure.advice}` });
    if (result.kind === "running") {
      await tell({ text: "A check is already running in this thread; its current step is below." });
      await showConversation(deps, client, result.record);
      return;
    }
    if (result.failure) {
      await tell({
        text: `The check started, but Slack didn't show it. ${result.failure.advice}`,
        retry: result.record.id,
      });
    }
  };
}

/**
 * Where a start button's check goes: the thread of the message it was on. Slack sends no `message`
 * for a click on an ephemeral message, and an ephemeral message's ts is no thread to reply in: then
 * its container's thread if it was shown in one, else a new thread in the channel (undefined).
 */
function startThread(body: ButtonArgs["body"]): string | undefined {
  const container = body.container as { thread_ts?: string; message_ts?: string; is_ephemeral?: boolean };
  if (body.message) return (body.message.thread_ts as string | undefined) ?? body.message.ts;
  if (container.is_ephemeral) return container.thread_ts;
  return container.thread_ts ?? container.message_ts;
}

function caseOpenedButton(deps: SlackDeps) {
  return conversationButton(
    deps,
    EscalationRef,
    escalationChannel,
    async ({ body, client }, ref, record, tell) => {
      const escalation = surfaceOf(record).escalation;
      if (escalation?.status === "resolved") {
        return tell({ text: "Already answered: this escalation is marked resolved." });
      }
      try {
        await client.views.open({
          trigger_id: body.trigger_id,
          view: caseNumberModal(ref, escalation && escalation.status !== "pending" ? escalation.case : null),
        });
      } catch (err) {
        await tell({ text: describeSlackFailure(err).advice });
      }
    },
  );
}

function resolvedButton(deps: SlackDeps) {
  return conversationButton(
    deps,
    EscalationRef,
    escalationChannel,
    async ({ body, client }, ref, _record, tell) => {
      const message = await changeEscalationStatus(deps, client, ref, { kind: "resolved" }, body.user.id);
      if (message) await tell({ text: message });
    },
  );
}
