import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TSX_LOADER } from "../paths.js";
import { type CallCounts, epochMs, type FakeReply, type FakeRequest } from "./fake-slack-protocol.js";

const ENTRY = fileURLToPath(new URL("./fake-slack-process.ts", import.meta.url));

export interface FakeSlackProcess {
  /** Web API base URL, e.g. http://127.0.0.1:PORT/api/ */
  url: string;
  counts(): Promise<CallCounts>;
  /** Waits until no Web API call has arrived for `quietMs`; the counts then. */
  waitForQuiet(quietMs: number): Promise<CallCounts>;
  close(): Promise<void>;
}

/** Starts the fake Slack Web API in its own process. */
export async function startFakeSlackProcess(): Promise<FakeSlackProcess> {
  const child: ChildProcess = fork(ENTRY, [], {
    execArgv: ["--import", TSX_LOADER],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let nextId = 0;
  const pending = new Map<number, (counts: CallCounts) => void>();
  const url = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the fake Slack process exited (code ${code})`)));
    child.on("message", (reply: FakeReply) => {
      if (reply.type === "ready") resolve(reply.url);
      else
        pending.get(reply.id)?.({
          total: reply.total,
          byMethod: reply.byMethod,
          lastCallAt: reply.lastCallAt,
        });
    });
  });
  const request = (message: FakeRequest) => child.send(message);
  const counts = () =>
    new Promise<CallCounts>((resolve) => {
      const id = nextId++;
      pending.set(id, (c) => {
        pending.delete(id);
        resolve(c);
      });
      request({ type: "counts", id });
    });
  return {
    url,
    counts,
    async waitForQuiet(quietMs) {
      for (;;) {
        const now = await counts();
        if (now.lastCallAt === null || epochMs() - now.lastCallAt >= quietMs) return now;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners("exit");
        child.once("exit", () => resolve());
        request({ type: "close" });
      }),
  };
}

/** Calls per method made between two counts. */
export function callsBetween(before: CallCounts, after: CallCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [method, n] of Object.entries(after.byMethod)) {
    const delta = n - (before.byMethod[method] ?? 0);
    if (delta > 0) out[method] = delta;
  }
  return out;
}
