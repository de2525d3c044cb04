import { afterEach, beforeEach, expect, vi } from "vitest";
import { signatureMatches } from "../../src/slack/request-guard.js";
import { it, SIGNING_SECRET, startTestApp, type TestApp } from "../support/slack-app.js";
import { blockActionBody, commandBody } from "../support/slack-payloads.js";
import { slackSignature } from "../support/slack-sign.js";
import { conversationView, storedConversation } from "../support/slack-thread.js";

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

it("moves a conversation once when the same signed click is replayed; the click's read comes with its claim", async () => {
  await t.command("");
  const check = conversationView(t.api).check;
  const raw = blockActionBody(check, "check_not_fixed", {
    responseUrl: `${t.api.hooksOrigin}/actions/1`,
    triggerId: "trigger-replay",
  });
  const conversation = (await storedConversation(t)).id;
  const claimThenGet = vi.spyOn(t.store, "claimThenGet");
  const get = vi.spyOn(t.store, "get");
  const update = vi.spyOn(t.store, "update");
  const ts = Math.floor(Date.now() / 1000);
  const first = await sendAt(raw, ts);
  await t.settle();
  // The click's conversation came with the request's claim: the listener moved it without reading
  // it again (the reads after the move are the redraw's, to save the new message's ts).
  expect(claimThenGet.mock.calls.map((call) => call[2])).toEqual([conversation]);
  const moved = update.mock.invocationCallOrder[0] ?? 0;
  expect(moved).toBeGreaterThan(claimThenGet.mock.invocationCallOrder[0] ?? Infinity);
  expect(get.mock.invocationCallOrder.filter((n) => n < moved)).toEqual([]);
  const replay = await sendAt(raw, ts);
  expect([first.status, replay.status]).toEqual([200, 200]);
  await t.settle();
  expect(t.logs.filter((l) => l.includes("replayed request dropped"))).toHaveLength(1);
  const state = (await storedConversation(t)).state;
  expect(state.answers).toHaveLength(1);
  expect(state.current).toBe("duplicate-contact");
});

it("computes Slack's documented example signature, and refuses it for any other body, time or secret", () => {
  // The worked example of Slack's "Verifying requests from Slack" (api.slack.com/authentication/verifying-requests-from-slack).
  const secret = "8f742231b10e8888abcd99yyyzzz85a5";
  const ts = 1531420618;
  const raw =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
  const signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
  expect(signatureMatches(secret, ts, raw, signature)).toBe(true);
  expect(signatureMatches(secret, ts + 1, raw, signature)).toBe(false);
  expect(signatureMatches(secret, ts, `${raw}&x=1`, signature)).toBe(false);
  expect(signatureMatches("0".repeat(32), ts, raw, signature)).toBe(false);
  expect(signatureMatches(secret, ts, raw, signature.slice(0, -1))).toBe(false);
  expect(signatureMatches(secret, ts, raw, "")).toBe(false);
});
