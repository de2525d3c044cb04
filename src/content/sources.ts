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
  /** knowledge/questions.yaml: labelled staff questions (src/core/knowledge/labelled-questions.ts). */
  questions: SourceFile;
  flow: SourceFile;
}

/** Where the labelled staff questions live, relative to the root. */
export const QUESTIONS_FILE = "knowledge/questions.yaml";

/**
 * The text of knowledge/*.md (but its README), knowledge/questions.yaml and flows/portal-check.yaml,
 * in a fixed order.
 */
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
  return {
    knowledge,
    questions: { file: QUESTIONS_FILE, text: readFileSync(join(root, QUESTIONS_FILE), "utf8") },
    flow: { file: relative(root, flowPath), text: readFileSync(flowPath, "utf8") },
  };
}
