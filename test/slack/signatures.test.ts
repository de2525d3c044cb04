import { afterEach, beforeEach, expect } from "vitest";
import { it, SIGNING_SECRET, startTestApp, type TestApp } from "../support/slack-app.js";
import { commandBody } from "../support/slack-payloads.js";
import { slackSignature } from "../support/slack-sign.js";

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ env: { OP_VERSION: "14.19" } });
});
afterEach(async () => {
  await t.close();
});

const form = "application/x-www-form-urlencoded";
const body = () => commandBody("", { responseUrl: `${t.api.hooksOrigin}/commands/1` });

/** A body signed correctly, with the timestamp `ts` (seconds). */
const sendAt = (raw: string, ts: number) =>
  t.send(raw, form, {
    "content-type": form,
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": slackSignature(SIGNING_SECRET, ts, raw),
  });

async function nothingProcessed() {
  await t.settle();
  expect(t.api.calls).toEqual([]);
  expect(t.api.responses).toEqual([]);
  expect(t.logs.some((l) => l.includes("conversation started"))).toBe(false);
}

it("rejects a request signed with another secret: 401, nothing processed", async () => {
  const raw = body();
  const ts = Math.floor(Date.now() / 1000);
  const res = await t.send(raw, form, {
    "content-type": form,
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": slackSignature("0".repeat(32), ts, raw),
  });
  expect(res.status).toBe(401);
  await nothingProcessed();
});

it("rejects a body that was changed after signing", async () => {
  const raw = body();
  const ts = Math.floor(Date.now() / 1000);
  const res = await t.send(raw.replace("text=", "text=x"), form, {
    "content-type": form,
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": slackSignature(SIGNING_SECRET, ts, raw),
  });
  expect(res.status).toBe(401);
  await nothingProcessed();
});

it("rejects a correctly signed request whose timestamp is over five minutes old (a replay)", async () => {
  const res = await sendAt(body(), Math.floor(Date.now() / 1000) - 5 * 60 - 30);
  expect(res.status).toBe(401);
  await nothingProcessed();
});

it("rejects a request without signature headers", async () => {
  const res = await t.send(body(), form, { "content-type": form });
  expect(res.status).toBe(401);
  await nothingProcessed();
});

it("accepts the same request when signed now (the control case)", async () => {
  const res = await t.command("");
  expect(res.status).toBe(200);
  expect(t.api.callsTo("chat.postMessage").length).toBeGreaterThan(0);
});

it("answers GET /healthz without a signature", async () => {
  const res = await fetch(`${t.url}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
});

it("rejects a correctly signed request whose timestamp is over five minutes in the future", async () => {
  const res = await sendAt(body(), Math.floor(Date.now() / 1000) + 5 * 60 + 30);
  expect(res.status).toBe(401);
  await nothingProcessed();
});

it("accepts a timestamp a little ahead of this clock (Slack's clock may run ahead)", async () => {
  const res = await sendAt(body(), Math.floor(Date.now() / 1000) + 60);
  expect(res.status).toBe(200);
  await t.settle();
  expect(t.logs.some((l) => l.includes("conversation started"))).toBe(true);
});

it("starts one conversation when the same signed slash command is replayed inside the window", async () => {
  const raw = body();
  const ts = Math.floor(Date.now() / 1000);
  const responses = await Promise.all([sendAt(raw, ts), sendAt(raw, ts)]);
  const later = await sendAt(raw, ts);
  expect([...responses, later].map((r) => r.status)).toEqual([200, 200, 200]);
  await t.settle();
  expect(t.logs.filter((l) => l.includes("conversation started"))).toHaveLength(1);
  expect(t.logs.filter((l) => l.includes("replayed request dropped"))).toHaveLength(2);
  // The root message and the first check: once.
  expect(t.api.callsTo("chat.postMessage")).toHaveLength(2);
});
