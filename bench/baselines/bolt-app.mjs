// The minimal Bolt app the benchmarks compare with: the same receiver, endpoint, health route and
// Web API client settings as portal-check's own app (src/slack/app.ts), and nothing else. Plain
// JavaScript, so it starts without a TypeScript loader, like the built app it is compared with.
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";

/** An App on HTTPReceiver with GET /healthz; `register(app)` adds the listeners. */
export function minimalBoltApp(register) {
  const receiver = new HTTPReceiver({
    signingSecret: required("SLACK_SIGNING_SECRET"),
    endpoints: "/slack/events",
    customRoutes: [
      {
        path: "/healthz",
        method: ["GET"],
        handler: (_req, res) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ ok: true }));
        },
      },
    ],
  });
  const app = new App({
    token: required("SLACK_BOT_TOKEN"),
    receiver,
    logLevel: LogLevel.WARN,
    // The ids serve gets from auth.test at start-up: without them Bolt would call auth.test per request.
    botId: "BBOT",
    botUserId: "UBOT",
    clientOptions: {
      slackApiUrl: required("SLACK_API_URL"),
      // As the app's client (INTERACTIVE_RETRIES, 10 s timeout); the fake never fails, so no retry runs.
      retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 4000, randomize: true },
      timeout: 10_000,
    },
  });
  register(app);
  return app;
}

/** Listens on PORT, says so on stderr, and stops cleanly on SIGTERM/SIGINT. */
export async function serve(app) {
  const port = Number(process.env.PORT ?? 3000);
  await app.start(port);
  process.stderr.write(`minimal Bolt app listening on port ${port}\n`);
  const stop = () => app.stop().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

function required(name) {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`${name} is not set\n`);
    process.exit(2);
  }
  return value;
}
