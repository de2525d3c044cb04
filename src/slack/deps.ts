import type { WebClient } from "@slack/web-api";
import type { Config } from "../config.js";
import type { FlowContext } from "../core/flow/engine.js";
import type { Logger } from "../log.js";
import type { ConversationStore } from "../store/types.js";
import type { MessageUpdates } from "./conversation/redraws.js";
import type { KnowledgeHelp } from "./knowledge-help.js";

/** How escalations leave the outbox (see outbox/deliver.ts). */
export interface OutboxSettings {
  /**
   * Posts escalations. It never retries by itself: a post whose answer was lost may have landed,
   * and only the outbox checks the channel before trying again. Rate limits come back to the
   * outbox too (a 429 means nothing was posted), which waits and posts again.
   */
  client: WebClient;
  /** How long one instance may hold an escalation while posting it before another may try. */
  leaseMs: number;
  /** The first wait before a failed post is tried again; it doubles with each failure. */
  retryMs: number;
}

/** Everything the listeners use besides Slack itself; built once in createSlackApp. */
export interface SlackDeps {
  config: Config;
  store: ConversationStore;
  content: FlowContext;
  knowledge: KnowledgeHelp;
  logger: Logger;
  /** The clock; tests pin it for date-dependent rules (end dates, patient age). */
  now: () => Date;
  outbox: OutboxSettings;
  /** This instance's chat.update calls, one in flight per message, newest drawing first. */
  redraws: MessageUpdates;
}
