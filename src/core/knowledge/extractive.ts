import type { Citation } from "../flow/prompt.js";
import type { CheckId, OpVersion } from "../ids.js";
import type { KnowledgeAnswer } from "./answer-schema.js";
import { GUIDED_CHECK, type Retrieval } from "./question-triage.js";
import {
  checkIdsOf,
  type KnowledgeBase,
  type KnowledgeEntry,
  opVersionsOf,
  stepsFor,
  supportPhoneOf,
} from "./schema.js";
import type { OutsideTopic } from "./scope.js";

/**
 * The default answerer: no model, only the knowledge text. It names the best check(s), gives the
 * steps for the practice's OP version (both versions when it is not known) and cites its sources.
 */
export function extractiveAnswer(knowledge: KnowledgeBase, retrieval: Retrieval): KnowledgeAnswer {
  const entries = retrieval.entries.flatMap(({ id }) => knowledge.get(id) ?? []);
  const top = entries[0];
  if (retrieval.outcome === "guide")
    return guideAnswer(
      knowledge,
      retrieval.confidence,
      entries,
      retrieval.likely.flatMap(({ id }) => knowledge.get(id) ?? []),
    );
  if (!retrieval.covered || !top) return uncoveredAnswer(knowledge, retrieval);
  const versions = retrieval.version ? [retrieval.version] : opVersionsOf(knowledge);
  // A question about Support, the newer portal or what happens after a change is answered by that
  // entry alone; a symptom gets its best check and the other checks it may point to.
  const checks =
    top.kind === "check"
      ? entries.filter((entry) => entry.kind === "check").map((entry): CheckId => entry.id)
      : [];
  const others = top.kind === "check" ? entries.slice(1).filter((entry) => entry.kind === "check") : [];

  const lines: string[] = [];
  // Asked for the number: the number comes first, then what to gather (the entry's steps).
  if (retrieval.cues.number && top.id === "escalation")
    lines.push(`Support: ${supportPhoneOf(knowledge)}.`, "");
  lines.push(top.kind === "check" ? `Most likely: ${top.title} [${top.id}]` : `${top.title} [${top.id}]`);
  lines.push(...top.why, "");
  if (retrieval.cues.block && top.keepOut.length > 0) {
    // "How do I block the nanny": the steps to close access on purpose, not to clear the dates.
    lines.push("To keep someone out:", ...numbered(top.keepOut), "");
  } else if (top.kind === "check") {
    for (const version of versions) lines.push(`In OP ${version}:`, ...numbered(stepsFor(top, version)), "");
  } else {
    // A reference entry has one list of steps for every version.
    lines.push("What to do:", ...numbered(stepsFor(top, versions[0] ?? "")), "");
  }
  if (top.notes.length > 0) lines.push("Good to know:", ...top.notes.map((note) => `- ${note}`), "");
  if (others.length > 0) {
    lines.push(
      "Also worth checking:",
      ...others.map((entry) => `- ${entry.title} [${entry.id}]: ${firstSentence(entry)}`),
      "",
    );
  }
  // The checks are done and this is the last one: Support is next, with its number.
  const support = knowledge.get("escalation");
  if (retrieval.thenSupport && top.kind === "check" && support) {
    lines.push(
      `If that is not it either, call Support at ${supportPhoneOf(knowledge)}; what to gather first: ${support.title} [${support.id}].`,
      "",
    );
  }
  const afterChanges = knowledge.get("after-changes");
  if (top.kind === "check" && afterChanges) {
    lines.push(`${afterChanges.title}: ${afterChanges.why[0] ?? ""}`, "");
  }
  const cited = top.kind === "check" ? [top, ...others] : [top];
  lines.push(`Source: "${top.source.article}", ${cited.map((e) => `"${e.source.section}"`).join("; ")}.`);
  return {
    answer: lines
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim(),
    checks,
    citations: cited.flatMap((entry) => citationsOf(entry, versions)),
    covered: true,
    outcome: "answer",
    entries: entries.map((entry) => entry.id),
    confidence: retrieval.confidence,
    by: "extractive",
  };
}

export function citationsOf(entry: KnowledgeEntry, versions: readonly OpVersion[]): Citation[] {
  return versions
    .filter((version) => entry.source.versions.includes(version))
    .map((version) => ({ check: entry.id, version, section: entry.source.section }));
}

