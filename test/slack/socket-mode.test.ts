import { afterEach, expect } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { freePort } from "../support/process.js";
import { it, startTestApp, type TestApp } from "../support/slack-app.js";
import { CHANNEL, TEAM, USER } from "../support/slack-payloads.js";
import { blocksText, must } from "../support/slack-thread.js";

/**
 * Socket Mode end to end: the app asks apps.connections.open for a WebSocket URL, connects, and
 * receives Slack's envelopes over it; every envelope is acknowledged by its id.
 */

let t: TestApp | undefined;
let wss: WebSocketServer | undefined;
afterEach(async () => {
  await t?.close();
  await new Promise((resolve) => wss?.close(resolve));
  t = undefined;
});

it("connects over a WebSocket, acknowledges envelopes, runs commands and drops a redelivered event", async () => {
  wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => wss?.once("listening", resolve));
  const wsPort = (wss.address() as { port: number }).port;
  const acks: string[] = [];
  const connected = new Promise<WebSocket>((resolve) => {
    wss?.on("connection", (socket) => {
      socket.on("message", (data) => acks.push(JSON.parse(String(data)).envelope_id));
      socket.send(
        JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A0PORTAL" } }),
      );
      resolve(socket);
    });
  });
  const healthPort = await freePort();
  t = await startTestApp({
    env: {
      SLACK_SIGNING_SECRET: "",
      SLACK_APP_TOKEN: "xapp-1-A0PORTAL-1-abcdef",
      PORT: String(healthPort),
      OP_VERSION: "14.19",
    },
    socketUrl: `ws://127.0.0.1:${wsPort}/link`,
  });
  const socket = await connected;
  expect(t.api.callsTo("apps.connections.open")).toHaveLength(1);

  const waitFor = async (what: () => boolean) => {
    for (let i = 0; i < 100 && !what(); i++) await new Promise((r) => setTimeout(r, 20));
    await t?.settle();
  };
  socket.send(
    JSON.stringify({
      envelope_id: "env-command-1",
      type: "slash_commands",
      accepts_response_payload: true,
      payload: {
        token: "legacy",
        team_id: TEAM,
        channel_id: CHANNEL,
        user_id: USER,
        command: "/portal-check",
        text: "",
        response_url: `${t.api.hooksOrigin}/commands/1`,
        trigger_id: "trigger-socket",
        api_app_id: "A0PORTAL",
      },
    }),
  );
  await waitFor(() => must(t).api.callsTo("chat.postMessage").length >= 2);
  expect(acks).toContain("env-command-1");
  const check = must([...t.api.messages.values()].find((m) => m.thread_ts !== undefined));
  expect(blocksText(check.blocks)).toContain("Check 1 of 8 · OP 14.19");

  const mention = (envelope: string, retry: number) =>
    JSON.stringify({
      envelope_id: envelope,
      type: "events_api",
      accepts_response_payload: false,
      retry_attempt: retry,
      retry_reason: retry ? "timeout" : "",
      payload: {
        team_id: TEAM,
        api_app_id: "A0PORTAL",
        type: "event_callback",
        event_id: "Ev0SOCKET1",
        event_time: 1790000000,
        event: {
          type: "app_mention",
          user: USER,
          channel: CHANNEL,
          text: "<@UBOT> what is Authority?",
          ts: "1790000900.000100",
        },
      },
    });
  socket.send(mention("env-event-1", 0));
  socket.send(mention("env-event-2", 1));
  await waitFor(() => acks.includes("env-event-2"));
  await waitFor(() => must(t).api.callsTo("chat.postMessage").length >= 3);
  expect(acks).toEqual(expect.arrayContaining(["env-event-1", "env-event-2"]));
  expect(t.api.callsTo("chat.postMessage")).toHaveLength(3); // root, check, one answer

  const health = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
  expect(health.status).toBe(200);
  expect(t.api.limitProblems).toEqual([]);
});
