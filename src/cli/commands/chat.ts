import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { z } from "zod";
import { loadContentQuickly } from "../../content/snapshot.js";
import { detailsFromAnswers, EscalationDetails } from "../../core/escalation/details.js";
import { buildEscalationReport, formatEscalationText } from "../../core/escalation/report.js";
import { eventForChoice } from "../../core/flow/choices.js";
import { currentPrompts, type FlowContext, handle, startConversation } from "../../core/flow/engine.js";
import type { ChoiceValue, Prompt } from "../../core/flow/prompt.js";
import type { EscalationField } from "../../core/flow/schema.js";
import type { FlowEvent } from "../../core/flow/state.js";
import type { OpVersion } from "../../core/ids.js";
import { openStore } from "../../store/open.js";
import type { ConversationRecord, ConversationStore } from "../../store/types.js";
import { CLI, type CliIO, type Command, opVersionOption, UsageError, write } from "../io.js";
import { renderPromptText } from "../render-text.js";

const HELP = `Usage: ${CLI} chat [--op-version V] [--new] [--session NAME]

Walks the portal checks in this terminal, one at a time. Answer with the number of a choice,
or type back, skip, escalate, restart, help or quit. Works with piped input too (use --new
there, so a saved conversation is not resumed at a screen the input was not written for).

After "fixed", call the parent: the conversation is resolved only when the parent confirmed they see
the child. Answer "waiting" to keep it open; the next \`${CLI} chat\` comes back to the question.

Every answer is saved (DATABASE_URL, default ./data/portal-check.db). If the terminal is closed
or the process is killed, the next \`${CLI} chat\` resumes at the same check.
  --op-version V   skip the version question: one of the OP versions in knowledge/ (also: OP_VERSION)
  --new            discard the saved conversation and start over
  --session NAME   keep a separate conversation under NAME (default: "default")
`;

/** What the terminal keeps besides the engine state: the escalation answers typed so far. */
const TerminalSurface = z.object({
  form: z.record(z.string(), z.string()).default({}),
});

const WORDS: Record<string, ChoiceValue | "quit" | "help"> = {
  back: "back",
  b: "back",
  undo: "back",
  skip: "skip",
  s: "skip",
  escalate: "escalate",
  e: "escalate",
  restart: "restart",
  "start over": "restart",
  fixed: "fixed",
  yes: "fixed",
  y: "fixed",
  "not fixed": "not_fixed",
  no: "not_fixed",
  n: "not_fixed",
  // After "fixed": has the parent confirmed?
  confirmed: "parent_confirmed",
  "parent confirmed": "parent_confirmed",
  waiting: "await_parent",
  wait: "await_parent",
  later: "await_parent",
  "not seen": "parent_not_seen",
  "still not": "parent_not_seen",
  quit: "quit",
  q: "quit",
  exit: "quit",
  help: "help",
  "?": "help",
};

/** Maps what was typed at a prompt to a choice; undefined when it matches nothing on offer. */
export function choiceForInput(input: string, prompt: Prompt): ChoiceValue | "quit" | "help" | undefined {
  const text = input.trim().toLowerCase().replace(/\s+/g, " ");
  const choices = "choices" in prompt ? prompt.choices : [];
  if (/^\d+$/.test(text)) return choices[Number(text) - 1]?.value;
  let word = WORDS[text];
  // "Has the parent confirmed?": yes and no answer that question.
  if (prompt.kind === "confirm_fix" && word === "fixed") word = "parent_confirmed";
  if (prompt.kind === "confirm_fix" && word === "not_fixed") word = "parent_not_seen";
  if (word === "quit" || word === "help") return word;
  // On the first question the engine answers `back` with "nothing to undo yet".
  if (word === "back" && prompt.kind === "choose_version") return word;
  if (word && (wordsAt(prompt).includes(word as Word) || choices.some((c) => c.value === word))) return word;
  // A typed version answers the version question when it is one of the choices ("OP 14.19", "20").
  const version = /^(?:op\s*)?(\d+(?:\.\d+)?)$/.exec(text)?.[1];
  if (version && prompt.kind === "choose_version")
    return choices.find((c) => c.value === (version === "20" ? "version:newer" : `version:${version}`))
      ?.value;
  return undefined;
}

