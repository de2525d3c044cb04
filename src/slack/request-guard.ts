import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import {
  type App,
  type Logger as BoltLogger,
  HTTPModuleFunctions,
  type HTTPReceiver,
  HTTPResponseAck,
} from "@slack/bolt";
import { z } from "zod";
import type { Logger } from "../log.js";
import type { ConversationStore } from "../store/types.js";
import { CLICK_READ, conversationNamedBy } from "./click-read.js";

/**
 * What reaches Bolt's HTTP receiver at /slack/events, checked first. Bolt verifies signatures and
 * refuses stale timestamps, but it reads the parsed body before its own error handling starts: a
 * correctly signed body that parses to `null` (`payload=null`, or `null` as JSON) threw inside the
 * receiver as an unhandled rejection and ended the process. So each request is read here, checked
 * and only then handed to Bolt:
 *
 * - signature and timestamp as Bolt checks them, and a timestamp too far in the future refused like
 *   a stale one (Bolt only looks for old ones);
 * - a body that does not parse, or is not one of the shapes Slack sends this app (a slash command,
 *   a button click, a modal submitted or closed, an event), answered 400 before Bolt sees it;
 * - a form body (slash command or interaction) seen before, byte for byte with the same signature,
 *   is acknowledged and dropped: a replay inside Slack's five-minute window would otherwise start a
 *   second conversation or post findings twice. (Events have their own de-duplication by event id,
 *   which also covers Slack's retries.)
 *
 * This is the only signature check and the only parse: the receiver is built with Bolt's own
 * verification off (app.ts), and a request that passes is handed to the app here with the body
 * already parsed (`dispatch`), as Bolt's receiver would hand it over after parsing it again (a
 * second querystring and JSON parse, and its routing: about a twentieth of a click's CPU on Node 24).
 * What Bolt's receiver answers itself (Slack's SSL check, URL verification, health checks, 404s)
 * still goes to its request listener.
 */

/** Slack's window for a request's timestamp, both ways. */
export const TIMESTAMP_WINDOW_SECONDS = 5 * 60;
/**
 * A signature is accepted while its timestamp is within the window either side of now: ten
 * minutes in all. It is remembered a minute longer.
 */
const REPLAY_CLAIM_MS = (2 * TIMESTAMP_WINDOW_SECONDS + 60) * 1000;

const FORM = "application/x-www-form-urlencoded";

const Id = z.looseObject({ id: z.string() });
const TeamRef = Id.nullable().optional();

/** `/portal-check [text]`, form-encoded. */
const SlashCommand = z.looseObject({
  command: z.string(),
  text: z.string(),
  team_id: z.string(),
  channel_id: z.string(),
  user_id: z.string(),
  response_url: z.string(),
  trigger_id: z.string(),
});

