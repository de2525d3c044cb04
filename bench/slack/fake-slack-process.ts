// The fake Slack Web API (test/support/fake-slack.ts) in a process of its own, counting calls only.
// Answering thousands of Web API calls a second must not share an event loop with the load
// generator, or the generator's own delays would show up as the app's latency.
import { startFakeSlack } from "../../test/support/fake-slack.js";
import { epochMs, type FakeReply, type FakeRequest, WEB_API_METHODS } from "./fake-slack-protocol.js";

const slack = await startFakeSlack({ countOnly: true });
const send = (reply: FakeReply) => process.send?.(reply);

// When the latest call arrived, to the millisecond: the benchmark stops its clock there.
let seen = 0;
let lastCallAt: number | null = null;
setInterval(() => {
  const total = slack.count();
  if (total !== seen) {
    seen = total;
    lastCallAt = epochMs();
  }
}, 1);

process.on("message", (message: FakeRequest) => {
  if (message.type === "close") {
    slack.close().then(() => process.exit(0));
    return;
  }
  const byMethod: Record<string, number> = {};
  let known = 0;
  for (const method of WEB_API_METHODS) {
    const n = slack.count(method);
    if (n > 0) byMethod[method] = n;
    known += n;
  }
  const total = slack.count();
  // A method outside the list still counts, so a change in the app's calls cannot hide.
  if (total > known) byMethod.other = total - known;
  send({ type: "counts", id: message.id, total, byMethod, lastCallAt });
});
// Stop with the benchmark, however it ends.
process.on("disconnect", () => process.exit(0));
send({ type: "ready", url: slack.url });
