import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TSX_LOADER } from "../cli/helpers.js";
import { signedHeaders } from "../slack/harness/sign.js";
import { SIGNING_SECRET } from "../slack/harness/test-app.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

/** `portal-check serve` in a process of its own, as it runs in production. */
export interface Instance {
  name: string;
  port: number;
  process: ChildProcess;
  /** Everything it wrote to stderr (the start-up line, warnings). */
  stderr(): string;
  /** POSTs a body to /slack/events, signed as Slack signs it. */
  send(raw: string, contentType: string): Promise<Response>;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no goodbye, work in progress is lost as in a crash. */
  kill(): void;
}

export async function startInstance(
  name: string,
  env: Record<string, string>,
  cwd: string,
): Promise<Instance> {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, MAIN, "serve"], {
    cwd,
    env: { PATH: process.env.PATH, PORT: "0", SLACK_SIGNING_SECRET: SIGNING_SECRET, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 120 s:\n${stderr}`)), 120_000);
    const look = () => {
      const match = /listening on port (\d+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        child.stderr?.off("data", look);
        resolve(Number(match[1]));
      }
    };
    child.stderr?.on("data", look);
    child.once("exit", (code) => reject(new Error(`${name} exited (${code}) before listening:\n${stderr}`)));
  });
  return {
    name,
    port,
    process: child,
    stderr: () => stderr,
    send: (raw, contentType) =>
      fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: "POST",
        headers: signedHeaders(SIGNING_SECRET, raw, contentType),
        body: raw,
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
    kill() {
      child.kill("SIGKILL");
    },
  };
}

/** Polls `check` every 50 ms until it is true; fails with `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
