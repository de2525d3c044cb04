import { detailsFromAnswers, EscalationDetails } from "../../core/escalation/details.js";
import type { Prompt } from "../../core/flow/prompt.js";
import type { EscalationField } from "../../core/flow/schema.js";
import { WORD_HELP, wordOf } from "./words.js";

type FormPrompt = Extract<Prompt, { kind: "escalation_form" }>;

/** What the form needs from the session it runs in. */
export interface FormHost {
  /** The answers saved so far, by field id. */
  answers(): Record<string, string>;
  /** Saves the answers given so far (the form resumes there after a restart of the terminal). */
  save(answers: Record<string, string>): Promise<void>;
  /** Every field answered: the details for Support. */
  submit(details: EscalationDetails): Promise<void>;
  /** back or restart typed at a field: the engine's event of that name. */
  leave(word: "back" | "restart"): Promise<void>;
  quit(): Promise<false>;
  say(text: string): Promise<void>;
}

/**
 * The escalation form in the terminal, one field at a time: a text or yes/no field takes a line,
 * a list takes one item per line up to an empty line. Each line is checked as it comes, with the
 * escalation schema's own rules, so a bad one is refused alone.
 */
export class TerminalForm {
  /** Lines of a multi-line field being typed (not saved until the field is complete). */
  private pendingLines: string[] | undefined;

  constructor(private readonly host: FormHost) {}

  /** Whether a list is half typed (input that ends there still finishes it). */
  get typingList(): boolean {
    return this.pendingLines !== undefined && this.pendingLines.length > 0;
  }

  next(prompt: FormPrompt, answers = this.host.answers()): EscalationField | undefined {
    return prompt.fields.find((f) => answers[f.id] === undefined);
  }

  async ask(prompt: FormPrompt): Promise<void> {
    const field = this.next(prompt);
    if (!field) return;
    const lines = [field.label];
    if (field.hint) lines.push(`  ${field.hint}`);
    const prefill = prompt.prefill[field.id];
    if (field.kind === "lines") {
      if (prefill) {
        lines.push("  So far:", ...prefill.split("\n").map((l) => `    ${l}`));
        lines.push("  Type more lines to add, then an empty line (an empty line right away keeps it as is).");
      } else {
        lines.push("  One per line; an empty line ends the list.");
      }
    }
    if (field.kind === "yes_no") lines.push("  Answer yes or no.");
    await this.host.say(`${lines.join("\n")}\n`);
  }

  /** One typed line; false when the session is over. */
  async input(prompt: FormPrompt, raw: string): Promise<boolean> {
    const word = wordOf(raw);
    if (
      this.pendingLines === undefined &&
      (word === "quit" || word === "back" || word === "restart" || word === "help")
    ) {
      if (word === "quit") return this.host.quit();
      if (word === "help") {
        await this.host.say(
          `Answer the question above. Lists take one item per line and an empty line to finish.\n${(["back", "restart", "quit"] as const).map((w) => `  ${w.padEnd(9)} ${WORD_HELP[w]}`).join("\n")}\n`,
        );
        return true;
      }
      await this.host.leave(word);
      return true;
    }
    const field = this.next(prompt);
    if (!field) return true;
    let value: string;
    if (field.kind === "lines") {
      if (raw.trim() !== "") {
        const problem = fieldProblem(field, raw.trim());
        if (problem) {
          const kept = this.pendingLines?.length ?? 0;
          await this.host.say(
            `That line was not added: ${problem} ${kept > 0 ? `The ${kept === 1 ? "line" : `${kept} lines`} before it ${kept === 1 ? "is" : "are"} kept. ` : ""}Type it again, or an empty line to finish.\n`,
          );
          return true;
        }
        this.pendingLines = [...(this.pendingLines ?? []), raw.trim()];
        return true;
      }
      const prefill = prompt.prefill[field.id] ?? "";
      value = [prefill, ...(this.pendingLines ?? [])].filter((l) => l !== "").join("\n");
      this.pendingLines = undefined;
    } else {
      value = raw.trim();
    }
    const problem = fieldProblem(field, value);
    if (problem) {
      await this.host.say(`That does not work: ${problem}\n`);
      await this.ask(prompt);
      return true;
    }
    const answers = { ...this.host.answers(), [field.id]: value };
    if (this.next(prompt, answers)) {
      await this.host.save(answers);
      await this.ask(prompt);
      return true;
    }
    await this.host.submit(EscalationDetails.parse(detailsFromAnswers(answers)));
    return true;
  }
}

/** Checks one field as the escalation schema will; the message says what is accepted. */
function fieldProblem(field: EscalationField, value: string): string | undefined {
  if (field.kind === "yes_no") return /^(y|yes|n|no)$/i.test(value) ? undefined : "answer yes or no.";
  const shape = EscalationDetails.shape[field.id];
  const input = detailsFromAnswers({ [field.id]: value })[field.id];
  const result = shape.safeParse(input);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  const where =
    issue && typeof issue.path[0] === "number" ? ` ("${String((input as string[])[issue.path[0]])}")` : "";
  return `${issue?.message ?? "not accepted"}${where}.`;
}
