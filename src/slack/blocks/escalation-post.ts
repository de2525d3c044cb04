import type { AutomaticReport } from "../../core/escalation/automatic.js";
import type { EscalationReport } from "../../core/escalation/report.js";
import { versionText } from "../../core/flow/transcript.js";
import { ACTION, encode } from "../action-ids.js";
import { formatHours } from "../stale/hours.js";
import type { PostedEscalation, PostedReport } from "../surface.js";
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
  report: PostedReport;
  requester: string;
  /** Permalink to the conversation's thread; absent when Slack could not give one. */
  conversationLink: string | undefined;
  status: PostedEscalation["status"];
  caseNumber: string | null;
  updatedBy: string | null;
}

/**
 * The escalation as Support's lead reads it: the number to call, everything Support asks for, what
 * was checked and found, and buttons to record the case and its resolution. An automatic escalation
 * (the conversation went quiet) says so and lists what is still missing. Contains PHI: it is only
 * ever posted where the privacy check allowed it. The notification text carries none.
 */
export function renderEscalationPost(input: EscalationPostInput): SlackMessage {
  const { report } = input;
  const blocks: Block[] =
    "kind" in report ? automaticBlocks(report, input.requester) : formBlocks(report, input.requester);
  blocks.push(
    ...sections([
      "*Checks*",
      ...report.checks.map((c) => `• ${escapeText(c.title)}: ${escapeText(c.outcome)}`),
    ]),
  );
  if (!("kind" in report)) {
    blocks.push(...sections(["*Steps taken*", ...report.stepsTaken.split("\n").map(escapeText)]));
  }
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
  const kind = "kind" in report ? "Automatic escalation" : "Escalation";
  return { text: `${kind} for OP Support (${report.phone})`, blocks: capBlocks(blocks) };
}

function formBlocks(report: EscalationReport, requester: string): Block[] {
  return [
    header("Escalation: a parent cannot see their child on the portal"),
    section(
      `:telephone_receiver: Call OP Support at *${escapeText(report.phone)}* to open a case with the details below.`,
    ),
    fields([
      `*Parent*\n${escapeText(report.parentName)}`,
      `*OP version*\n${escapeText(versionText(report.version, report.newerPortal))}`,
      `*Password reset and test authorized*\n${report.resetAuthorized ? "Yes" : "*No*: ask the parent before Support resets anything"}`,
      `*Requested by*\n<@${requester}>`,
    ]),
    // Lists get sections of their own: however long, nothing is cut.
    ...sections(["*Portal account email(s)*", ...report.portalEmails.map((e) => `• ${escapeText(e)}`)]),
    ...sections(["*Patients the parent should see*", ...report.patients.map((p) => `• ${escapeText(p)}`)]),
    divider(),
  ];
}

function automaticBlocks(report: AutomaticReport, requester: string): Block[] {
  const unknown = "_not given yet_";
  const reset =
    report.resetAuthorized === null
      ? unknown
      : report.resetAuthorized
        ? "Yes"
        : "*No*: ask the parent before Support resets anything";
  const blocks: Block[] = [
    header("Automatic escalation: a portal check went quiet"),
    section(
      `:hourglass: <@${requester}> started this check and it has had no answer for ${formatHours(report.idleHours)}, so here is what is known. Ask them for what is missing, then call OP Support at *${escapeText(report.phone)}*.`,
    ),
    fields([
      `*Parent*\n${report.parentName ? escapeText(report.parentName) : unknown}`,
      `*OP version*\n${report.versionMissing ? unknown : escapeText(versionText(report.version, true))}`,
      `*Password reset and test authorized*\n${reset}`,
      `*Requested by*\n<@${requester}>`,
    ]),
  ];
  if (report.portalEmails.length > 0) {
    blocks.push(
      ...sections(["*Portal account email(s)*", ...report.portalEmails.map((e) => `• ${escapeText(e)}`)]),
    );
  }
  if (report.patients.length > 0) {
    blocks.push(...sections(["*Patients*", ...report.patients.map((p) => `• ${escapeText(p)}`)]));
  }
  if (report.missing.length > 0) {
    blocks.push(...sections(["*Still missing*", ...report.missing.map((m) => `• ${escapeText(m)}`)]));
  }
  blocks.push(divider());
  return blocks;
}

/** Short answers side by side (a field holds 2000 characters; the parent's name is at most 200). */
function fields(texts: string[]): Block {
  return {
    type: "section",
    fields: texts.map((text) => ({ type: "mrkdwn" as const, text: clip(text, 2000) })),
  };
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
