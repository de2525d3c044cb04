import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseFlowFile } from "../core/flow/parse.js";
import type { Flow } from "../core/flow/schema.js";
import { buildKnowledgeBase } from "../core/knowledge/parse.js";
import type { KnowledgeBase } from "../core/knowledge/schema.js";

/** The repository root (where knowledge/ and flows/ live), from src/ or dist/. */
export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

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
  const knowledgeDir = join(root, "knowledge");
  const files = readdirSync(knowledgeDir)
    .filter((name) => name.endsWith(".md") && name !== "README.md")
    .sort()
    .map((name) => ({
      file: relative(root, join(knowledgeDir, name)),
      text: readFileSync(join(knowledgeDir, name), "utf8"),
    }));
  const knowledge = buildKnowledgeBase(files);
  const flowPath = join(root, "flows", "portal-check.yaml");
  const flow = parseFlowFile(relative(root, flowPath), readFileSync(flowPath, "utf8"), knowledge);
  const content = { knowledge, flow };
  cache.set(root, content);
  return content;
}
