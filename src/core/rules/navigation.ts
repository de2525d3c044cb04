import type { CheckId, OpVersion } from "../ids.js";
import { checkIdsOf, type KnowledgeBase, stepsFor } from "../knowledge/schema.js";

/**
 * Where things are in OP is the content's (knowledge/<check>.md, "## OP <v>"), never the rules':
 * a finding's fix is what the rule says first about this finding (a caution the check's steps do
 * not give), then its check's steps for the version, then what the rule says about this finding
 * once the steps are read (which of the steps' choices fits it, a tip), then the steps after any
 * change (the flow's after_fix entry). Each thing is said once: what the check's steps say, the
 * rule does not say again (test/rules/fix-wording.test.ts).
 * The caller reads these steps from the content (fixStepsOf) and passes them in ValidateOptions,
 * so the rules stay pure and a new OP version or a changed menu is a content edit.
 */
export interface FixSteps {
  /** Each check's steps in the version validated against. */
  checks: Record<CheckId, string[]>;
  /** The steps after any change (call the parent, have them log in and confirm). */
  after: string[];
}

export const NO_FIX_STEPS: FixSteps = { checks: {}, after: [] };

/** The content's fix steps for one OP version. */
export function fixStepsOf(
  content: { knowledge: KnowledgeBase; flow: { after_fix: string } },
  version: OpVersion,
): FixSteps {
  const { knowledge, flow } = content;
  const checks: Record<CheckId, string[]> = {};
  for (const id of checkIdsOf(knowledge)) {
    const entry = knowledge.get(id);
    if (entry) checks[id] = stepsFor(entry, version);
  }
  const after = knowledge.get(flow.after_fix);
  return { checks, after: after ? stepsFor(after, version) : [] };
}

/**
 * What a rule adds to its check's steps for one kind of finding, in no version's menus: `first`
 * before the steps, `last` after them. Built once per rule (see Fixes).
 */
export interface Advice {
  readonly first: readonly string[];
  readonly last: readonly string[];
}

/**
 * The fixes of one validation, each built once per check and advice, so findings that share a
 * fix share its array (reports tell fixes apart by array first; see format-text.ts).
 */
export class Fixes {
  private readonly built = new Map<Advice, Map<CheckId, string[]>>();

  constructor(private readonly steps: FixSteps) {}

  of(check: CheckId, advice: Advice): string[] {
    let byCheck = this.built.get(advice);
    if (!byCheck) {
      byCheck = new Map();
      this.built.set(advice, byCheck);
    }
    let fix = byCheck.get(check);
    if (!fix) {
      fix = [...advice.first, ...(this.steps.checks[check] ?? []), ...advice.last, ...this.steps.after];
      byCheck.set(check, fix);
    }
    return fix;
  }
}
