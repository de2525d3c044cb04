import { hasSlackCredentials } from "../../config.js";
import { type Command, write } from "../io.js";

/**
 * `npm start`: the Slack app when Slack credentials are set, otherwise the terminal chat, so the
 * first run works with nothing configured.
 */
export const start: Command = async (args, io) => {
  if (hasSlackCredentials(io.env)) {
    const { serve } = await import("./serve.js");
    return serve(args, io);
  }
  await write(
    io.stderr,
    'portal-check: no Slack credentials, so this is the terminal chat. To run the Slack app, set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN); see the README\'s "Slack app" section.\n',
  );
  const { chat } = await import("./chat.js");
  return chat(args, io);
};
