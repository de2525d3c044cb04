import type { FlowContext } from "../../core/flow/engine.js";
import type { FlowState } from "../../core/flow/state.js";
import type { EscalationPost } from "../surface.js";
import { context, escapeText, section } from "./kit.js";
import type { SlackMessage } from "./prompt.js";

export interface RootInput {
  requester: string;
  state: FlowState;
  escalation: EscalationPost | null;
  /** Link to the posted escalation, when there is one. */
  escalationLink?: string | undefined;
}

/**
 * The conversation's first message: who asked, what about, and where it stands. It is visible in
 * the channel, so it never repeats what the requester typed (that may name a parent or a child).
 */
export function renderRoot(ctx: FlowContext, input: RootInput): SlackMessage {
  const { state } = input;
  const started = state.opening?.check
    ? ` It started at “${escapeText(ctx.knowledge.get(state.opening.check)?.title ?? state.opening.check)}”, which matches the description.`
    : "";
  return {
    text: `Portal check started by a staff member: ${ctx.flow.title}`,
    blocks: [
      section(
        `:mag: <@${input.requester}> started a portal check: *${escapeText(ctx.flow.title)}*.${started}`,
      ),
      context(`*Status:* ${status(input)} · Answers are in this thread.`),
    ],
  };
}

function status({ state, escalation, escalationLink }: RootInput): string {
  const link = escalationLink ? ` (<${escalationLink}|view>)` : "";
  if (escalation?.status === "pending") {
    return ":hourglass_flowing_sand: escalation saved; it will be posted as soon as Slack accepts it";
  }
  if (escalation) {
    if (escalation.status === "resolved") return `:white_check_mark: resolved with Support${link}`;
    if (escalation.status === "case_opened")
      return `:ticket: Support case ${escapeText(escalation.case ?? "")} opened${link}`;
    if ("kind" in escalation.report && state.phase === "escalated")
      return `:rotating_light: escalated to Support automatically; some details are still missing${link}`;
    return `:rotating_light: escalated to Support${link}`;
  }
  switch (state.phase) {
    case "choose_version":
      return "choosing the OP version";
    case "newer_portal":
      return "staff said the practice is on OP 20 or the newer portal";
    case "check":
      return `checks in progress (OP ${state.version})`;
    case "confirm_fix":
      return `a change was made (OP ${state.version}); asking whether the parent has confirmed`;
    case "awaiting_parent":
      return ":hourglass_flowing_sand: a change was made; waiting for the parent to confirm they see the child";
    case "resolved":
      return ":white_check_mark: resolved: the parent confirmed they see the child";
    case "escalation":
      return "filling in the escalation form";
    case "escalated":
      return `:rotating_light: escalated to Support${link}`;
  }
}
