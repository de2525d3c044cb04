import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../src/content/sources.js";

/**
 * A copy of knowledge/ and flows/ in a temp dir, for tests that show a content-only change needs
 * no code: `edit` gets the copy's root and changes files there. Returns the root (remove it after).
 */
export function copyOfContent(edit: (root: string) => void): string {
  const root = mkdtempSync(join(tmpdir(), "portal-check-content-"));
  for (const dir of ["knowledge", "flows"]) {
    cpSync(join(PROJECT_ROOT, dir), join(root, dir), { recursive: true });
  }
  edit(root);
  return root;
}

/** Rewrites one file of the copy. */
export function editFile(root: string, file: string, change: (text: string) => string): void {
  const path = join(root, file);
  writeFileSync(path, change(readFileSync(path, "utf8")));
}

/** The copy's check files (front matter `kind: check`), as paths relative to the root. */
export function checkFiles(root: string): string[] {
  return readdirSync(join(root, "knowledge"))
    .filter((name) => name.endsWith(".md") && name !== "README.md")
    .map((name) => `knowledge/${name}`)
    .filter((file) => /^kind: check$/m.test(readFileSync(join(root, file), "utf8")));
}
