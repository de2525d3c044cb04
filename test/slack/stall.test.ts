import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Instance, until } from "../multi/instance.js";
import type { FakeSlack } from "../support/fake-slack.js";
import { startServe } from "../support/serve-process.js";
import { commandBody, eventBody, USER } from "../support/slack-payloads.js";

/**
 * Item 3 of issue 17: no input can stall the event loop. The real `portal-check serve` gets the
 * worst texts found (one 40,000-character word, a 1 MB word, 4,000 characters of short made-up
 * words that all go through fuzzy matching) as a direct message, a mention and a slash command;
 * while each is being answered, /healthz must answer within 200 ms. Before the cap a 40,000-character
 * word held the event loop for 5 to 9 seconds.
 *
 * This contract holds whatever the search does inside: questionText (src/core/knowledge/question.ts)
 * caps the text at the entry point, and any retrieval behind it must keep within this bound.
 */

const HEALTH_WITHIN_MS = 200;

let slack: FakeSlack;
let server: Instance;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ slack, server, stop } = await startServe());
  // The knowledge search loads in the background a moment after start-up; a first question loads it for sure.
  await sendDm("warm up: server error");
  await until("the warm-up answer", () => slack.count("chat.postMessage") >= 1, 30_000);
}, 60_000);
afterAll(async () => {
  await stop?.();
});

let seq = 0;
function sendDm(text: string) {
  const ts = `1790000500.${String(++seq).padStart(6, "0")}`;
  const raw = eventBody({ type: "message", channel_type: "im", channel: "D0DIRECT1", user: USER, text, ts });
  return server.send(raw, "application/json");
}
function sendMention(text: string) {
  const ts = `1790000600.${String(++seq).padStart(6, "0")}`;
  const raw = eventBody({
    type: "app_mention",
    channel: "C0PRIVATE1",
    user: USER,
    text: `<@UBOT> ${text}`,
    ts,
  });
  return server.send(raw, "application/json");
}
function sendCommand(text: string) {
  return server.send(
    commandBody(text, { responseUrl: "http://127.0.0.1:9/unused" }),
    "application/x-www-form-urlencoded",
  );
}

/** Health-check latencies (ms) measured back to back until `done` is true. */
async function healthWhile(done: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  const deadline = Date.now() + 30_000;
  while (!done() && Date.now() < deadline) {
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    latencies.push(performance.now() - started);
  }
  expect(done()).toBe(true);
  return latencies;
}

let prng = 7;
const letter = () => {
  prng = (prng * 1103515245 + 12345) % 2147483648;
  return String.fromCharCode(97 + (prng % 26));
};
const shortWords = Array.from({ length: 800 }, () => `${letter()}${letter()}${letter()}${letter()}`).join(
  " ",
);

const WORST: Array<[string, string]> = [
  ["one 40,000-character word", `dad cannot log in ${"a".repeat(40_000)}`],
  ["a 40,000-character URL", `see https://portal.example.org/${"ab".repeat(20_000)}`],
  ["a 1 MB word", "x".repeat(1_000_000)],
  ["4,000 characters of short made-up words", shortWords],
];

/**
 * The slowest health check while `send` is answered (until Slack got `posts` more messages), best
 * of three tries: on a machine shared with other work one try can be held up by the scheduler, but
 * a stall in the server (seconds, every time) fails all three.
 */
async function slowestHealth(send: () => Promise<Response>, posts = 1): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3 && best >= HEALTH_WITHIN_MS; attempt++) {
    const before = slack.count("chat.postMessage");
    const sent = await send();
    expect(sent.status).toBe(200);
    const latencies = await healthWhile(() => slack.count("chat.postMessage") >= before + posts);
    best = Math.min(best, Math.max(...latencies));
  }
  return best;
}

describe("the server keeps answering while it answers the worst input", () => {
  for (const [what, text] of WORST) {
    it(`a direct message with ${what}`, async () => {
      expect(await slowestHealth(() => sendDm(text))).toBeLessThan(HEALTH_WITHIN_MS);
    }, 90_000);
  }

  it("a mention with a 40,000-character word", async () => {
    const text = `why a server error ${"q".repeat(40_000)}`;
    expect(await slowestHealth(() => sendMention(text))).toBeLessThan(HEALTH_WITHIN_MS);
  }, 90_000);

  it("/portal-check with a 40,000-character word (the start check is suggested from the text)", async () => {
    // Each try posts the root message and the first check.
    const text = `dad gets a server error ${"z".repeat(40_000)}`;
    expect(await slowestHealth(() => sendCommand(text), 2)).toBeLessThan(HEALTH_WITHIN_MS);
  }, 90_000);
});
