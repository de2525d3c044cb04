import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { Logger } from "../log.js";

/**
 * One debug line per request from Slack: what kind and which ids, never its text, values or
 * blocks. Enough to follow a conversation in the log without any PHI.
 */
export function logRequests(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    const b = body as Record<string, unknown>;
    const event = b.event as Record<string, unknown> | undefined;
    const actions = b.actions as Array<Record<string, unknown>> | undefined;
    const view = b.view as Record<string, unknown> | undefined;
    logger.debug(
      {
        requestType: b.type ?? (b.command ? "slash_command" : "unknown"),
        command: b.command,
        eventType: event?.type,
        eventId: b.event_id,
        actionId: actions?.[0]?.action_id,
        callbackId: view?.callback_id,
        team: (b.team as { id?: string } | undefined)?.id ?? b.team_id,
      },
      "request from Slack",
    );
    await next();
  };
}
