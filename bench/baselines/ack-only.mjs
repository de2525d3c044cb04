// Baseline "ack only": acknowledges every slash command and button click and does nothing else.
// The ceiling for any Bolt app on this machine, and the minimal app for the cold-start comparison.
import { minimalBoltApp, serve } from "./bolt-app.mjs";

const app = minimalBoltApp((app) => {
  app.command(/.*/, async ({ ack }) => ack());
  app.action(/.*/, async ({ ack }) => ack());
});
await serve(app);
