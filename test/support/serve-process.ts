import { join } from "node:path";
import { type Instance, startInstance } from "../multi/instance.js";
import { tempDir } from "./cli.js";
import { type FakeSlack, startFakeSlack } from "./fake-slack.js";

/** `portal-check serve` in its own process on a fresh SQLite file, talking to a fake Slack on loopback. */
export async function startServe(): Promise<{ slack: FakeSlack; server: Instance; stop(): Promise<void> }> {
  const slack = await startFakeSlack();
  const dir = tempDir();
  const server = await startInstance(
    "serve",
    {
      SLACK_BOT_TOKEN: "xoxb-1-2",
      SLACK_API_URL: slack.url,
      OP_VERSION: "14.19",
      DATABASE_URL: join(dir, "db.sqlite"),
      LOG_LEVEL: "warn",
    },
    dir,
  );
  return {
    slack,
    server,
    async stop() {
      await server.stop();
      await slack.close();
    },
  };
}
