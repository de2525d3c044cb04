import type { Citation } from "../flow/prompt.js";
import { CHECK_IDS, CheckId, OP_VERSIONS, type OpVersion } from "../ids.js";
import type { KnowledgeAnswer } from "./answer-schema.js";
import type { Retrieval } from "./retrieve.js";
import { type KnowledgeBase, type KnowledgeEntry, stepsFor } from "./schema.js";

/**
 * The default answerer: no model, only the knowledge text. It names the best check(s), gives the
 * steps for the practice's OP version (both versions when it is not known) and cites its sources.
 */
export function extractiveAnswer(knowledge: KnowledgeBase, retrieval: Retrieval): KnowledgeAnswer {
  const entries = retrieval.entries.flatMap(({ id }) => knowledge.get(id) ?? []);
  const top = entries[0];
  if (!retrieval.covered || !top) return uncoveredAnswer(knowledge);
  const versions = retrieval.version ? [retrieval.version] : [...OP_VERSIONS];
  // A question about Support, the newer portal or what happens after a change is answered by that
  // entry alone; a symptom gets its best check and the other checks it may point to.
  const checks =
    top.kind === "check"
      ? entries.map((entry) => entry.id).filter((id): id is CheckId => CheckId.safeParse(id).success)
      : [];
  const others = top.kind === "check" ? entries.slice(1).filter((entry) => entry.kind === "check") : [];

  const lines = [top.kind === "check" ? `Most likely: ${top.title} [${top.id}]` : `${top.title} [${top.id}]`];
  lines.push(...top.why, "");
  if (top.kind === "check") {
    for (const version of versions) lines.push(`In OP ${version}:`, ...numbered(stepsFor(top, version)), "");
  } else {
    // A reference entry has one list of steps for every version.
    lines.push("What to do:", ...numbered(stepsFor(top, versions[0] ?? OP_VERSIONS[0])), "");
  }
  if (top.notes.length > 0) lines.push("Good to know:", ...top.notes.map((note) => `- ${note}`), "");
  if (others.length > 0) {
    lines.push(
      "Also worth checking:",
      ...others.map((entry) => `- ${entry.title} [${entry.id}]: ${firstSentence(entry)}`),
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
    by: "extractive",
  };
}

export function citationsOf(entry: KnowledgeEntry, versions: readonly OpVersion[]): Citation[] {
  return versions
    .filter((version) => entry.source.versions.includes(version))
    .map((version) => ({ check: entry.id, version, section: entry.source.section }));
}

function uncoveredAnswer(knowledge: KnowledgeBase): KnowledgeAnswer {
  const titles = CHECK_IDS.flatMap((id) => knowledge.get(id)?.title ?? []);
  return {
    answer: [
      "I could not find that in the knowledge base, so I will not guess.",
      "It covers why a parent cannot see their child(ren) on the former OP patient portal, one check at a time:",
      ...titles.map((title, i) => `${i + 1}. ${title}`),
      "",
      "Start the guided check to go through them in order, or ask again in other words.",
    ].join("\n"),
    checks: [],
    citations: [],
    covered: false,
    by: "extractive",
  };
}

const numbered = (steps: string[]) => steps.map((step, i) => `${i + 1}. ${step}`);

function firstSentence(entry: KnowledgeEntry): string {
  const text = entry.why[0] ?? "";
  return /^.*?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;
}
