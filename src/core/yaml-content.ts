import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import type { ContentProblem } from "./content-error.js";

/** A validated YAML document plus a way to find the line of any path in it (for later checks). */
export interface ParsedYaml<T> {
  value: T | undefined;
  lineAt: (path: ReadonlyArray<string | number>) => number;
}

/**
 * Parses YAML and validates it with a zod schema, mapping each zod issue back to the line of the
 * offending YAML node so maintainers see `file:line: field: message`.
 */
export function parseYamlWithSchema<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
  firstLine: number,
  problems: ContentProblem[],
): ParsedYaml<z.infer<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number) => lineCounter.linePos(offset).line + firstLine - 1;
  // Walk up the path until a node with a source range exists (a missing key has none).
  const lineAt = (path: ReadonlyArray<string | number>) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && node.range) return lineOf(node.range[0]);
    }
    return firstLine;
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      problems.push({
        file,
        line: lineOf(e.pos[0]),
        field: "YAML",
        message: e.message.split("\n")[0] ?? e.message,
      });
    }
    return { value: undefined, lineAt };
  }
  const result = schema.safeParse(doc.toJS());
  if (result.success) return { value: result.data, lineAt };
  for (const issue of result.error.issues) {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    problems.push({
      file,
      line: lineAt(path),
      field: path.length > 0 ? path.join(".") : "(top level)",
      message:
        issue.code === "invalid_type" && / received undefined$/.test(issue.message)
          ? `missing: this field is required (${issue.message.replace(/^Invalid input: /, "").replace(/, received undefined$/, "")})`
          : issue.message,
    });
  }
  return { value: undefined, lineAt };
}