/** What the refusal says of each topic that shares the domain's words (scope.ts). */
const OUTSIDE: Record<OutsideTopic, string> = {
  "own-login":
    "Your own OP login or password is not a parent's portal problem, so it is outside what I cover.",
  "staff-account": "Setting up a staff member's OP account, login or permissions is outside what I cover.",
  "staff-records": "A staff member's own records (pay, benefits, time off) are outside what I cover.",
  credential: "A password, username or locked login is outside what I cover.",
  "patient-chart":
    "Merging or correcting a patient's charts is outside what I cover (a parent's contact entered twice is the duplicate contact check).",
  "practice-email":
    "The practice's own email (a message to many families, the mail program) is outside what I cover.",
  "portal-feature":
    "What else the portal offers (appointments, bills, results, messages) is outside what I cover; I help when a parent cannot see a child there.",
  report: "Running reports or lists out of OP is outside what I cover.",
  "custody-schedule":
    "When each parent has the children (pick-ups, weekends) is outside what I cover; which Authority reflects the custody is the Authority check.",
  system: "Looking after OP's systems themselves (engines, servers, software) is outside what I cover.",
  unmerge:
    "Undoing a merge already made is outside what I cover (the checks only merge a parent's duplicate contacts).",
  device:
    "A parent's phone, computer, browser or app is outside what I cover; I help when the portal does not show a child.",
  outage:
    "The portal or OP down for every family is outside the checks I cover (they look at one family's access).",
  legal:
    "Legal questions (rights, what the law allows) are outside what I cover; once a custody decision is made, I can say which setting reflects it.",
};

/** A question outside the domain: say so, and what the bot does cover. */
function uncoveredAnswer(
  knowledge: KnowledgeBase,
  { cues: { outside }, confidence }: Retrieval,
): KnowledgeAnswer {
  const titles = checkIdsOf(knowledge).flatMap((id) => knowledge.get(id)?.title ?? []);
  return {
    answer: [
      outside ? OUTSIDE[outside] : "That is outside what I cover, so I will not guess.",
      "I help when a parent cannot see their child(ren) on the former OP patient portal, one check at a time:",
      ...titles.map((title, i) => `${i + 1}. ${title}`),
      "",
      "If a parent's portal is the problem, start the guided check to go through them in order, or ask again in other words.",
    ].join("\n"),
    checks: [],
    citations: [],
    covered: false,
    outcome: "refuse",
    entries: [],
    confidence,
    by: "extractive",
  };
}

/**
 * A portal complaint that names no cause ("portal broken for the Smiths"): the guided check from
 * the first check, never "I could not find that" and never straight to Support. The wording is the
 * guided-check entry's; the list is the checks in article order.
 */
function guideAnswer(
  knowledge: KnowledgeBase,
  confidence: number,
  suggested: readonly KnowledgeEntry[] = [],
  likely: readonly KnowledgeEntry[] = [],
): KnowledgeAnswer {
  const checks = checkIdsOf(knowledge).flatMap((id) => knowledge.get(id) ?? []);
  const first = checks[0];
  const version = opVersionsOf(knowledge)[0] ?? "";
  const guide = knowledge.get(GUIDED_CHECK);
  return {
    answer: [
      ...(guide ? [`${guide.title} [${guide.id}]`, ...guide.why, ""] : []),
      "The checks, in order:",
      ...numbered(checks.map((entry) => entry.title)),
      "",
      ...(guide ? ["What to do:", ...numbered(stepsFor(guide, version)), ""] : []),
      // A story that points somewhere without naming a cause: the checks to look at closely on the way.
      ...(suggested.length > 0
        ? [
            "From what you describe, look closely at:",
            ...suggested.map((entry) => `- ${entry.title} [${entry.id}]: ${firstSentence(entry)}`),
            "",
          ]
        : []),
      // Where the words lean though they name no cause: a hint, and said to be one.
      ...(likely.length > 0
        ? [
            `Your words lean most toward${suggested.length > 0 ? " (after those)" : ""}:`,
            ...likely.map((entry) => `- ${entry.title} [${entry.id}]: ${firstSentence(entry)}`),
            "",
          ]
        : []),
      ...(first ? [`First check: ${first.title} [${first.id}]. ${firstSentence(first)}`] : []),
    ]
      .join("\n")
      .trim(),
    checks: first ? [first.id as CheckId] : [],
    citations: guide ? citationsOf(guide, [version]) : [],
    covered: false,
    outcome: "guide",
    entries: [...suggested, ...likely].map((entry) => entry.id),
    confidence,
    by: "extractive",
  };
}

const numbered = (steps: string[]) => steps.map((step, i) => `${i + 1}. ${step}`);

function firstSentence(entry: KnowledgeEntry): string {
  const text = entry.why[0] ?? "";
  return /^.*?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;
}
