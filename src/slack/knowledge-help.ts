import type { FlowContext } from "../core/flow/engine.js";
import { orderedSteps } from "../core/flow/parse.js";
import type { Citation } from "../core/flow/prompt.js";
import type { CheckId, OpVersion } from "../core/ids.js";

/**
 * What the Slack app asks of the knowledge Q&A: a check to start at for a description, and an
 * answer to a question. The app depends on this port only, so the retriever plugs in where
 * `createSlackApp` picks the implementation.
 */
export interface QuestionAnswer {
  /** Plain-text paragraphs. */
  answer: string[];
  /** Checks the answer points at, best first; the first is where the start button begins. */
  checks: CheckId[];
  citations: Citation[];
}

export interface KnowledgeHelp {
  /** The check a free-text description points at, if any stands out. */
  suggest(text: string): Promise<CheckId | undefined>;
  answer(question: string, version: OpVersion | undefined): Promise<QuestionAnswer>;
}

/**
 * Without a retriever: no suggestion (the walk starts at the first check) and, as the answer, the
 * list of checks with an offer to walk them.
 */
export function checkListHelp(ctx: FlowContext): KnowledgeHelp {
  return {
    suggest: async () => undefined,
    answer: async () => {
      const titles = orderedSteps(ctx.flow).map(
        (step, i) => `${i + 1}. ${ctx.knowledge.get(step.knowledge ?? step.id)?.title ?? step.id}`,
      );
      return {
        answer: [
          `When ${lowerFirst(ctx.flow.title)}, these are the checks, in order:`,
          titles.join("\n"),
          "Start the guided check and I'll walk you through them one at a time.",
        ],
        checks: [],
        citations: [],
      };
    },
  };
}

function lowerFirst(s: string) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
