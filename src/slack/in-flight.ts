import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";

/**
 * Counts requests still being worked on. Slack gets its ack within 3 seconds and the work goes on
 * after it, so a clean shutdown (and a test) waits for this count to reach zero.
 */
export function trackInFlight() {
  let count = 0;
  let waiters: Array<() => void> = [];
  const middleware: Middleware<AnyMiddlewareArgs> = async ({ next }) => {
    count++;
    try {
      await next();
    } finally {
      count--;
      if (count === 0) {
        const done = waiters;
        waiters = [];
        for (const resolve of done) resolve();
      }
    }
  };
  return {
    middleware,
    idle: () => (count === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
  };
}
