import { type Finding, RULE_IDS } from "./schema.js";

/**
 * The order findings are shown in: patients with a blocker first, then the others; within a
 * patient, blockers first, then the article's order of checks, then by line. Patients keep the
 * order in which the input first mentions them.
 */
export function orderFindings(findings: readonly Finding[]): Finding[] {
  const firstLine = new Map<string, number>();
  const hasBlocker = new Set<string>();
  for (const finding of findings) {
    const line = finding.lines[0] as number;
    const seen = firstLine.get(finding.patient);
    if (seen === undefined || line < seen) firstLine.set(finding.patient, line);
    if (finding.severity === "blocker") hasBlocker.add(finding.patient);
  }
  const rank = (finding: Finding) => (hasBlocker.has(finding.patient) ? 0 : 1);
  return [...findings].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (firstLine.get(a.patient) as number) - (firstLine.get(b.patient) as number) ||
      (a.patient < b.patient ? -1 : a.patient > b.patient ? 1 : 0) ||
      severityRank(a) - severityRank(b) ||
      RULE_IDS.indexOf(a.rule) - RULE_IDS.indexOf(b.rule) ||
      (a.lines[0] as number) - (b.lines[0] as number),
  );
}

const severityRank = (finding: Finding) => (finding.severity === "blocker" ? 0 : 1);
