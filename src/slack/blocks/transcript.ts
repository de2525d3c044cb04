import type { FlowContext } from "../../core/flow/engine.js";
import type { FlowState } from "../../core/flow/state.js";
import { answerText, versionText } from "../../core/flow/transcript.js";
import { context, escapeText, sections, slackTime } from "./kit.js";
import type { SlackMessage } from "./prompt.js";

/**
 * The thread's compact transcript: one message, updated on every answer, rather than a line per
 * click (Slack allows about one post per second per channel). Check titles and outcomes only: no PHI.
 */
export function renderTranscript(ctx: FlowContext, state: FlowState): SlackMessage {
  const version = state.version
    ? `OP ${state.version}`
    : `OP version: ${versionText(null, state.newerPortal)}`;
  const lines = state.answers.map((a, i) => {
    const title = ctx.knowledge.get(a.check)?.title ?? a.check;
    return `${i + 1}. ${escapeText(title)}: *${escapeText(answerText(ctx, a))}* · ${slackTime(a.at)}`;
  });
  return {
    text: `Transcript: ${state.answers.length} answer${state.answers.length === 1 ? "" : "s"}`,
    blocks: [
      context(`*Transcript* · ${version}`),
      ...(lines.length > 0 ? sections(lines) : [context("_No answers yet (the last one was taken back)._")]),
    ],
  };
}
