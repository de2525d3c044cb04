import { z } from "zod";
import type { EscalationDetails } from "../../core/escalation/details.js";
import { buildEscalationReport, formatEscalationText } from "../../core/escalation/report.js";
import { eventForChoice } from "../../core/flow/choices.js";
import { currentPrompts, type FlowContext, handle, startConversation } from "../../core/flow/engine.js";
import type { Prompt } from "../../core/flow/prompt.js";
import { type FlowEvent, isFinished } from "../../core/flow/state.js";
import type { OpVersion } from "../../core/ids.js";
import { newRecordId } from "../../store/ids.js";
import type { ConversationStore, StoredConversation } from "../../store/types.js";
import { CLI, type CliIO, write } from "../io.js";
import { renderPromptText } from "../render-text.js";
import { TerminalForm } from "./form.js";
import { choiceForInput, helpLine, helpText, refusal } from "./words.js";

/** What the terminal keeps besides the engine state: the escalation answers typed so far. */
const TerminalSurface = z.object({
  form: z.record(z.string(), z.string()).default({}),
});

/**
 * One terminal conversation. Every accepted answer is written to the store with compare-and-set
 * before the next prompt is shown, so a killed process resumes exactly where it was. What a line
 * means is words.ts's; the escalation form is form.ts's; the time comes from `now`.
 */
export class ChatSession {
  private record!: StoredConversation;
  private prompt!: Prompt;
  private readonly form: TerminalForm;

  constructor(
    private readonly ctx: FlowContext,
    private readonly store: ConversationStore,
    private readonly io: CliIO,
    private readonly key: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.form = new TerminalForm({
      answers: () => TerminalSurface.parse(this.record.surface).form,
      save: (answers) => this.saveForm(answers),
      submit: (details: EscalationDetails) =>
        this.apply({ type: "submit_escalation", at: this.at(), details }, { form: {} }),
      leave: (word) => this.apply({ type: word, at: this.at() }),
      quit: () => this.quit(),
      say: (text) => this.say(text),
    });
  }

  async open(options: { version?: OpVersion; fresh: boolean }) {
    const saved = await this.store.getByKey(this.key);
    if (saved && (options.fresh || isFinished(saved.state))) {
      // Release the key; the finished conversation stays until it expires or is purged.
      await this.store.update(saved.id, saved.revision, { key: null });
    } else if (saved) {
      this.record = saved;
      const at = new Date(saved.updatedAt).toLocaleString();
      await this.say(`Resuming the conversation saved ${at}. Type restart to start over.\n`);
      await this.show(currentPrompts(this.ctx, saved.state));
      return;
    }
    const { state, prompts } = startConversation(this.ctx, {
      type: "start",
      at: this.at(),
      version: options.version,
    });
    this.record = await this.store.create({ id: newRecordId(), key: this.key, state, surface: { form: {} } });
    await this.say(`portal-check: ${this.ctx.flow.title}.\nType help at any time.\n`);
    await this.show(prompts);
  }

  /** Handles one line of input; false when the session is over. */
  async input(raw: string): Promise<boolean> {
    if (this.prompt.kind === "escalation_form") return this.form.input(this.prompt, raw);
    const choice = choiceForInput(raw, this.prompt);
    if (choice === "quit") return this.quit();
    if (choice === "help") {
      await this.say(helpText(this.prompt));
      return true;
    }
    if (choice === undefined) {
      if (raw.trim() !== "") await this.say(`"${raw.trim()}" ${refusal(raw, this.prompt)}\n`);
      await this.say(helpLine(this.prompt));
      return true;
    }
    await this.apply(
      eventForChoice(choice, this.at(), this.prompt.kind === "check" ? this.prompt.check : undefined),
    );
    return true;
  }

  async inputEnded() {
    if (this.prompt.kind === "escalation_form" && this.form.typingList)
      await this.form.input(this.prompt, "");
    if (!isFinished(this.record.state)) {
      await this.say(`\nInput ended. The conversation is saved; run \`${CLI} chat\` to continue.\n`);
    }
  }

  private at(): string {
    return this.now().toISOString();
  }

  private async quit(): Promise<false> {
    await this.say(`Saved. Run \`${CLI} chat\` to continue where you left off.\n`);
    return false;
  }

  private async apply(event: FlowEvent, surface?: Record<string, unknown>) {
    const { kind, state, prompts } = handle(this.ctx, this.record.state, event);
    if (kind === "refused" && !surface) {
      // Nothing moved (e.g. `back` on the first screen): the engine's notice, not the same screen again.
      for (const p of prompts) if (p.kind === "notice") await this.say(renderPromptText(p));
      if (this.prompt.kind === "escalation_form") await this.form.ask(this.prompt);
      else await this.say(helpLine(this.prompt));
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
    if (this.prompt.kind === "escalation_form") await this.form.ask(this.prompt);
    if (this.prompt.kind === "escalated" && this.record.state.escalation) {
      const report = buildEscalationReport(this.ctx, this.record.state, this.record.state.escalation);
      await this.say(`\n${formatEscalationText(report)}\n\n${helpLine(this.prompt)}`);
    }
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
