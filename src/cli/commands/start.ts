import { slackVariablesSet } from "../../config.js";
import { type Command, write } from "../io.js";

/**
 * `npm start`: the terminal chat when no Slack variable is set, so the first run works with nothing
 * configured; otherwise the Slack app, which stops with exit 2 naming whatever is still missing
 * (a half configuration never falls back to the terminal as if all were well).
 */
export const start: Command = async (args, io) => {
  const slack = slackVariablesSet(io.env);
  if (slack.length > 0) {
    const { serve } = await import("./serve.js");
    const code = await serve(args, io);
    if (code === 2) {
      await write(
        io.stderr,
        `portal-check: starting the Slack app because ${slack.join(", ")} ${slack.length === 1 ? "is" : "are"} set; unset ${slack.length === 1 ? "it" : "them"} to use the terminal chat instead.\n`,
      );
    }
    return code;
  }
  await write(
    io.stderr,
    'portal-check: no Slack credentials, so this is the terminal chat. To run the Slack app, set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN); see the README\'s "Slack app" section.\n',
  );
  const { chat } = await import("./chat.js");
  return chat(args, io);
};
