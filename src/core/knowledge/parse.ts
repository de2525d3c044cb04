import type { List, ListItem, Root, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { toString as mdToString } from "mdast-util-to-string";
import { ContentError, type ContentProblem } from "../content-error.js";
import { CHECK_IDS, OP_VERSIONS, type OpVersion } from "../ids.js";
import { parseYamlWithSchema } from "../yaml-content.js";
import { EntryFrontMatter, type KnowledgeBase, type KnowledgeEntry, STEP_HEADINGS } from "./schema.js";

const WHY = "Why it matters";
const NOTES = "Good to know";
const SHARED_STEPS = "Steps";
/** Optional: how to close a contact's access on purpose (asked as "how do I block the nanny"). */
const KEEP_OUT = "To keep someone out";
const KNOWN_HEADINGS = new Set([WHY, NOTES, SHARED_STEPS, KEEP_OUT, ...Object.values(STEP_HEADINGS)]);

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
  // Parsed once: both versions may fall back to it, and its problems must be reported once.
  const shared = sections.get(SHARED_STEPS);
  const sharedSteps = shared && listItems(shared, file, frontLines, problems);
  for (const version of OP_VERSIONS) {
    const own = sections.get(STEP_HEADINGS[version]);
    const items = own ? listItems(own, file, frontLines, problems) : sharedSteps;
    if (items) steps[version] = items;
  }
  if (front?.kind === "check") {
    for (const version of OP_VERSIONS) {
      if (!sections.has(STEP_HEADINGS[version])) {
        problems.push({
          file,
          line: frontLines + 1,
          field: STEP_HEADINGS[version],
          message: `a check needs a "## ${STEP_HEADINGS[version]}" section with numbered steps`,
        });
      }
    }
    if (!(CHECK_IDS as readonly string[]).includes(front.id)) {
      problems.push({
        file,
        line: lineAt(["id"]),
        field: "id",
        message: `a check's id must be one of ${CHECK_IDS.join(", ")}`,
      });
    }
  }
  if (front?.kind === "reference" && (CHECK_IDS as readonly string[]).includes(front.id)) {
    problems.push({
      file,
      line: lineAt(["kind"]),
      field: "kind",
      message: `"${front.id}" is a check id, so the entry must be "kind: check" with steps per OP version`,
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
  for (const id of CHECK_IDS) {
    if (!entries.has(id) && !problems.some((p) => p.field === "id")) {
      problems.push({ file: "knowledge/", line: 1, field: "id", message: `no entry for check "${id}"` });
    }
  }
  if (problems.length > 0) throw new ContentError(problems);
  return entries;
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
      if (!KNOWN_HEADINGS.has(heading)) {
        problems.push({
          file,
          line,
          field: "section",
          message: `unknown section "## ${heading}"; use one of: ${[...KNOWN_HEADINGS].map((h) => `"## ${h}"`).join(", ")}`,
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
