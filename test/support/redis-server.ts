import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { freePort, stopProcess } from "./process.js";

/**
 * A real Redis for the tests. With REDIS_URL set, that server is used (each test run under its own key
 * prefix, removed afterwards). Otherwise `redis-server` is started on a free loopback port with no
 * persistence, in a temporary folder, and stopped afterwards.
 *
 * Without redis-server: in CI (CI=true) the Redis tests fail with the reason; elsewhere they are skipped
 * and the reason is printed.
 */
export const redisUnavailable: string | undefined = (() => {
  if (process.env.REDIS_URL) return undefined;
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    return "redis-server is not installed (Debian/Ubuntu: apt-get install redis-server), and REDIS_URL is not set";
  }
  return undefined;
})();

/** True when the Redis tests should be skipped here (never in CI: there they must fail). */
export const skipRedis = redisUnavailable !== undefined && process.env.CI !== "true";
if (skipRedis) console.warn(`Skipping the Redis store tests: ${redisUnavailable}.`);

export interface TestRedis {
  url: string;
  /** A fresh key prefix, so tests sharing one server do not see each other's data. */
  newPrefix(): string;
  /** Removes every key the prefixes handed out hold, then stops the server if this helper started it. */
  stop(): Promise<void>;
}

/**
 * A Redis for the whole test file: started before its tests, stopped after (nothing when skipped).
 * Read `.current` inside tests.
 */
export function redisForFile(): { readonly current: TestRedis | undefined } {
  const holder: { current: TestRedis | undefined } = { current: undefined };
  if (!skipRedis) {
    beforeAll(async () => {
      holder.current = await startRedis();
    });
    afterAll(async () => {
      await holder.current?.stop();
    });
  }
  return holder;
}

export async function startRedis(): Promise<TestRedis> {
  if (redisUnavailable) throw new Error(`the Redis store tests need Redis: ${redisUnavailable}`);
  const prefixes: string[] = [];
  const newPrefix = () => {
    const prefix = `portal-check-test:${randomUUID()}:`;
    prefixes.push(prefix);
    return prefix;
  };
  const external = process.env.REDIS_URL;
  const server = external ? undefined : await startServer();
  const url = external ?? (server as RunningServer).url;
  return {
    url,
    newPrefix,
    async stop() {
      if (server) return server.stop();
      const client = new Redis(url, { lazyConnect: true });
      await client.connect();
      for (const prefix of prefixes) {
        for await (const keys of client.scanStream({ match: `${prefix}*`, count: 500 })) {
          if ((keys as string[]).length > 0) await client.del(...(keys as string[]));
        }
      }
      await client.quit();
    },
  };
}

interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

async function startServer(): Promise<RunningServer> {
  // The free port can be taken between finding it and redis-server binding it; try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOn(await freePort());
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function startOn(port: number): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), "portal-check-redis-"));
  const child = spawn(
    "redis-server",
    ["--save", "", "--appendonly", "no", "--port", String(port), "--bind", "127.0.0.1", "--dir", dir],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const stop = async () => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(child, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `redis://127.0.0.1:${port}`, stop };
}

function waitUntilReady(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`redis-server did not start in 10 s:\n${output()}`)),
      10_000,
    );
    const onData = () => {
      if (output().includes("Ready to accept connections")) finish();
    };
    const onExit = (code: number | null) =>
      finish(new Error(`redis-server exited (code ${code}) before it was ready:\n${output()}`));
    const finish = (err?: Error) => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      if (err) reject(err);
      else resolve();
    };
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}
