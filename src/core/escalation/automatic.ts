import { z } from "zod";
import type { FlowContext } from "../flow/engine.js";
import type { FlowState } from "../flow/state.js";
import { checkOutcomes } from "../flow/transcript.js";
import { OpVersion } from "../ids.js";
import type { EscalationDetails } from "./details.js";
import { blockersFirst, ReportedCheck, ReportFinding, reportedChecks } from "./report.js";

/**
 * The escalation the app makes by itself when a conversation went quiet: everything known so far,
 * and an explicit list of what Support will still need. PHI, like the form's report.
 */
export const AutomaticReport = z.object({
  kind: z.literal("automatic"),
  phone: z.string(),
  /** null with versionMissing false: staff said the practice is on OP 20 or the newer portal. */
  version: OpVersion.nullable(),
  /** Nobody said which OP version the practice is on. */
  versionMissing: z.boolean(),
  /** Hours without an answer when it was escalated. */
  idleHours: z.number().min(0),
  parentName: z.string().nullable(),
  portalEmails: z.array(z.string()),
  patients: z.array(z.string()),
  /** null: nobody asked the parent yet. */
  resetAuthorized: z.boolean().nullable(),
  checks: z.array(ReportedCheck),
  findings: z.array(ReportFinding),
  opening: z.string().nullable(),
  /** One line per missing item, in the form's order, then the checks not run; no PHI. */
  missing: z.array(z.string()),
});
export type AutomaticReport = z.infer<typeof AutomaticReport>;

export interface KnownSoFar {
  /** A form that was filled in but not posted (refused channel, the walk went back to the checks). */
  draft: EscalationDetails | null;
  /** Emails and patients named in pasted contact records. */
  pasted: { emails: string[]; patients: string[] } | null;
  findings: ReportFinding[];
}

export function buildAutomaticReport(
  ctx: FlowContext,
  state: FlowState,
  known: KnownSoFar,
  idleHours: number,
): AutomaticReport {
  const { draft, pasted } = known;
  const report = {
    parentName: draft?.parent_name ?? null,
    portalEmails: draft?.portal_emails ?? pasted?.emails ?? [],
    patients: draft?.patients ?? pasted?.patients ?? [],
    resetAuthorized: draft?.reset_authorized ?? null,
  };
  const given: Record<string, boolean> = {
    parent_name: report.parentName !== null,
    portal_emails: report.portalEmails.length > 0,
    patients: report.patients.length > 0,
    // The transcript below always says what was tried.
    steps_taken: true,
    reset_authorized: report.resetAuthorized !== null,
  };
  const notRun = checkOutcomes(ctx, state)
    .filter((c) => c.outcome === "not_reached")
    .map((c) => c.title);
  const versionMissing = state.version === null && !state.newerPortal;
  const missing = [
    ...(versionMissing ? ["The OP version the practice is on"] : []),
    ...ctx.flow.escalation.fields.filter((f) => !given[f.id]).map((f) => f.label),
    ...(notRun.length > 0 && state.version ? [`Checks not run yet: ${notRun.join("; ")}`] : []),
  ];
  return {
    kind: "automatic",
    phone: ctx.flow.escalation.phone,
    version: state.version,
    versionMissing,
    idleHours: Math.max(0, idleHours),
    ...report,
    checks: reportedChecks(ctx, state),
    findings: blockersFirst(known.findings),
    opening: state.opening?.text ?? null,
    missing,
  };
}