type Word = "back" | "skip" | "escalate" | "restart" | "quit";

/**
 * The words that do something at this prompt, as the hint and `help` list them. The version
 * question has none but quit: skipping it or escalating before it would leave every later screen
 * without the version its menus are given in.
 */
function wordsAt(prompt: Prompt): Word[] {
  if (prompt.kind === "choose_version") return ["quit"];
  const offered = new Set<string>("choices" in prompt ? prompt.choices.map((c) => c.value) : []);
  const words: Word[] = [];
  if (prompt.kind !== "escalated") words.push("back");
  if (offered.has("skip")) words.push("skip");
  if (offered.has("escalate")) words.push("escalate");
  words.push("restart", "quit");
  return words;
}

const WORD_HELP: Record<Word, string> = {
  back: "undo the last answer and show that screen again",
  skip: "go on to the next check without answering this one",
  escalate: "stop the checks and answer the questions for the call to OP Support",
  restart: "start over from the first check (the answers so far are dropped)",
  quit: `stop here; the conversation is saved and \`${CLI} chat\` continues it`,
};

export const chat: Command = async (args, io) => {
  const { values } = parseOrExplain(args);
  if (values.help) {
    await write(io.stdout, HELP);
    return 0;
  }
  // The build's snapshot of knowledge/ and flows/ while it matches them (a faster first prompt).
  const ctx = await loadContentQuickly();
  const version = opVersionOption(values["op-version"], io.env, ctx.knowledge);
  const store = await openStore(io.env, io.cwd);
  try {
    const session = new ChatSession(ctx, store, io, `terminal:${values.session ?? "default"}`);
    await session.open({ version, fresh: values.new ?? false });
    const lines = createInterface({ input: io.stdin, terminal: false });
    const interactive = "isTTY" in io.stdin && io.stdin.isTTY === true;
    if (interactive) await write(io.stdout, "> ");
    for await (const line of lines) {
      if (!(await session.input(line))) {
        lines.close();
        return 0;
      }
      if (interactive) await write(io.stdout, "> ");
    }
    await session.inputEnded();
    return 0;
  } finally {
    await store.close();
  }
};

