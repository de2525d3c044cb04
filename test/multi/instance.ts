import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { TSX_LOADER } from "../support/cli.js";
import { SIGNING_SECRET } from "../support/slack-app.js";
import { signedHeaders } from "../support/slack-sign.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(ROOT, "src/cli/main.ts");
const BUNDLE = join(ROOT, "dist/bundle/main.js");

/** The newest modification time of any file under `dir` (ms). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (entry.isFile()) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * How to run `portal-check`: the shipped bundle when it is newer than every source file (CI builds
 * it in \`npm ci\`; it starts several times faster than TypeScript through tsx), otherwise the
 * sources through tsx, so a test never runs code older than what it tests.
 */
export function portalCheckCommand(): string[] {
  const fresh =
    existsSync(BUNDLE) &&
    statSync(BUNDLE).mtimeMs >
      Math.max(newest(join(ROOT, "src")), newest(join(ROOT, "knowledge")), newest(join(ROOT, "flows")));
  return fresh ? [BUNDLE] : ["--import", TSX_LOADER, MAIN];
}

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
  // Generous: through tsx under a loaded 2-core CI, start-up was seen to take over 20 s.
  startTimeoutMs = 120_000,
  command = ["--import", TSX_LOADER, MAIN],
): Promise<Instance> {
  const child = spawn(process.execPath, [...command, "serve"], {
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
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start in ${startTimeoutMs / 1000} s:\n${stderr}`)),
      startTimeoutMs,
    );
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
