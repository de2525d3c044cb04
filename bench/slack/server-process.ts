import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { freePort, stopProcess } from "../../test/support/process.js";

export interface ServerProcess {
  name: string;
  url: string;
  /** Milliseconds from spawn to the first 200 from GET /healthz. */
  startupMs: number;
  /** CPU seconds the process has used so far (user + system), where /proc tells; else undefined. */
  cpuSeconds(): number | undefined;
  /** SIGTERM, then waits for the process to exit (it finishes its work in progress first). */
  stop(): Promise<void>;
}

export interface ServerSpec {
  name: string;
  /** Arguments to `node`. */
  args: string[];
  env: NodeJS.ProcessEnv;
}

const READY_TIMEOUT_MS = 30_000;
/** Between health probes while nothing is said on stderr (a probe is also sent on every stderr line). */
const PROBE_INTERVAL_MS = 10;

/**
 * Starts a Slack app (ours or a baseline) in its own process on a free loopback port and waits until
 * GET /healthz answers 200. Its stdout (the app's JSON log) goes to /dev/null, as a log shipper
 * would take it away; stderr is kept for the error message if it does not start.
 */
export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, spec.args, {
    env: { ...spec.env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const url = `http://127.0.0.1:${port}`;
  try {
    await new Promise<void>((resolve, reject) => {
      let done = false;
      const finish = (err?: Error) => {
        if (done) return;
        done = true;
        clearInterval(timer);
        clearTimeout(timeout);
        child.stderr?.off("data", onData);
        child.off("exit", onExit);
        if (err) reject(err);
        else resolve();
      };
      const probe = () =>
        healthy(url).then((ok) => {
          if (ok) finish();
        });
      const onData = (chunk: Buffer) => {
        stderr += chunk;
        probe();
      };
      const onExit = (code: number | null) =>
        finish(new Error(`${spec.name} exited (code ${code}) before it was ready:\n${stderr}`));
      const timer = setInterval(probe, PROBE_INTERVAL_MS);
      const timeout = setTimeout(
        () => finish(new Error(`${spec.name} was not ready after ${READY_TIMEOUT_MS / 1000} s:\n${stderr}`)),
        READY_TIMEOUT_MS,
      );
      child.stderr?.on("data", onData);
      child.once("exit", onExit);
    });
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
  const startupMs = performance.now() - started;
  // Keep draining stderr so the child never blocks on a full pipe.
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk).slice(-10_000);
  });
  return {
    name: spec.name,
    url,
    startupMs,
    cpuSeconds: () => (child.pid === undefined ? undefined : processCpuSeconds(child.pid)),
    stop: () => stopProcess(child),
  };
}

/** utime + stime from /proc/<pid>/stat (Linux), in seconds. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${url}/healthz`, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.end();
  });
}
