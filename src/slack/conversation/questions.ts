import type { WebClient } from "@slack/web-api";
import { renderAnswer, renderIntro } from "../blocks/answer.js";
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
  const message = q.text
    ? renderAnswer(deps.content, await deps.knowledge.answer(q.text, deps.config.opVersion), q.user)
    : renderIntro(q.user);
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
