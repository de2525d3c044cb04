import { parseFlowFile } from "../core/flow/parse.js";
import type { Flow } from "../core/flow/schema.js";
import {
  type LabelledQuestion,
  parseLabelledQuestions,
  withLabelledQuestions,
} from "../core/knowledge/labelled-questions.js";
import { buildKnowledgeBase } from "../core/knowledge/parse.js";
import type { KnowledgeBase } from "../core/knowledge/schema.js";
import { type ContentSources, PROJECT_ROOT, readContentSources } from "./sources.js";

export { PROJECT_ROOT };

/** The content's parts from the project's files (the evaluation's view; parsed on each call). */
export function loadContentParts(root: string = PROJECT_ROOT): ContentParts {
  return parseContentParts(readContentSources(root));
}

export interface Content {
  /** The entries, with the labelled questions (knowledge/questions.yaml) among their examples. */
  knowledge: KnowledgeBase;
  flow: Flow;
}

/** The content in its parts, as the evaluation needs them. */
export interface ContentParts {
  /** The entries as written, without the labelled questions (cross-validation adds its own folds). */
  written: KnowledgeBase;
  /** knowledge/questions.yaml: labelled staff questions, the evaluation's tuning part too. */
  questions: LabelledQuestion[];
  flow: Flow;
}

const cache = new Map<string, Content>();

/**
 * Reads and validates knowledge/ (the entries and questions.yaml) and flows/portal-check.yaml. Throws ContentError (file, line,
 * field) when anything is wrong, so start-up stops with a message a maintainer can act on.
 */
export function loadContent(root: string = PROJECT_ROOT): Content {
  const cached = cache.get(root);
  if (cached) return cached;
  const content = parseContent(readContentSources(root));
  cache.set(root, content);
  return content;
}

/** Parses and validates the given sources (no cache); throws ContentError like loadContent. */
export function parseContent(sources: ContentSources): Content {
  const { written, questions, flow } = parseContentParts(sources);
  return { knowledge: withLabelledQuestions(written, questions), flow };
}

/** The content's parts (no cache); throws ContentError like loadContent. */
export function parseContentParts(sources: ContentSources): ContentParts {
  const entries = buildKnowledgeBase(sources.knowledge);
  const flow = parseFlowFile(sources.flow.file, sources.flow.text, entries);
  const questions = parseLabelledQuestions(sources.questions.file, sources.questions.text, entries);
  return { written: withFlowPositions(entries, flow), questions, flow };
}

/**
 * Each check entry with the position of its step in the flow: the order every list of checks
 * follows (checkIdsOf). The entries stay in file order (the search index is built in that order).
 */
function withFlowPositions(knowledge: KnowledgeBase, flow: Flow): KnowledgeBase {
  const positions = new Map(flow.steps.map((step, i) => [step.knowledge ?? step.id, i]));
  return new Map(
    [...knowledge].map(([id, entry]) => {
      const position = positions.get(id);
      return [id, position === undefined ? entry : { ...entry, position }];
    }),
  );
}
