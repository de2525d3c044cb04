import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";

/** Slack retries an event for up to about an hour; a day covers every retry. */
const EVENT_CLAIM_MS = 24 * 60 * 60 * 1000;

/**
 * Events API deliveries are processed once: Slack re-sends an event it thinks was not acknowledged
 * in time (X-Slack-Retry-Num), and with several instances a retry may land on another one. The
 * store's claim() on the event id lets exactly one delivery through.
 */
export function dropRetriedEvents(deps: SlackDeps): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const eventId = "event_id" in body && typeof body.event_id === "string" ? body.event_id : undefined;
    if (eventId && !(await deps.store.claim(`event:${eventId}`, EVENT_CLAIM_MS, deps.now()))) {
      deps.logger.info({ eventId }, "duplicate event delivery dropped");
      return;
    }
    await next();
  };
}
