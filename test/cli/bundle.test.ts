import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { generatedExport } from "../rules/export-variants.js";
import { type FakeMessage, type FakeSlack, startFakeSlack } from "../support/fake-slack.js";
import { freePort, outputOf, stopProcess } from "../support/process.js";
import { blockActionBody, CHANNEL, commandBody, findButton } from "../support/slack-payloads.js";
import { signedHeaders } from "../support/slack-sign.js";
import { blocksText } from "../support/slack-thread.js";

/**
 * The shipped build, not the TypeScript sources: `bin/portal-check` runs dist/bundle/main.js (the
 * esbuild bundle of the CLI with Bolt, Express, socket-mode, ws, pino and zod inside it) as a real
 * child process. Bundling can break what the sources never show: a CommonJS require() of a Node
 * module, a lazily imported chunk, a path resolved from import.meta.url. Each mode the app ships is
 * exercised once: Socket Mode, HTTP with signed requests, and the offline CLI commands.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/portal-check");
const BUNDLE = join(ROOT, "dist/bundle/main.js");

const BOT_TOKEN = "xoxb-0000-1111-bundletest";
const SIGNING_SECRET = "0123456789abcdef0123456789abcdef";
const FORM = "application/x-www-form-urlencoded";

let dir: string;
let slack: FakeSlack;

beforeAll(async () => {
  // This test builds nothing: it checks the build CI made (`npm ci` runs `npm run build`).
  if (!existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: run \`npm run build\` first; this test runs the built bundle`);
  }
  dir = mkdtempSync(join(tmpdir(), "portal-check-bundle-"));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Only what the app needs: no developer's LLM key, log level or Redis URL leaks in. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, ...extra };
}

/** `portal-check ARGS` from the bundle, to its end; stdin is written and closed. */
function runCli(args: string[], stdin = "") {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: childEnv({}) });
  child.stdin.end(stdin);
  return outputOf(child);
}

interface Served {
  child: ChildProcess;
  healthUrl: string;
  /** What the process printed so far (its JSON log and its stderr), for failure messages. */
  output(): string;
}

let served: Served | undefined;
afterEach(async () => {
  if (served) await stopProcess(served.child);
  served = undefined;
});

/** `portal-check serve` from the bundle; resolves once it says it is ready (after Slack's start). */
async function serve(env: Record<string, string>): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, "serve"], {
    cwd: dir,
    env: childEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.url,
      PORT: String(port),
      DATABASE_URL: join(mkdtempSync(join(dir, "serve-")), "conversations.db"),
      ...env,
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  served = { child, healthUrl: `http://127.0.0.1:${port}/healthz`, output: () => output };
  await waitFor(() => output.includes("Stop with Ctrl+C"), "portal-check serve to start");
  return served;
}

/** Polls until `done()`; fails naming what did not happen, with the app's output. */
async function waitFor(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (done()) return;
    const child = served?.child;
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(
        `portal-check exited (${child.exitCode ?? child.signalCode}) before ${what}:\n${served?.output()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what} did not happen within 10 s; portal-check printed:\n${served?.output() ?? ""}`);
}

/** SIGTERM, as an orchestrator stops it; the exit code and what it printed. */
async function terminate(s: Served) {
  await stopProcess(s.child);
  return { code: s.child.exitCode, signal: s.child.signalCode, output: s.output() };
}

/** The root message a /portal-check posted and the first screen in its thread: two posts, with blocks. */
function expectConversationStarted(): { root: FakeMessage; screen: FakeMessage } {
  expect(slack.count("chat.postMessage")).toBe(2);
  const root = slack.messages.find((m) => m.thread_ts === undefined);
  const screen = root && slack.messages.find((m) => m.thread_ts === root.ts);
  expect(root?.channel).toBe(CHANNEL);
  expect(root?.blocks.length).toBeGreaterThan(0);
  expect(screen?.thread_ts).toBe(root?.ts);
  expect(screen?.blocks.length).toBeGreaterThan(0);
  if (!root || !screen) throw new Error("no conversation was posted");
  return { root, screen };
}

