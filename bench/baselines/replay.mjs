// Baseline "same Web API calls": acknowledges each slash command or button click, then makes the
// Web API calls portal-check made per request in the same run (counted at the fake Slack API), one
// after another as the app does, with one fixed message: no engine, no store, no rendering.
//
// BENCH_REPLAY: JSON {method: calls per request}, e.g. {"chat.postMessage": 2}. Fractions are
// spread evenly (0.5 = one call every other request), so the totals match the app's.
// BENCH_MESSAGE_FILE: JSON {text, blocks}, a message the app drew, posted as it is.
import { readFileSync } from "node:fs";
import { minimalBoltApp, serve } from "./bolt-app.mjs";

const mix = Object.entries(JSON.parse(process.env.BENCH_REPLAY ?? "{}"));
const message = JSON.parse(readFileSync(process.env.BENCH_MESSAGE_FILE ?? "", "utf8"));
const owed = new Map(mix.map(([method]) => [method, 0]));

/** The calls this request makes: each method's share, carried over so fractions add up. */
function callsForThisRequest() {
  const calls = [];
  for (const [method, perRequest] of mix) {
    const due = owed.get(method) + perRequest;
    const whole = Math.floor(due + 1e-9);
    owed.set(method, due - whole);
    for (let i = 0; i < whole; i++) calls.push(method);
  }
  return calls;
}

async function replay({ client, respond, channel, ts, user, triggerId }) {
  for (const method of callsForThisRequest()) {
    switch (method) {
      case "response_url":
        await respond({ response_type: "ephemeral", text: message.text });
        break;
      case "chat.postMessage":
        await client.chat.postMessage({ channel, thread_ts: ts, ...message });
        break;
      case "chat.update":
        await client.chat.update({ channel, ts: ts ?? "1790000000.000001", ...message });
        break;
      case "chat.postEphemeral":
        await client.chat.postEphemeral({ channel, user, text: message.text });
        break;
      case "views.open":
        await client.views.open({
          trigger_id: triggerId,
          view: { type: "modal", title: { type: "plain_text", text: "Bench" }, blocks: message.blocks },
        });
        break;
      default:
        await client.apiCall(method, { channel, ts });
    }
  }
}

const app = minimalBoltApp((app) => {
  app.command(/.*/, async ({ ack, command, client, respond }) => {
    await ack();
    await replay({
      client,
      respond,
      channel: command.channel_id,
      user: command.user_id,
      triggerId: command.trigger_id,
    });
  });
  app.action(/.*/, async ({ ack, body, client, respond }) => {
    await ack();
    await replay({
      client,
      respond,
      channel: body.channel?.id,
      ts: body.message?.ts,
      user: body.user.id,
      triggerId: body.trigger_id,
    });
  });
});
await serve(app);
