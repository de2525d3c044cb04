import type { FlowContext } from "../../core/flow/engine.js";
import { ACTION, encode } from "../action-ids.js";
import type { QuestionAnswer } from "../knowledge-help.js";
import { actions, button, capBlocks, context, escapeText, sections } from "./kit.js";
import type { SlackMessage } from "./prompt.js";

/** An answer to a mention or a DM, with a button that starts the guided check where it points. */
export function renderAnswer(ctx: FlowContext, answer: QuestionAnswer, user: string): SlackMessage {
  const first = answer.checks[0];
  const title = first ? ctx.knowledge.get(first)?.title : undefined;
  const label = title ? `Start the guided check here` : "Start the guided check";
  const blocks = [
    ...sections([`<@${user}> ${escapeText(answer.answer[0] ?? "")}`, ...answer.answer.slice(1).map(escape)]),
  ];
  if (answer.citations.length > 0) {
    blocks.push(
      context(
        ...answer.citations.slice(0, 5).map((c) => `Source: “${escapeText(c.section)}” (OP ${c.version})`),
      ),
    );
  }
  if (title) blocks.push(context(`The guided check would start at “${escapeText(title)}”.`));
  blocks.push(actions("start", [button(ACTION.start, label, encode(first ? { k: first } : {}), "primary")]));
  return { text: "An answer from portal-check", blocks: capBlocks(blocks) };
}

/** For an empty mention: what I can do. */
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
