/**
 * Errors in the editable content (knowledge/ and flows/). Maintainers edit these files
 * without touching code, so every problem names the file, the line and the field.
 */
export interface ContentProblem {
  file: string;
  line: number;
  field: string;
  message: string;
}

export class ContentError extends Error {
  readonly problems: ContentProblem[];

  constructor(problems: ContentProblem[]) {
    super(
      `The editable content has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems
        .map(formatProblem)
        .join("\n")}`,
    );
    this.name = "ContentError";
    this.problems = problems;
  }
}

export function formatProblem(p: ContentProblem): string {
  return `  ${p.file}:${p.line}: ${p.field}: ${p.message}`;
}
