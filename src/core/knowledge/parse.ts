import type { List, ListItem, Root, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { toString as mdToString } from "mdast-util-to-string";
import { ContentError, type ContentProblem } from "../content-error.js";
import type { OpVersion } from "../ids.js";
import { parseYamlWithSchema } from "../yaml-content.js";
import {
  EntryFrontMatter,
  entryText,
  type KnowledgeBase,
  type KnowledgeEntry,
  PHONE,
  REFERENCE_IDS,
  STEP_HEADING,
  stepHeading,
} from "./schema.js";

const WHY = "Why it matters";
const NOTES = "Good to know";
const SHARED_STEPS = "Steps";
/** Optional: how to close a contact's access on purpose (asked as "how do I block the nanny"). */
const KEEP_OUT = "To keep someone out";
/** Besides these, "## OP <version>" (STEP_HEADING) for each version the entry lists. */
const KNOWN_HEADINGS = new Set([WHY, NOTES, SHARED_STEPS, KEEP_OUT]);

/** Parses one knowledge file. Pure: the caller reads the file. Throws ContentError naming file and line. */
export function parseKnowledgeFile(file: string, text: string): KnowledgeEntry {
  const problems: ContentProblem[] = [];
  const fm = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!fm?.[1]) {
    throw new ContentError([
      {
        file,
        line: 1,
        field: "front matter",
        message: "the file must start with a --- YAML front matter block ---",
      },
    ]);
  }
  const frontLines = fm[0].split("\n").length - 1;
  const { value: front, lineAt } = parseYamlWithSchema(file, fm[1], EntryFrontMatter, 2, problems);
  const body = fromMarkdown(text.slice(fm[0].length));
  const sections = splitSections(body, frontLines, file, problems);

  const why = sections.get(WHY);
  if (!why) problems.push({ file, line: frontLines + 1, field: WHY, message: `add a "## ${WHY}" section` });
  const steps: Partial<Record<OpVersion, string[]>> = {};
  const versions = front?.source.versions ?? [];
  // Parsed once: every version may fall back to it, and its problems must be reported once.
  const shared = sections.get(SHARED_STEPS);
  const sharedSteps = shared && listItems(shared, file, frontLines, problems);
  for (const version of versions) {
    const own = sections.get(stepHeading(version));
    const items = own ? listItems(own, file, frontLines, problems) : sharedSteps;
    if (items) steps[version] = items;
  }
  for (const [heading, section] of sections) {
    const version = STEP_HEADING.exec(heading)?.[1];
    if (version !== undefined && front && !versions.includes(version)) {
      problems.push({
        file,
        line: section.line,
        field: heading,
        message: `${version} is not in source.versions (${versions.join(", ")}): add it there or remove this section`,
      });
    }
  }
  const isReference = (REFERENCE_IDS as readonly string[]).includes(front?.id ?? "");
  if (front?.kind === "check") {
    for (const version of versions) {
      if (!sections.has(stepHeading(version))) {
        problems.push({
          file,
          line: frontLines + 1,
          field: stepHeading(version),
          message: `a check needs a "## ${stepHeading(version)}" section with numbered steps`,
        });
      }
    }
    if (isReference) {
      problems.push({
        file,
        line: lineAt(["kind"]),
        field: "kind",
        message: `"${front.id}" is a reference entry the app relies on, so it must be "kind: reference"`,
      });
    }
  }
  if (front?.kind === "reference" && !isReference) {
    problems.push({
      file,
      line: lineAt(["kind"]),
      field: "kind",
      message: `a reference entry's id must be one of ${REFERENCE_IDS.join(", ")}; any other entry is a check ("kind: check" with steps per OP version)`,
    });
  }
  const notesSection = sections.get(NOTES);
  const keepOutSection = sections.get(KEEP_OUT);
  const entry = {
    ...front,
    why: why ? paragraphs(why) : [],
    steps,
    notes: notesSection ? listItems(notesSection, file, frontLines, problems) : [],
    keepOut: keepOutSection ? listItems(keepOutSection, file, frontLines, problems) : [],
    file,
  };
  if (problems.length > 0 || !front) throw new ContentError(problems.sort((a, b) => a.line - b.line));
  return entry as KnowledgeEntry;
}

/** Builds the knowledge base from parsed files; every check id must be present exactly once. */
export function buildKnowledgeBase(files: ReadonlyArray<{ file: string; text: string }>): KnowledgeBase {
  const problems: ContentProblem[] = [];
  const entries = new Map<string, KnowledgeEntry>();
  for (const { file, text } of files) {
    try {
      const entry = parseKnowledgeFile(file, text);
      const existing = entries.get(entry.id);
      if (existing) {
        problems.push({
          file,
          line: 2,
          field: "id",
          message: `"${entry.id}" is already defined in ${existing.file}`,
        });
      } else {
        entries.set(entry.id, entry);
      }
    } catch (err) {
      if (err instanceof ContentError) problems.push(...err.problems);
      else throw err;
    }
  }
  if (problems.length === 0) problems.push(...versionProblems(entries), ...phoneProblems(entries));
  if (problems.length > 0) throw new ContentError(problems);
  return entries;
}

