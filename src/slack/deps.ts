import type { Config } from "../config.js";
import type { FlowContext } from "../core/flow/engine.js";
import type { Logger } from "../log.js";
import type { ConversationStore } from "../store/types.js";
import type { KnowledgeHelp } from "./knowledge-help.js";

/** Everything the listeners use besides Slack itself; built once in createSlackApp. */
export interface SlackDeps {
  config: Config;
  store: ConversationStore;
  content: FlowContext;
  knowledge: KnowledgeHelp;
  logger: Logger;
  /** The clock; tests pin it for date-dependent rules (end dates, patient age). */
  now: () => Date;
}
