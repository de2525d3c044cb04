import type { FlowContext } from "../../core/flow/engine.js";
import type { KnowledgeAnswer } from "../../core/knowledge/answer-schema.js";
import { ACTION, encode } from "../action-ids.js";
import { actions, button, capBlocks, context, escapeText, sections } from "./kit.js";
import type { SlackMessage } from "./prompt.js";

/**
 * An answer to a mention or a DM, with a button that starts the guided check at the check the
 * answer points to (the first check when it points nowhere).
 */
export function renderAnswer(
  ctx: FlowContext,
  answer: KnowledgeAnswer,
  user: string,
  /** The stored question the 👍 / 👎 buttons rate; without it (storing failed) no buttons. */
  feedback?: string,
): SlackMessage {
  const first = answer.checks[0];
  const title = first ? ctx.knowledge.get(first)?.title : undefined;
  // The answerer tags titles with their ids ("… [portal-authority]") for the CLI; staff need only the title.
  const text = answer.answer.replace(/ \[([a-z-]+)\]/g, (tag, id: string) =>
    ctx.knowledge.has(id) ? "" : tag,
  );
  const paragraphs = text.split(/\n{2,}/).map(escapeText);
  const blocks = sections([`<@${user}> ${paragraphs[0] ?? ""}`, ...paragraphs.slice(1)]);
  if (answer.citations.length > 0 && !answer.answer.includes("Source:")) {
    blocks.push(
      context(
        ...answer.citations.slice(0, 5).map((c) => `Source: “${escapeText(c.section)}” (OP ${c.version})`),
      ),
    );
  }
  blocks.push(
    actions("start", [
      button(
        ACTION.start,
        title ? "Start the guided check here" : "Start the guided check",
        encode(first ? { k: first } : {}),
        "primary",
      ),
    ]),
  );
  if (title) blocks.push(context(`The guided check starts at “${escapeText(title)}”.`));
  if (feedback) blocks.push(feedbackButtons(feedback));
  return { text: "An answer from portal-check", blocks: capBlocks(blocks) };
}

/** 👍 / 👎 under every answer: what staff think of it feeds `portal-check questions`. */
export function feedbackButtons(question: string) {
  const value = encode({ q: question });
  return actions("feedback", [
    button(ACTION.answerHelpful, ":+1: Helpful", value),
    button(ACTION.answerNotHelpful, ":-1: Not helpful", value),
  ]);
}

/** For a mention with no question: what I can do. */
export function renderIntro(user: string): SlackMessage {
  return {
    text: "What portal-check can do",
    blocks: [
      ...sections([
        `<@${user}> I help when a parent can't see their child on the former OP patient portal. Ask me a question (for example "why does dad get a server error?"), or start the guided check and I'll take you through the checks one by one.`,
      ]),
      actions("start", [button(ACTION.start, "Start the guided check", encode({}), "primary")]),
    ],
  };
}