/** Calls to any path other than the Web API (response_url): the app told the user something failed. */
const hooks = () => slack.calls.filter((c) => c.method.startsWith("hooks/"));

describe("the bundled Slack app (bin/portal-check serve)", () => {
  let wss: WebSocketServer | undefined;
  afterEach(async () => {
    // A process left running by a failed test keeps its socket open; close() would wait for it.
    for (const client of wss?.clients ?? []) client.terminate();
    await new Promise((resolve) => (wss ? wss.close(resolve) : resolve(undefined)));
    wss = undefined;
    await slack?.close();
  });

  it("Socket Mode: connects to Slack's socket, acknowledges a slash command, posts the thread, stops on SIGTERM", async () => {
    const socketServer = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    wss = socketServer;
    await new Promise((resolve) => socketServer.once("listening", resolve));
    const socketUrl = `ws://127.0.0.1:${(socketServer.address() as { port: number }).port}/link`;
    slack = await startFakeSlack({ socketUrl });
    const acks: Array<Record<string, unknown>> = [];
    let socket: WebSocket | undefined;
    socketServer.on("connection", (ws) => {
      socket = ws;
      ws.on("message", (data) => acks.push(JSON.parse(String(data))));
      ws.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A0PORTAL" } }));
    });

    const s = await serve({ SLACK_APP_TOKEN: "xapp-1-A0PORTAL-1-abcdef", OP_VERSION: "14.19" });
    expect(s.output()).toContain("connected in Socket Mode");
    expect(slack.count("apps.connections.open")).toBe(1);
    const health = await fetch(s.healthUrl);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });

    const payload = Object.fromEntries(
      new URLSearchParams(commandBody("", { responseUrl: `${slack.url}hooks/command-1` })),
    );
    if (!socket) throw new Error("the app did not connect to the socket");
    socket.send(
      JSON.stringify({
        envelope_id: "env-command-1",
        type: "slash_commands",
        accepts_response_payload: true,
        payload,
      }),
    );
    await waitFor(() => acks.some((a) => a.envelope_id === "env-command-1"), "the envelope's ack");
    await waitFor(() => slack.count("chat.postMessage") >= 2, "the root message and the first screen");
    const { screen } = expectConversationStarted();
    expect(blocksText(screen.blocks)).toContain("Check 1 of 8 · OP 14.19");
    expect(hooks()).toEqual([]);

    const stopped = await terminate(s);
    expect(stopped, stopped.output).toMatchObject({ code: 0, signal: null });
    expect(stopped.output).toContain("portal-check: Slack app stopped.");
    // The bundled pino writes JSON lines to stdout.
    const logged = stopped.output
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line).msg);
    expect(logged).toContain("conversation started");
  });

  it("HTTP: a signed slash command posts the thread; a click on a version button updates that screen", async () => {
    slack = await startFakeSlack();
    const s = await serve({ SLACK_SIGNING_SECRET: SIGNING_SECRET });
    expect(s.output()).toContain("listening on port");
    const events = s.healthUrl.replace("/healthz", "/slack/events");
    const post = (body: string) =>
      fetch(events, { method: "POST", headers: signedHeaders(SIGNING_SECRET, body, FORM), body });

    const unsigned = await fetch(events, {
      method: "POST",
      headers: { "content-type": FORM },
      body: commandBody("", { responseUrl: `${slack.url}hooks/forged` }),
    });
    expect(unsigned.status).toBe(401);

    const command = await post(commandBody("", { responseUrl: `${slack.url}hooks/command-1` }));
    expect(command.status).toBe(200);
    await waitFor(() => slack.count("chat.postMessage") >= 2, "the root message and the first screen");
    const { screen } = expectConversationStarted();

    // Without OP_VERSION the first screen asks which OP version the practice runs; pick the
    // older one (not the default), so the update shows the button's value was read.
    const older = findButton(screen, "choose_version_14.10").element;
    expect(older.value).toEqual(expect.any(String));
    const click = await post(
      blockActionBody(screen, "choose_version_14.10", {
        responseUrl: `${slack.url}hooks/click-1`,
        triggerId: "1337.42.click",
      }),
    );
    expect(click.status).toBe(200);
    await waitFor(
      () => slack.calls.some((c) => c.method === "chat.update" && c.args.ts === screen.ts),
      "chat.update of the first screen",
    );
    const update = slack.calls.find((c) => c.method === "chat.update");
    expect(update?.args.channel).toBe(CHANNEL);
    // The fake applies chat.update to the message it keeps: the screen now shows the first check.
    const shown = slack.messages.find((m) => m.ts === screen.ts);
    expect(blocksText(shown?.blocks ?? [])).toContain("Check 1 of 8 · OP 14.10");
    expect(slack.count("chat.postMessage")).toBe(2);
    expect(hooks()).toEqual([]);

    const stopped = await terminate(s);
    expect(stopped, stopped.output).toMatchObject({ code: 0, signal: null });
  });
});