const BlockActions = z.looseObject({
  type: z.literal("block_actions"),
  user: Id,
  team: TeamRef,
  channel: Id.optional(),
  message: z.looseObject({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  response_url: z.string().optional(),
  trigger_id: z.string().optional(),
  actions: z
    .array(
      z.looseObject({
        type: z.string(),
        action_id: z.string(),
        block_id: z.string().optional(),
        value: z.string().optional(),
      }),
    )
    .min(1),
});

const ViewBase = {
  user: Id,
  team: TeamRef,
};
const ViewFields = {
  id: z.string(),
  callback_id: z.string(),
  private_metadata: z.string().optional(),
};
const ViewSubmission = z.looseObject({
  type: z.literal("view_submission"),
  ...ViewBase,
  view: z.looseObject({
    ...ViewFields,
    state: z.looseObject({
      values: z.record(z.string(), z.record(z.string(), z.looseObject({ type: z.string() }))),
    }),
  }),
});
const ViewClosed = z.looseObject({
  type: z.literal("view_closed"),
  ...ViewBase,
  view: z.looseObject(ViewFields),
});

const Interaction = z.union([BlockActions, ViewSubmission, ViewClosed]);

/** The events the listeners read fields of (app_mention, message) must carry them. */
const SlackEvent = z
  .looseObject({
    type: z.string(),
    subtype: z.string().optional(),
    channel: z.string().optional(),
    ts: z.string().optional(),
    thread_ts: z.string().optional(),
    user: z.string().optional(),
    text: z.string().optional(),
  })
  .refine(
    (e) =>
      !(e.type === "app_mention" || (e.type === "message" && e.subtype === undefined)) ||
      (e.channel !== undefined && e.ts !== undefined),
    "a message event without channel or ts",
  );

const EventEnvelope = z.union([
  z.looseObject({
    type: z.literal("event_callback"),
    team_id: z.string(),
    event_id: z.string(),
    event: SlackEvent,
    // Bolt reads authorizations[0]'s fields to authorize the event; a null entry threw there (a 500).
    authorizations: z.array(z.looseObject({})).optional(),
  }),
  z.looseObject({ type: z.literal("url_verification"), challenge: z.string() }),
  /** Slack stopped sending events for a minute; it only wants a 200. */
  z.looseObject({ type: z.literal("app_rate_limited") }),
]);

export type Refusal = { status: 400 | 401 | 413 | 500; reason: string };

/** The shape check alone: which Slack request this is, or why it is not one. */
export function checkBodyShape(
  contentType: string | undefined,
  body: unknown,
  rawForm: boolean,
): { ok: true } | Refusal {
  const schema = contentType === FORM ? (rawForm ? SlashCommand : Interaction) : EventEnvelope;
  return schema.safeParse(body).success
    ? { ok: true }
    : { status: 400, reason: "the body is not a request Slack sends this app" };
}

export interface GuardOptions {
  signingSecret: string;
  /** The logger Bolt's receiver was given: acks and dispatch errors are reported as Bolt reports them. */
  boltLogger: BoltLogger;
  /** The path Bolt receives on (its `endpoints`). */
  endpoint: string;
  store: Pick<ConversationStore, "claim" | "claimThenGet">;
  /** The app's clock (SlackDeps.now): a click's conversation is read as its listener would read it. */
  now: () => Date;
  logger: Logger;
  /** Seconds since the epoch; the tests' clock never moves the signature check. */
  nowSeconds?: () => number;
}

/**
 * Puts the checks in front of the receiver's request listener. Everything that is not a POST to
 * the endpoint (health checks, 404s) goes straight to Bolt as before.
 */
export function guardRequests(receiver: HTTPReceiver, options: GuardOptions): void {
  const inner: RequestListener = receiver.requestListener;
  // The app the receiver is given (App's constructor calls init): requests are dispatched to it here.
  let app: App | undefined;
  const init = receiver.init.bind(receiver);
  receiver.init = (given: App) => {
    app = given;
    init(given);
  };
  const toBolt = (req: IncomingMessage, res: ServerResponse) => {
    try {
      inner(req, res);
    } catch (err) {
      // Only Bolt's routing throws here (an unknown path: its 404); answered as Bolt would.
      refuse(res, options.logger, { status: 500, reason: "the request could not be routed" }, err);
    }
  };
  receiver.requestListener = (req, res) => {
    if (req.method !== "POST" || pathOf(req) !== options.endpoint) {
      toBolt(req, res);
      return;
    }
    checkRequest(req, options).then(
      (verdict) => {
        if (verdict === "pass") toBolt(req, res);
        else if (verdict === "ack") acknowledgeOnly(res);
        else if ("body" in verdict) {
          if (app) dispatch(app, req, res, verdict, options);
          else refuse(res, options.logger, { status: 500, reason: "the app is not started" });
        } else refuse(res, options.logger, verdict);
      },
      (err: unknown) => refuse(res, options.logger, { status: 500, reason: "the request check failed" }, err),
    );
  };
}

function pathOf(req: IncomingMessage): string | undefined {
  try {
    return new URL(req.url ?? "/", "http://localhost").pathname;
  } catch {
    return undefined;
  }
}

/** A request that passed: its parsed body, and what goes into Bolt's context with it. */
interface Checked {
  body: Record<string, unknown>;
  customProperties: Record<string, unknown>;
}

/**
 * pass: on to Bolt's receiver (what it answers itself); Checked: dispatched to the app with this
 * body; ack: answered 200 here and dropped (a replay, a rate-limit notice); else refused.
 */
async function checkRequest(
  req: IncomingMessage,
  options: GuardOptions,
): Promise<"pass" | "ack" | Checked | Refusal> {
  let raw: string;
  try {
    // Bolt finds the body buffered on the request (rawBody) and reads it from there.
    const buffered = await HTTPModuleFunctions.bufferIncomingMessage(
      req,
      HTTPModuleFunctions.defaultBodyLimit,
    );
    raw = buffered.rawBody.toString();
  } catch (err) {
    const tooLarge = HTTPModuleFunctions.isRawBodyError(err) && err.statusCode === 413;
    return tooLarge
      ? { status: 413, reason: "the body is over Bolt's limit" }
      : { status: 400, reason: "the body could not be read" };
  }
  const contentType = req.headers["content-type"];
  const form = contentType === FORM ? parseQuery(raw) : undefined;
  // Slack's unsigned SSL check: Bolt answers it and ignores anything else in the body.
  if (form?.ssl_check === "1") return "pass";

  const signature = req.headers["x-slack-signature"];
  const timestamp = Number(req.headers["x-slack-request-timestamp"]);
  if (typeof signature !== "string" || !Number.isFinite(timestamp))
    return { status: 401, reason: "the signature headers are missing" };
  const now = options.nowSeconds?.() ?? Math.floor(Date.now() / 1000);
  if (timestamp > now + TIMESTAMP_WINDOW_SECONDS)
    return { status: 401, reason: "the request timestamp is in the future" };
  if (
    timestamp < now - TIMESTAMP_WINDOW_SECONDS ||
    !signatureMatches(options.signingSecret, timestamp, raw, signature)
  )
    return { status: 401, reason: "the signature does not match or the request is stale" };

  let body: unknown;
  try {
    // What Bolt's parseHTTPRequestBody makes of it, from the form already parsed above.
    body = form ? (typeof form.payload === "string" ? JSON.parse(form.payload) : form) : JSON.parse(raw);
  } catch {
    // Not logged: JSON.parse's message quotes the body, which may name a parent.
    return { status: 400, reason: "the body does not parse" };
  }
  const shape = checkBodyShape(contentType, body, form !== undefined && typeof form.payload !== "string");
  if (!("ok" in shape)) return shape;
  const type = (body as { type?: unknown }).type;
  // Slack paused events for a minute (too many unanswered); it only wants a 200, Bolt has no listener for it.
  if (type === "app_rate_limited") {
    options.logger.warn("Slack paused event delivery for a minute (app_rate_limited)");
    return "ack";
  }
  // Bolt's receiver answers the challenge itself.
  if (type === "url_verification") return "pass";

  const checked: Checked = { body: body as Record<string, unknown>, customProperties: {} };
  if (form) {
    // The timestamp first (it is signed, so a replay carries the same one): claims are then added
    // in time order, at the end of the store's index, as ids are (store/ids.ts).
    const token = `request:${timestamp}:${signature}`;
    // A button click reads its conversation next: that read comes with the claim (click-read.ts).
    const clicked = conversationNamedBy(checked.body);
    try {
      if (clicked) {
        const read = await options.store.claimThenGet(token, REPLAY_CLAIM_MS, clicked, options.now());
        if (!read.claimed) return replayed(options.logger);
        checked.customProperties[CLICK_READ] = { id: clicked, record: read.record };
      } else if (!(await options.store.claim(token, REPLAY_CLAIM_MS, options.now()))) {
        return replayed(options.logger);
      }
    } catch (err) {
      // The store is down: the listeners will say so; a replay check is not worth refusing for.
      options.logger.error({ err }, "request replay check: store unavailable");
    }
  }
  return checked;
}

function replayed(logger: Logger): "ack" {
  logger.info("replayed request dropped");
  return "ack";
}

/**
 * Hands a checked request to the app as Bolt's HTTPReceiver does once it has parsed the body
 * (handleIncomingEvent in @slack/bolt's receivers/HTTPReceiver): the same ack (HTTPResponseAck, with
 * its 3 s unhandled-request answer), retry headers and error answer, with the receiver's defaults
 * (processBeforeResponse off), and the click's read as a custom property. The parse is not repeated.
 */
function dispatch(
  app: App,
  req: IncomingMessage,
  res: ServerResponse,
  { body, customProperties }: Checked,
  options: GuardOptions,
): void {
  const logger = options.boltLogger;
  const ack = new HTTPResponseAck({
    logger,
    processBeforeResponse: false,
    httpRequest: req,
    httpRequestBody: body,
    httpResponse: res,
  });
  app
    .processEvent({
      body,
      ack: ack.bind(),
      retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
      retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
      customProperties,
    })
    .catch(async (error: unknown) => {
      const acknowledged = await HTTPModuleFunctions.defaultProcessEventErrorHandler({
        error: error as Error,
        logger,
        request: req,
        response: res,
        storedResponse: ack.storedResponse,
      });
      if (acknowledged) ack.ack();
    })
    // Bolt's receiver leaves a failure here unhandled (an ack after the answer was sent); logged instead.
    .catch((err: unknown) => refuse(res, options.logger, { status: 500, reason: "the request failed" }, err));
}

/**
 * Slack's v0 signature: HMAC-SHA256 of "v0:<timestamp>:<body>" with the signing secret, hex, compared
 * in constant time. Written out rather than Bolt's verifySlackRequest(), which compares through
 * tsscmp (two more HMACs per request, about a third of this guard's cost under load); the
 * request-guard tests pin the result to Slack's documented example.
 */
export function signatureMatches(
  secret: string,
  timestamp: number,
  body: string,
  signature: string,
): boolean {
  const expected = Buffer.from(
    `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The 200 Slack expects, with nothing done: a replay gets what the first request got. */
function acknowledgeOnly(res: ServerResponse) {
  res.writeHead(200);
  res.end();
}

function refuse(res: ServerResponse, logger: Logger, refusal: Refusal, err?: unknown) {
  if (err) logger.error({ err, status: refusal.status }, `request refused: ${refusal.reason}`);
  else logger.warn({ status: refusal.status }, `request refused: ${refusal.reason}`);
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(refusal.status, { "content-type": "text/plain; charset=utf-8" });
  res.end(`${refusal.reason}\n`);
}
