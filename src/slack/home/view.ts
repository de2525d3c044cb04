import type { types } from "@slack/bolt";
import type { FlowContext } from "../../core/flow/engine.js";
import type { Report } from "../../core/report/figures.js";
import { age, barLines, duration, percent } from "../../core/report/format.js";
import { phaseStatus } from "../../core/report/outcome.js";
import type { StoredConversation } from "../../store/types.js";
import { ACTION } from "../action-ids.js";
import {
  type Block,
  clip,
  context,
  divider,
  escapeText,
  header,
  LIMITS,
  plain,
  section,
  slackTime,
} from "../blocks/kit.js";
import { type EscalationPost, type SlackSurface, surfaceOf } from "../surface.js";

/**
 * The App Home tab: the user's own conversations, the escalations, and the last 30 days. It shows
 * ids, checks, times, channel mentions and links only — never a name, an email, pasted rows or the
 * text a conversation was started with — so it is safe whoever opens it; the links lead to threads
 * Slack shows only to members of their channel.
 */

/** How many of each list the tab shows; the whole view stays far below Slack's 100 blocks. */
export const HOME_LIMITS = { mineOpen: 10, mineFinished: 5, perEscalationStatus: 8 } as const;
const MAX_BLOCKS = 100;

export interface HomeInput {
  user: string;
  now: Date;
  ctx: FlowContext;
  /** The user's conversations (Slack surfaces), newest first. */
  mine: StoredConversation[];
  /** Conversations with an escalation, newest first; or why this user does not see the section. */
  escalations: StoredConversation[] | { hidden: string };
  report: Report;
  /** The days the figures cover. */
  days: number;
  /** A link to a conversation's thread, when the workspace address is known. */
  threadLink: (surface: SlackSurface) => string | undefined;
}

export function homeView(input: HomeInput): types.HomeView {
  const blocks: Block[] = [
    header("portal-check"),
    context(`Updated ${slackTime(input.now.toISOString())} · refreshed whenever you open this tab`),
    divider(),
    ...mineBlocks(input),
    divider(),
    ...escalationBlocks(input),
    divider(),
    ...figureBlocks(input.report, input.days),
  ];
  return { type: "home", blocks: blocks.slice(0, MAX_BLOCKS) };
}

function mineBlocks(input: HomeInput): Block[] {
  const { ctx, now } = input;
  const slack = input.mine.map((record) => ({ record, surface: surfaceOf(record) }));
  const open = slack.filter(({ record }) => phaseStatus(record.state.phase) !== "finished");
  const finished = slack.filter(({ record }) => phaseStatus(record.state.phase) === "finished");
  const blocks: Block[] = [header("Mine")];
  if (open.length === 0) blocks.push(section("_You have no portal check in progress._"));
  for (const { record, surface } of open.slice(0, HOME_LIMITS.mineOpen)) {
    const line = `*${escapeText(statusText(ctx, record))}* in <#${surface.channel}>\nstarted ${age(record.createdAt, now)} ago · last answer ${age(record.updatedAt, now)} ago`;
    const link = input.threadLink(surface);
    blocks.push(link ? withLink(section(line), link, record.id) : section(line));
  }
  if (open.length > HOME_LIMITS.mineOpen) {
    blocks.push(
      context(`…and ${open.length - HOME_LIMITS.mineOpen} more in progress (the newest are shown).`),
    );
  }
  if (finished.length > 0) {
    const lines = finished.slice(0, HOME_LIMITS.mineFinished).map(({ record, surface }) => {
      const link = input.threadLink(surface);
      const where = link ? `<${link}|thread> in <#${surface.channel}>` : `in <#${surface.channel}>`;
      return `• ${escapeText(finishedText(ctx, record, surface))} · ${age(record.updatedAt, now)} ago · ${where}`;
    });
    blocks.push(section(`*Recently finished*\n${lines.join("\n")}`));
  }
  return blocks;
}

/** What an open conversation is waiting for, in words. */
export function statusText(ctx: FlowContext, record: StoredConversation): string {
  const { state } = record;
  switch (phaseStatus(state.phase)) {
    case "choosing_version":
      return "Choosing the OP version";
    case "in_escalation_form":
      return "In the escalation form";
    case "awaiting_confirmation":
      return "Waiting for the parent's confirmation";
    case "finished":
      return state.phase === "resolved" ? "Resolved" : "Escalated";
    case "at_check":
      if (state.phase === "newer_portal") return "On the newer-portal screen";
      return state.current ? `At check “${checkTitle(ctx, state.current)}”` : "At the checks";
  }
}

function finishedText(ctx: FlowContext, record: StoredConversation, surface: SlackSurface): string {
  if (record.state.phase === "resolved") {
    const fixed = record.state.answers.findLast((a) => a.outcome === "fixed");
    return fixed ? `Fixed at “${checkTitle(ctx, fixed.check)}”` : "Fixed";
  }
  return surface.escalation ? `Escalated: ${ESCALATION_STATUS[surface.escalation.status]}` : "Escalated";
}

