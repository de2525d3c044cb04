import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (where knowledge/ and flows/ live), from src/ or dist/. */
export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface SourceFile {
  /** Relative to the root, as error messages name it. */
  file: string;
  text: string;
}

export interface ContentSources {
  knowledge: SourceFile[];
  flow: SourceFile;
}

/** The text of knowledge/*.md (but its README) and flows/portal-check.yaml, in a fixed order. */
export function readContentSources(root: string): ContentSources {
  const knowledgeDir = join(root, "knowledge");
  const knowledge = readdirSync(knowledgeDir)
    .filter((name) => name.endsWith(".md") && name !== "README.md")
    .sort()
    .map((name) => ({
      file: relative(root, join(knowledgeDir, name)),
      text: readFileSync(join(knowledgeDir, name), "utf8"),
    }));
  const flowPath = join(root, "flows", "portal-check.yaml");
  return { knowledge, flow: { file: relative(root, flowPath), text: readFileSync(flowPath, "utf8") } };
}