/**
 * Every check lists the same OP versions, in the same order (the first is the default): the
 * content's one list of versions (opVersionsOf). A reference entry's "## Steps" serve every version.
 */
function versionProblems(entries: Map<string, KnowledgeEntry>): ContentProblem[] {
  const checks = [...entries.values()].filter((e) => e.kind === "check");
  const first = checks[0];
  if (!first) return [{ file: "knowledge/", line: 1, field: "kind", message: "no entry is a check" }];
  const versions = first.source.versions;
  const problems: ContentProblem[] = [];
  for (const check of checks) {
    if (check.source.versions.join() !== versions.join()) {
      problems.push({
        file: check.file,
        line: 2,
        field: "source.versions",
        message: `every check lists the same OP versions in the same order (${first.file}: ${versions.join(", ")}), not ${check.source.versions.join(", ")}`,
      });
    }
  }
  for (const entry of entries.values()) {
    if (entry.kind !== "reference") continue;
    const shared = Object.values(entry.steps)[0];
    if (shared) for (const version of versions) entry.steps[version] ??= shared;
  }
  return problems;
}

/** The support number is written once, in the escalation entry (supportPhoneOf reads it there). */
function phoneProblems(entries: Map<string, KnowledgeEntry>): ContentProblem[] {
  const entry = entries.get("escalation");
  if (!entry) return [{ file: "knowledge/", line: 1, field: "id", message: 'no entry "escalation"' }];
  const numbers = new Set(entryText(entry).match(new RegExp(PHONE, "g")) ?? []);
  if (numbers.size === 1) return [];
  return [
    {
      file: entry.file,
      line: 1,
      field: "phone",
      message:
        numbers.size === 0
          ? "give the number to call Support on (like 800-555-0100)"
          : `give one number to call Support on, not ${[...numbers].join(" and ")}`,
    },
  ];
}

interface Section {
  heading: string;
  line: number;
  nodes: RootContent[];
}

function splitSections(root: Root, lineOffset: number, file: string, problems: ContentProblem[]) {
  const sections = new Map<string, Section>();
  let current: Section | undefined;
  for (const node of root.children) {
    const line = (node.position?.start.line ?? 1) + lineOffset;
    if (node.type === "heading" && node.depth === 2) {
      const heading = mdToString(node).trim();
      if (!KNOWN_HEADINGS.has(heading) && !STEP_HEADING.test(heading)) {
        problems.push({
          file,
          line,
          field: "section",
          message: `unknown section "## ${heading}"; use one of: ${[...KNOWN_HEADINGS, "OP <version>"].map((h) => `"## ${h}"`).join(", ")}`,
        });
      }
      if (sections.has(heading)) {
        problems.push({ file, line, field: heading, message: "this section appears twice" });
      }
      current = { heading, line, nodes: [] };
      sections.set(heading, current);
    } else if (current) {
      current.nodes.push(node);
    } else if (node.type !== "html") {
      problems.push({
        file,
        line,
        field: "section",
        message: "text before the first ## heading has no section",
      });
    }
  }
  return sections;
}

/** Plain-text paragraphs; a list becomes one paragraph per item, prefixed with a bullet. */
function paragraphs(section: Section): string[] {
  const out: string[] = [];
  for (const node of section.nodes) {
    if (node.type === "list") out.push(...(node as List).children.map((item) => `• ${itemText(item)}`));
    else out.push(collapse(mdToString(node)));
  }
  return out.filter((p) => p.length > 0);
}

function listItems(section: Section, file: string, lineOffset: number, problems: ContentProblem[]): string[] {
  const items: string[] = [];
  for (const node of section.nodes) {
    if (node.type === "list") {
      for (const item of node.children) items.push(itemText(item));
    } else {
      problems.push({
        file,
        line: (node.position?.start.line ?? 1) + lineOffset,
        field: section.heading,
        message: "this section must be a list (1. step, or - item)",
      });
    }
  }
  if (items.length === 0 && !problems.some((p) => p.file === file && p.field === section.heading)) {
    problems.push({ file, line: section.line, field: section.heading, message: "the list is empty" });
  }
  return items;
}

const collapse = (s: string) => s.replace(/\s+/g, " ").trim();
/** A list item's paragraphs joined with spaces (mdast-util-to-string would glue them together). */
const itemText = (item: ListItem) => collapse(item.children.map((child) => mdToString(child)).join(" "));
