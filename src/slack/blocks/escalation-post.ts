import type { EscalationReport } from "../../core/escalation/report.js";
import { ACTION, encode } from "../action-ids.js";
import type { EscalationPost } from "../surface.js";
import {
  actions,
  type Block,
  button,
  capBlocks,
  clip,
  context,
  divider,
  escapeText,
  header,
  section,
  sections,
} from "./kit.js";
import type { SlackMessage } from "./prompt.js";

export interface EscalationPostInput {
  conversation: string;
  /** This escalation's id (its buttons carry it). */
  escalation: string;
  report: EscalationReport;
  requester: string;
  /** Permalink to the conversation's thread; absent when Slack could not give one. */
  conversationLink: string | undefined;
  status: Exclude<EscalationPost, { status: "posting" }>["status"];
  caseNumber: string | null;
  updatedBy: string | null;
}

/**
 * The escalation as Support's lead reads it: the number to call, everything Support asks for, what
 * was checked and found, and buttons to record the case and its resolution. Contains PHI: it is only
 * ever posted where the privacy check allowed it. The notification text carries none.
 */
export function renderEscalationPost(input: EscalationPostInput): SlackMessage {
  const { report } = input;
  const blocks: Block[] = [
    header("Escalation: a parent cannot see their child on the portal"),
    section(
      `:telephone_receiver: Call OP Support at *${escapeText(report.phone)}* to open a case with the details below.`,
    ),
    {
      type: "section",
      // Short answers side by side (a field holds 2000 characters; the parent's name is at most 200).
      fields: [
        `*Parent*\n${escapeText(report.parentName)}`,
        `*OP version*\n${report.version ? `OP ${report.version}` : "OP 20 / newer portal"}`,
        `*Password reset and test authorized*\n${report.resetAuthorized ? "Yes" : "*No*: ask the parent before Support resets anything"}`,
        `*Requested by*\n<@${input.requester}>`,
      ].map((text) => ({ type: "mrkdwn" as const, text: clip(text, 2000) })),
    },
    // Lists get sections of their own: however long, nothing is cut.
    ...sections(["*Portal account email(s)*", ...report.portalEmails.map((e) => `• ${escapeText(e)}`)]),
    ...sections(["*Patients the parent should see*", ...report.patients.map((p) => `• ${escapeText(p)}`)]),
    divider(),
    ...sections([
      "*Checks*",
      ...report.checks.map((c) => `• ${escapeText(c.title)}: ${escapeText(c.outcome)}`),
    ]),
    ...sections(["*Steps taken*", ...report.stepsTaken.split("\n").map(escapeText)]),
  ];
  if (report.findings.length > 0) {
    blocks.push(
      ...sections([
        "*Findings in the pasted contact records*",
        ...report.findings.map(
          (f) => `• ${f.severity === "blocker" ? ":no_entry:" : ":warning:"} ${escapeText(f.summary)}`,
        ),
      ]),
    );
  }
  if (report.opening) blocks.push(...sections([`*First description:* ${escapeText(report.opening)}`]));
  const link = input.conversationLink
    ? `<${input.conversationLink}|the conversation>`
    : "the conversation's thread";
  blocks.push(context(`Full walk-through in ${link}.`));
  blocks.push(context(`*Status:* ${statusLine(input)}`));
  if (input.status !== "resolved") {
    const value = encode({ c: input.conversation, e: input.escalation });
    blocks.push(
      actions("escalation_status", [
        button(
          ACTION.caseOpened,
          input.status === "case_opened" ? "Change case number" : "Case opened with Support",
          value,
          "primary",
        ),
        button(ACTION.supportResolved, "Resolved", value),
      ]),
    );
  }
  return { text: `Escalation for OP Support (${report.phone})`, blocks: capBlocks(blocks) };
}

function statusLine(input: EscalationPostInput): string {
  const by = input.updatedBy ? ` by <@${input.updatedBy}>` : "";
  switch (input.status) {
    case "open":
      return "waiting for someone to call Support and record the case number";
    case "case_opened":
      return `:ticket: case *${escapeText(input.caseNumber ?? "")}* opened with Support${by}`;
    case "resolved":
      return `:white_check_mark: resolved${by}${input.caseNumber ? ` (case ${escapeText(input.caseNumber)})` : ""}`;
  }
}