describe("the bundled CLI commands", () => {
  it("validate - reads a CSV on stdin and reports its one problem as JSON; exit 1", async () => {
    const csv = [
      "Contact,Email,Portal,Authority,Patient,DOB,Status",
      "Jane Smith,jane@example.com,Minor,Joint,Tom Smith,3/4/2015,Active",
      "Ana Park,ana@example.com,None,Joint,Leo Park,5/6/2016,Active",
    ].join("\n");
    const { code, stdout, stderr } = await runCli(["validate", "-", "--json", "--today", "2025-06-01"], csv);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    const out = JSON.parse(stdout);
    expect(out.records).toHaveLength(2);
    expect(out.errors).toEqual([]);
    expect(out.findings).toMatchObject([
      { rule: "portal-none", severity: "blocker", check: "portal-access", lines: [3] },
    ]);
  });

  it("validate --threads 3 reads a file's later parts on the bundle's worker threads, printing what one thread prints", async () => {
    const file = join(dir, "export.csv");
    writeFileSync(file, await generatedExport(3000));
    const one = await runCli(["validate", file, "--today", "2025-06-01", "--threads", "1"]);
    const three = await runCli(["validate", file, "--today", "2025-06-01", "--threads", "3"]);
    // A worker that fails to start (its script missing from the bundle) is said on stderr.
    expect(three.stderr).toBe("");
    expect(three.code).toBe(1);
    expect(three.stdout).toBe(one.stdout);
    expect(one.stdout).toMatch(/^3,\d{3} records \(CSV\) checked as of 6\/1\/2025/m);
  });

  it("validate stopped with Ctrl+C removes its temporary files (they hold patient data) and ends as interrupted", async () => {
    const tmp = mkdtempSync(join(dir, "tmp-"));
    const child = spawn(process.execPath, [BIN, "validate", "-", "--today", "2025-06-01"], {
      cwd: dir,
      env: childEnv({ TMPDIR: tmp }),
    });
    const output = outputOf(child);
    // Rows with a birth date that is no day: their problems go to a spool file as they are found.
    const rows = Array.from(
      { length: 300 },
      (_, i) => `Jane Doe${i},jane${i}@example.com,Minor,Joint,Tom Doe${i},31/2/2015,Active`,
    );
    child.stdin.write(`Contact,Email,Portal,Authority,Patient,DOB,Status\n${rows.join("\n")}\n`);
    // stdin stays open: the run is still going when it is interrupted.
    const deadline = Date.now() + 10_000;
    while (!readdirSync(tmp).some((name) => readdirSync(join(tmp, name)).length > 0)) {
      if (Date.now() > deadline) throw new Error(`no spool appeared in ${tmp}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill("SIGINT");
    const { signal } = await output;
    expect(signal).toBe("SIGINT");
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('ask "…" answers offline from the knowledge base, citing the check; exit 0', async () => {
    const { code, stdout, stderr } = await runCli(["ask", "the patient is inactive", "--json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.checks[0]).toBe("patient-status");
    expect(out.citations).toContainEqual(expect.objectContaining({ check: "patient-status" }));
    expect(out.answer).toContain("Active");
  });
});