const checkTitle = (ctx: FlowContext, check: string) => clip(ctx.knowledge.get(check)?.title ?? check, 80);

const ESCALATION_STATUS: Record<EscalationPost["status"], string> = {
  pending: "waiting in the outbox",
  open: "posted, waiting for a case number",
  case_opened: "case opened",
  resolved: "resolved",
};
const ESCALATION_ORDER: EscalationPost["status"][] = ["pending", "open", "case_opened", "resolved"];

function escalationBlocks(input: HomeInput): Block[] {
  const blocks: Block[] = [header("Escalations")];
  if (!Array.isArray(input.escalations)) return [...blocks, context(escapeText(input.escalations.hidden))];
  const byStatus = new Map<EscalationPost["status"], string[]>();
  for (const record of input.escalations) {
    const surface = surfaceOf(record);
    const escalation = surface.escalation;
    if (!escalation) continue;
    // Waiting in the outbox since it was saved; otherwise since the conversation was escalated.
    const since = escalation.status === "pending" ? escalation.since : record.state.updatedAt;
    const link =
      (escalation.status !== "pending" ? escalation.link : null) ?? input.threadLink(surface) ?? undefined;
    const what = link
      ? `<${link}|escalation ${record.id.slice(0, 8)}>`
      : `escalation ${record.id.slice(0, 8)}`;
    const detail = [
      what,
      escalation.status !== "pending" && escalation.case ? `case ${escapeText(escalation.case)}` : "",
      record.state.autoEscalatedAt ? "escalated automatically" : "",
      `escalated ${age(since, input.now)} ago`,
      `from <#${surface.channel}>`,
      escalation.status !== "pending" && escalation.updatedBy ? `by <@${escalation.updatedBy}>` : "",
    ].filter(Boolean);
    byStatus.set(escalation.status, [...(byStatus.get(escalation.status) ?? []), `• ${detail.join(" · ")}`]);
  }
  if (byStatus.size === 0) return [...blocks, section("_No escalations in the stored conversations._")];
  for (const status of ESCALATION_ORDER) {
    const lines = byStatus.get(status);
    if (!lines) continue;
    const more = lines.length > HOME_LIMITS.perEscalationStatus;
    const shown = lines.slice(0, HOME_LIMITS.perEscalationStatus);
    if (more) shown.push(`_…and ${lines.length - shown.length} more_`);
    const label = ESCALATION_STATUS[status];
    const title = label.charAt(0).toUpperCase() + label.slice(1);
    blocks.push(section(`*${title}* (${lines.length})\n${shown.join("\n")}`));
  }
  return blocks;
}

function figureBlocks(report: Report, days: number): Block[] {
  const t = report.totals;
  const field = (label: string, value: string) => ({ type: "mrkdwn" as const, text: `*${label}*\n${value}` });
  const blocks: Block[] = [
    header(`Last ${days} days`),
    {
      type: "section",
      fields: [
        field("Started", String(t.started)),
        field("Resolved", String(t.resolved)),
        field("Escalated", String(t.escalated)),
        field("Abandoned", String(t.abandoned)),
        field("Still open", String(t.open)),
        field("Escalation rate", percent(t.escalationRate)),
        field("Median time to resolve", duration(t.medianMsToResolve)),
      ],
    },
  ];
  if (t.started === 0) return [...blocks, context("No conversations started in this period.")];
  if (t.resolved === 0) blocks.push(section("*Which check fixed it*\n_None resolved at a check yet._"));
  else {
    const fixed = barLines(report.fixedBy.map((f) => ({ label: f.check, value: f.count })));
    blocks.push(section(`*Which check fixed it*\n\`\`\`${fixed.join("\n")}\`\`\``));
  }
  const versions = report.byVersion
    .filter((g) => g.figures.started > 0)
    .map((g) => {
      const f = g.figures;
      return `${g.key.padEnd(7)} ${f.started} started · ${f.resolved} resolved · ${f.escalated} escalated (${percent(f.escalationRate)}) · median ${duration(f.medianMsToResolve)}`;
    });
  const started = barLines(
    report.byVersion
      .filter((g) => g.figures.started > 0)
      .map((g) => ({ label: g.key, value: g.figures.started })),
  );
  blocks.push(
    section(`*Per OP version* (started)\n\`\`\`${started.join("\n")}\`\`\`\n${versions.join("\n")}`),
  );
  blocks.push(
    context(
      "Figures from de-identified outcome records: escalation rate = escalated ÷ finished (resolved, escalated, abandoned). `portal-check report` gives the same figures for any period.",
    ),
  );
  return blocks;
}

/** A section with a link button to the thread on its right. */
function withLink(block: Block, url: string, id: string): Block {
  return {
    ...(block as types.SectionBlock),
    accessory: {
      type: "button",
      action_id: ACTION.homeOpenThread,
      text: plain("Open thread", LIMITS.buttonText),
      url,
      value: id.slice(0, 100),
    },
  };
}
