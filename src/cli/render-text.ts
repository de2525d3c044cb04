import type { Prompt } from "../core/flow/prompt.js";

/** Renders engine prompts for the terminal. Numbered choices match `choiceForInput` (cli/chat/words.ts). */
export function renderPromptText(prompt: Prompt): string {
  switch (prompt.kind) {
    case "notice":
      return `(${prompt.text})\n`;
    case "check": {
      const lines = [
        rule(`Check ${prompt.position} of ${prompt.total} · OP ${prompt.version}`),
        prompt.title.toUpperCase(),
        "",
        ...prompt.body,
        "",
        `What to do in OP ${prompt.version}:`,
        ...prompt.steps.map((s, i) => `  ${i + 1}. ${s}`),
      ];
      if (prompt.notes.length > 0) lines.push("", "Good to know:", ...prompt.notes.map((n) => `  • ${n}`));
      lines.push(
        "",
        `Source: ${prompt.citations.map((c) => `"${c.section}" (OP ${c.version})`).join(", ")}`,
        "",
        prompt.question,
        ...numbered(prompt.choices),
      );
      return `${lines.join("\n")}\n`;
    }
    case "confirm_fix":
      return `${[
        rule(
          prompt.waiting
            ? `Waiting for the parent · OP ${prompt.version}`
            : `After the change · OP ${prompt.version}`,
        ),
        prompt.title.toUpperCase(),
        "",
        ...prompt.body,
        "",
        ...prompt.steps.map((s, i) => `  ${i + 1}. ${s}`),
        "",
        `Source: ${prompt.citations.map((c) => `"${c.section}" (OP ${c.version})`).join(", ")}`,
        "",
        prompt.question,
        ...numbered(prompt.choices),
      ].join("\n")}\n`;
    case "escalation_form":
      return `${[
        rule("Escalate to OP Support"),
        prompt.title.toUpperCase(),
        "",
        ...prompt.body,
        "",
        `Support's number: ${prompt.phone}. Answer the questions below; type back to return to the checks.`,
      ].join("\n")}\n`;
    default:
      return `${[rule(prompt.kind === "resolved" ? "Resolved" : "portal-check"), prompt.title.toUpperCase(), "", ...prompt.body, "", ...numbered(prompt.choices)].join("\n")}\n`;
  }
}

function numbered(choices: ReadonlyArray<{ label: string }>): string[] {
  return choices.map((c, i) => `  ${i + 1}) ${c.label}`);
}

function rule(title: string): string {
  return `\n── ${title} ${"─".repeat(Math.max(4, 72 - title.length))}`;
}
