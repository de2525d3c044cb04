import type { WebClient } from "@slack/web-api";
import { redactQuestionText } from "../../core/feedback/redact.js";
import type { KnowledgeAnswer } from "../../core/knowledge/answer-schema.js";
import { opVersionsOf } from "../../core/knowledge/schema.js";
import { newRecordId } from "../../store/ids.js";
import { renderAnswer, renderIntro } from "../blocks/answer.js";
import type { SlackMessage } from "../blocks/prompt.js";
import type { SlackDeps } from "../deps.js";
import { describeSlackFailure } from "../slack-errors.js";

export interface Question {
  channel: string;
  /** Answer in this thread (the mention's own thread, or a new one under it). */
  thread: string;
  user: string;
  /** The question without the mention; may be empty. */
  text: string;
}

/** Answers a mention or a DM in its thread. The question is not repeated (it may name a child). */
export async function answerQuestion(deps: SlackDeps, client: WebClient, q: Question): Promise<void> {
  let message: SlackMessage;
  if (q.text) {
    const answer = await deps.knowledge.answer(q.text, deps.config.opVersion);
    message = renderAnswer(deps.content, answer, q.user, await storeQuestion(deps, q.text, answer));
  } else {
    message = renderIntro(q.user);
  }
  try {
    await client.chat.postMessage({ channel: q.channel, thread_ts: q.thread, ...message });
    deps.logger.info({ channel: q.channel, answered: q.text !== "" }, "question answered");
  } catch (err) {
    deps.logger.warn(
      { channel: q.channel, code: describeSlackFailure(err).code },
      "could not post an answer",
    );
  }
}

/**
 * Keeps the question, redacted, for `portal-check questions`; returns its id for the 👍 / 👎
 * buttons. A store failure costs only the buttons, never the answer.
 */
async function storeQuestion(deps: SlackDeps, text: string, answer: KnowledgeAnswer) {
  const id = newRecordId();
  try {
    await deps.store.recordQuestion(
      {
        id,
        text: redactQuestionText(text, opVersionsOf(deps.content.knowledge)),
        outcome: answer.outcome,
        top: answer.entries[0] ?? null,
        confidence: answer.confidence,
      },
      deps.now(),
    );
    return id;
  } catch (err) {
    deps.logger.warn({ err: (err as Error).name }, "could not store the question for review");
    return undefined;
  }
}
