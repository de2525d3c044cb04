import type { App, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { startInSlack } from "../conversation/start.js";
import type { SlackDeps } from "../deps.js";
import { tellByResponse } from "../tell.js";
import { acksFirst } from "./acks-first.js";

export const COMMAND = "/portal-check";

const HELP = [
  "*/portal-check* walks you through why a parent can't see their child on the former OP patient portal, one check at a time, in a thread.",
  "• `/portal-check`: start at the first check.",
  "• `/portal-check dad gets a server error`: start at the check that matches the description (it stays between you and me).",
  "• Mention me with a question, or send me a direct message.",
].join("\n");

export function registerCommands(app: App, deps: SlackDeps) {
  app.command(COMMAND, portalCheckCommand(deps));
}

/** `/portal-check [text]`: acknowledged at once (Slack waits 3 seconds at most), then the thread is started. */
function portalCheckCommand(deps: SlackDeps) {
  return async ({
    command,
    ack,
    respond,
    client,
  }: SlackCommandMiddlewareArgs & { client: App["client"] }) => {
    await acksFirst(ack)();
    const text = command.text.trim();
    const tell = tellByResponse(respond, deps.logger);
    if (/^(help|\?|-h|--help)$/i.test(text)) {
      await respond({ response_type: "ephemeral", text: HELP });
      return;
    }
    const result = await startInSlack(deps, client, {
      team: command.team_id,
      channel: command.channel_id,
      user: command.user_id,
      text: text || undefined,
    });
    if (result.kind === "failed") {
      deps.logger.warn(
        { channel: command.channel_id, code: result.failure.code },
        "could not start a conversation",
      );
      await tell({ text: `I couldn't start the check here. ${result.failure.advice}` });
    } else if (result.kind === "started" && result.failure) {
      await tell({
        text: `The check started, but Slack didn't show its first step. ${result.failure.advice}`,
        retry: result.record.id,
      });
    }
  };
}
