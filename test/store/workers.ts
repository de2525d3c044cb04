import { spawn } from "node:child_process";
import { join } from "node:path";
import { TSX_LOADER } from "../support/cli.js";

const WORKER = join(import.meta.dirname, "store-worker.ts");

/**
 * Runs store-worker.ts once per argument list, each in its own process on the store `env` names.
 * All are started, and only when every one has opened the store are they told to go, so their
 * work really overlaps. Resolves with each worker's JSON result, in order.
 */
export async function runWorkers(env: NodeJS.ProcessEnv, jobs: string[][]): Promise<unknown[]> {
  const workers = jobs.map((args) => {
    const child = spawn(process.execPath, ["--import", TSX_LOADER, WORKER, ...args], {
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    const ready = new Promise<void>((resolve, reject) => {
      const onData = () => {
        if (out.startsWith("ready\n")) {
          child.stdout.off("data", onData);
          resolve();
        }
      };
      child.stdout.on("data", onData);
      child.once("exit", (code) => reject(new Error(`worker ${args.join(" ")} exited ${code}:\n${err}`)));
    });
    const done = new Promise<unknown>((resolve, reject) => {
      child.once("exit", (code) => {
        if (code !== 0) reject(new Error(`worker ${args.join(" ")} exited ${code}:\n${err}`));
        else resolve(JSON.parse(out.slice("ready\n".length)));
      });
    });
    // The `ready` promise also rejects when a worker exits after finishing; nothing waits on it then.
    ready.catch(() => {});
    return { child, ready, done };
  });
  try {
    await Promise.all(workers.map((w) => w.ready));
  } catch (err) {
    // The others would wait for "go" forever.
    for (const w of workers) w.child.kill();
    throw err;
  }
  for (const w of workers) w.child.stdin.end("go\n");
  return Promise.all(workers.map((w) => w.done));
}