function parseOrExplain(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        "op-version": { type: "string" },
        new: { type: "boolean" },
        session: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${HELP}`);
  }
}

/**
 * One terminal conversation. Every accepted answer is written to the store with compare-and-set
 * before the next prompt is shown, so a killed process resumes exactly where it was.
 */
export class ChatSession {
  private record!: ConversationRecord;
  private prompt!: Prompt;
  /** Lines of a multi-line field being typed (not stored until the field is complete). */
  private pendingLines: string[] | undefined;

  constructor(
    private readonly ctx: FlowContext,
    private readonly store: ConversationStore,
    private readonly io: CliIO,
    private readonly key: string,
  ) {}

  async open(options: { version?: OpVersion; fresh: boolean }) {
    const saved = await this.store.getByKey(this.key);
    const finished = saved && (saved.state.phase === "resolved" || saved.state.phase === "escalated");
    if (saved && (options.fresh || finished)) {
      // Release the key; the finished conversation stays until it expires or is purged.
      await this.store.update(saved.id, saved.revision, { key: null });
    } else if (saved) {
      this.record = saved;
      const at = new Date(saved.updatedAt).toLocaleString();
      await this.say(`Resuming the conversation saved ${at}. Type restart to start over.\n`);
      await this.show(currentPrompts(this.ctx, saved.state));
      return;
    }
    const now = new Date().toISOString();
    const { state, prompts } = startConversation(this.ctx, {
      type: "start",
      at: now,
      version: options.version,
    });
    this.record = await this.store.create({ id: randomUUID(), key: this.key, state, surface: { form: {} } });
    await this.say(`portal-check: ${this.ctx.flow.title}.\nType help at any time.\n`);
    await this.show(prompts);
  }

  /** Handles one line of input; false when the session is over. */
  async input(raw: string): Promise<boolean> {
    if (this.prompt.kind === "escalation_form") return this.formInput(raw);
    const choice = choiceForInput(raw, this.prompt);
    if (choice === "quit") return this.quit();
    if (choice === "help") {
      await this.say(this.helpText());
      return true;
    }
    if (choice === undefined) {
      if (raw.trim() !== "") await this.say(`"${raw.trim()}" ${this.refusal(raw)}\n`);
      await this.say(this.helpLine());
      return true;
    }
    await this.apply(
      eventForChoice(
        choice,
        new Date().toISOString(),
        this.prompt.kind === "check" ? this.prompt.check : undefined,
      ),
    );
    return true;
  }

  async inputEnded() {
    if (this.pendingLines !== undefined && this.pendingLines.length > 0) await this.formInput("");
    const phase = this.record.state.phase;
    if (phase !== "resolved" && phase !== "escalated") {
      await this.say(`\nInput ended. The conversation is saved; run \`${CLI} chat\` to continue.\n`);
    }
  }

  private async quit() {
    await this.say(`Saved. Run \`${CLI} chat\` to continue where you left off.\n`);
    return false;
  }

  private helpLine() {
    const count = "choices" in this.prompt ? this.prompt.choices.length : 0;
    const words = [...wordsAt(this.prompt), "help"].join(", ");
    if (count === 0) return `Type ${words}.\n`;
    return `Type ${count === 1 ? "1" : `a number from 1 to ${count}`}, or ${words}.\n`;
  }

  /** `help`: what each word does here, not just their names. */
  private helpText() {
    const lines = ["Answer with the number of a choice."];
    if (this.prompt.kind === "choose_version") {
      const versions = this.prompt.choices.flatMap((c) =>
        c.value === "version:newer" ? [] : [c.value.slice(8)],
      );
      lines.push(
        `The version can also be typed: ${[...versions, "20"].join(", ").replace(/, (?=[^,]*$)/, " or ")}.`,
      );
    }
    if (this.prompt.kind === "check")
      lines.push('"fixed" or "yes", and "not fixed" or "no", answer the question too.');
    for (const word of wordsAt(this.prompt)) lines.push(`  ${word.padEnd(9)} ${WORD_HELP[word]}`);
    return `${lines.join("\n")}\n`;
  }

  /** Why a typed word that is not a choice here was refused. */
  private refusal(raw: string) {
    const word = WORDS[raw.trim().toLowerCase()];
    if (this.prompt.kind === "choose_version" && (word === "skip" || word === "escalate")) {
      return "does not work on this question: every later screen gives the steps in your version's menus, so choose the version first.";
    }
    return "is not one of the choices.";
  }

  private async apply(event: FlowEvent, surface?: Record<string, unknown>) {
    const { kind, state, prompts } = handle(this.ctx, this.record.state, event);
    if (kind === "refused" && !surface) {
      // Nothing moved (e.g. `back` on the first screen): the engine's notice, not the same screen again.
      for (const p of prompts) if (p.kind === "notice") await this.say(renderPromptText(p));
      if (this.prompt.kind === "escalation_form") await this.askNextField();
      else await this.say(this.helpLine());
      return;
    }
    if (kind === "moved" || surface) {
      const result = await this.store.update(this.record.id, this.record.revision, {
        state,
        ...(surface ? { surface } : {}),
      });
      if (!result.ok) {
        // Another terminal on the same session answered first: show where it is now.
        if (!result.current)
          throw new Error("the saved conversation has expired or been purged; run chat again");
        this.record = result.current;
        await this.say("This conversation was changed elsewhere; here is where it is now.\n");
        await this.show(currentPrompts(this.ctx, result.current.state));
        return;
      }
      this.record = result.record;
    }
    await this.show(prompts);
  }

  private async show(prompts: Prompt[]) {
    for (const prompt of prompts) {
      await this.say(renderPromptText(prompt));
      if (prompt.kind !== "notice") this.prompt = prompt;
    }
    if (this.prompt.kind === "escalation_form") await this.askNextField();
    if (this.prompt.kind === "escalated" && this.record.state.escalation) {
      const report = buildEscalationReport(this.ctx, this.record.state, this.record.state.escalation);
      await this.say(`\n${formatEscalationText(report)}\n\n${this.helpLine()}`);
    }
  }

  // --- the escalation form, one field at a time ---------------------------------------------

  private get form(): Record<string, string> {
    return TerminalSurface.parse(this.record.surface).form;
  }

  private nextField(): EscalationField | undefined {
    if (this.prompt.kind !== "escalation_form") return undefined;
    return this.prompt.fields.find((f) => this.form[f.id] === undefined);
  }

  private async askNextField() {
    const field = this.nextField();
    if (!field || this.prompt.kind !== "escalation_form") return;
    const lines = [field.label];
    if (field.hint) lines.push(`  ${field.hint}`);
    const prefill = this.prompt.prefill[field.id];
    if (field.kind === "lines") {
      if (prefill) {
        lines.push("  So far:", ...prefill.split("\n").map((l) => `    ${l}`));
        lines.push("  Type more lines to add, then an empty line (an empty line right away keeps it as is).");
      } else {
        lines.push("  One per line; an empty line ends the list.");
      }
    }
    if (field.kind === "yes_no") lines.push("  Answer yes or no.");
    await this.say(`${lines.join("\n")}\n`);
  }

  private async formInput(raw: string): Promise<boolean> {
    const field = this.nextField();
    const word = WORDS[raw.trim().toLowerCase()];
    if (
      this.pendingLines === undefined &&
      (word === "quit" || word === "back" || word === "restart" || word === "help")
    ) {
      if (word === "quit") return this.quit();
      if (word === "help") {
        await this.say(
          `Answer the question above. Lists take one item per line and an empty line to finish.\n${(["back", "restart", "quit"] as const).map((w) => `  ${w.padEnd(9)} ${WORD_HELP[w]}`).join("\n")}\n`,
        );
        return true;
      }
      await this.apply({ type: word, at: new Date().toISOString() });
      return true;
    }
    if (!field || this.prompt.kind !== "escalation_form") return true;
    let value: string;
    if (field.kind === "lines") {
      if (raw.trim() !== "") {
        // Each line is checked as it comes, so a bad one is refused alone and the good ones stay.
        const problem = fieldProblem(field, raw.trim());
        if (problem) {
          const kept = this.pendingLines?.length ?? 0;
          await this.say(
            `That line was not added: ${problem} ${kept > 0 ? `The ${kept === 1 ? "line" : `${kept} lines`} before it ${kept === 1 ? "is" : "are"} kept. ` : ""}Type it again, or an empty line to finish.\n`,
          );
          return true;
        }
        this.pendingLines = [...(this.pendingLines ?? []), raw.trim()];
        return true;
      }
      const prefill = this.prompt.prefill[field.id] ?? "";
      value = [prefill, ...(this.pendingLines ?? [])].filter((l) => l !== "").join("\n");
      this.pendingLines = undefined;
    } else {
      value = raw.trim();
    }
    const problem = fieldProblem(field, value);
    if (problem) {
      await this.say(`That does not work: ${problem}\n`);
      await this.askNextField();
      return true;
    }
    const form = { ...this.form, [field.id]: value };
    if (this.nextFieldIn(form)) {
      await this.saveForm(form);
      await this.askNextField();
      return true;
    }
    const details = EscalationDetails.parse(detailsFromAnswers(form));
    await this.apply({ type: "submit_escalation", at: new Date().toISOString(), details }, { form: {} });
    return true;
  }

  private nextFieldIn(form: Record<string, string>) {
    return this.prompt.kind === "escalation_form" && this.prompt.fields.some((f) => form[f.id] === undefined);
  }

  private async saveForm(form: Record<string, string>) {
    const result = await this.store.update(this.record.id, this.record.revision, { surface: { form } });
    if (result.ok) this.record = result.record;
    else if (result.current) this.record = result.current;
  }

  private say(text: string) {
    return write(this.io.stdout, text);
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
