import { parseFlowFile } from "../core/flow/parse.js";
import type { Flow } from "../core/flow/schema.js";
import { buildKnowledgeBase } from "../core/knowledge/parse.js";
import type { KnowledgeBase } from "../core/knowledge/schema.js";
import { type ContentSources, PROJECT_ROOT, readContentSources } from "./sources.js";

export { PROJECT_ROOT };

export interface Content {
  knowledge: KnowledgeBase;
  flow: Flow;
}

const cache = new Map<string, Content>();

/**
 * Reads and validates knowledge/ and flows/portal-check.yaml. Throws ContentError (file, line,
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
  const knowledge = buildKnowledgeBase(sources.knowledge);
  const flow = parseFlowFile(sources.flow.file, sources.flow.text, knowledge);
  return { knowledge: withFlowPositions(knowledge, flow), flow };
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
