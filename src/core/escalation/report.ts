import { z } from "zod";
import type { FlowContext } from "../flow/engine.js";
import type { FlowState } from "../flow/state.js";
import { checkOutcomes, TRANSCRIPT_HEADER, transcriptLine, versionText } from "../flow/transcript.js";
import { OpVersion } from "../ids.js";
import type { EscalationDetails } from "./details.js";

/** A validator finding as it travels with an escalation (the rules module's findings map onto it). */
export const ReportFinding = z.object({
  rule: z.string(),
  severity: z.enum(["blocker", "warning"]),
  /** One line naming the setting and the patient, e.g. "Authority is None for this parent on Tim R." */
  summary: z.string().max(500),
});
export type ReportFinding = z.infer<typeof ReportFinding>;

/**
 * One check of the flow with what came of it, worded for Support: what happened ("still not visible
 * after this check"; after a change, which change and whether the parent confirmed it).
 */
export const ReportedCheck = z.object({ check: z.string(), title: z.string(), outcome: z.string() });
export type ReportedCheck = z.infer<typeof ReportedCheck>;

/** Every check of the flow in walking order, with its latest outcome in words. */
export function reportedChecks(ctx: FlowContext, state: FlowState): ReportedCheck[] {
  return checkOutcomes(ctx, state).map((c) => ({
    check: c.check,
    title: c.title,
    outcome: c.text,
  }));
}

/** Blockers before warnings, otherwise in the order given. */
export function blockersFirst(findings: readonly ReportFinding[]): ReportFinding[] {
  return [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "blocker" ? -1 : 1));
}

/** Everything Support asks for, in one structure that each shell renders its own way. PHI. */
export const EscalationReport = z.object({
  phone: z.string(),
  version: OpVersion.nullable(),
  /** Without a version: staff said the practice is on OP 20 or the newer portal (absent: not said). */
  newerPortal: z.boolean().optional(),
  parentName: z.string(),
  portalEmails: z.array(z.string()),
  patients: z.array(z.string()),
  stepsTaken: z.string(),
  resetAuthorized: z.boolean(),
  checks: z.array(ReportedCheck),
  findings: z.array(ReportFinding),
  /** What the staff member first typed, if anything. */
  opening: z.string().nullable(),
});
export type EscalationReport = z.infer<typeof EscalationReport>;

export function buildEscalationReport(
  ctx: FlowContext,
  state: FlowState,
  details: EscalationDetails,
  findings: ReportFinding[] = [],
): EscalationReport {
  return {
    phone: ctx.flow.escalation.phone,
    version: state.version,
    ...(state.newerPortal ? { newerPortal: true } : {}),
    parentName: details.parent_name,
    portalEmails: details.portal_emails,
    patients: details.patients,
    stepsTaken: details.steps_taken,
    resetAuthorized: details.reset_authorized,
    checks: reportedChecks(ctx, state),
    findings: blockersFirst(findings),
    opening: state.opening?.text ?? null,
  };
}

/** Plain text (terminal, and the copyable part of the Slack post). */
export function formatEscalationText(report: EscalationReport): string {
  const lines = [
    `ESCALATION: call OP Support at ${report.phone} to open a case.`,
    `OP version: ${versionText(report.version, report.newerPortal)}`,
    `Parent: ${report.parentName}`,
    `Portal account email(s): ${report.portalEmails.join(", ")}`,
    `Patients the parent should see: ${report.patients.join("; ")}`,
    `Password reset and test with the account authorized: ${report.resetAuthorized ? "yes" : "NO (ask the parent)"}`,
    "",
    "Checks:",
    ...report.checks.map((c) => `  ${c.title}: ${c.outcome}`),
  ];
  // The form's steps are prefilled from the same transcript as the checks above: print only what was added.
  const generated = new Set(report.checks.map((c) => transcriptLine(c.title, c.outcome)));
  const added = report.stepsTaken
    .split("\n")
    .filter((l) => l.trim() !== "" && !generated.has(l.trim()) && !TRANSCRIPT_HEADER.test(l.trim()));
  if (added.length > 0) lines.push("", "Other steps taken:", ...added.map((l) => `  ${l}`));
  if (report.findings.length > 0) {
    lines.push("", "Validator findings:", ...report.findings.map((f) => `  [${f.severity}] ${f.summary}`));
  }
  if (report.opening) lines.push("", `First description: ${report.opening}`);
  return lines.join("\n");
}
