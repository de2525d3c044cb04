import { type Finding, RULE_IDS, type RuleId } from "./schema.js";

/**
 * The order findings are shown in: patients with a blocker first, then the others; within a
 * patient, blockers first, then the article's order of rules, then by line. Patients keep the
 * order in which their first finding's line comes in the input.
 */
export function orderFindings(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, { firstLine: number; blocker: boolean }>();
  for (const finding of findings) {
    const line = finding.lines[0] as number;
    const group = groups.get(finding.patient);
    if (!group) groups.set(finding.patient, { firstLine: line, blocker: finding.severity === "blocker" });
    else {
      group.firstLine = Math.min(group.firstLine, line);
      group.blocker ||= finding.severity === "blocker";
    }
  }
  // Each group's place, computed once: a large export has hundreds of thousands of findings.
  const ranked = [...groups].sort(
    ([nameA, a], [nameB, b]) =>
      Number(b.blocker) - Number(a.blocker) || a.firstLine - b.firstLine || (nameA < nameB ? -1 : 1),
  );
  const groupRank = new Map(ranked.map(([name], rank) => [name, rank]));
  const keyed = findings.map((finding) => ({
    finding,
    group: groupRank.get(finding.patient) as number,
    within: withinPatient(finding),
    line: lineOf(finding),
  }));
  keyed.sort((a, b) => a.group - b.group || a.within - b.within || a.line - b.line);
  return keyed.map((entry) => entry.finding);
}

/** One patient's findings in report order (the common case while streaming: cheap for one or two). */
export function orderOnePatient(findings: Finding[]): Finding[] {
  return findings.length < 2
    ? findings
    : findings.sort((a, b) => withinPatient(a) - withinPatient(b) || lineOf(a) - lineOf(b));
}

const withinPatient = (finding: Finding) =>
  (finding.severity === "blocker" ? 0 : 1) * RULE_IDS.length + RULE_RANK[finding.rule];
const lineOf = (finding: Finding) => finding.lines[0] as number;

const RULE_RANK = Object.fromEntries(RULE_IDS.map((id, rank) => [id, rank])) as Record<RuleId, number>;
