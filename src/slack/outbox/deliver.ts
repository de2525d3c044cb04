import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { ErrorCode, type WebClient } from "@slack/web-api";
import { z } from "zod";
import type { OutboxEntry } from "../../store/types.js";
import { renderEscalationPost } from "../blocks/escalation-post.js";
import { channelPrivacy } from "../channel-privacy.js";
import { permalink } from "../conversation/permalink.js";
import { showConversation } from "../conversation/show.js";
import type { SlackDeps } from "../deps.js";
import { describeSlackFailure, type SlackFailure } from "../slack-errors.js";
import { surfaceOf } from "../surface.js";
import { markPosted } from "./mark.js";
import { delayedNote, NOT_PRIVATE, notPrivate, postedNote } from "./notes.js";
import { ESCALATION_EVENT, EscalationMetadata, OutboxPayload } from "./payload.js";
import { withdrawSubmission } from "./withdraw.js";

export type Delivery =
  | { kind: "posted"; ts: string }
  /** Another instance (or an earlier attempt) holds or finished this entry. */
  | { kind: "busy" }
  /** Still pending; the requester was told on the first failure (and when the channel became public). */
  | { kind: "failed"; failure: SlackFailure }
  /** A form submission whose channel Slack says is public: taken back out of the outbox, requester told. */
  | { kind: "withdrawn" };

export interface DeliverOptions {
  /** Saved a moment ago by this caller: nothing can be in the channel yet, skip the history check. */
  fresh: boolean;
  /** The caller checked just now that the target channel is private. */
  privacyChecked: boolean;
}

/** Pages of channel or thread history searched for an earlier copy of the post. */
const HISTORY_PAGES = 5;

/**
 * Posts one outbox entry, at most once across instances and restarts:
 * - a lease (claimFor on the entry and its attempt count) lets one instance try at a time;
 * - unless the entry is fresh, the thread or channel is searched first for a message carrying the
 *   entry's id in its metadata: a post Slack accepted while its answer was lost is recorded, not
 *   repeated;
 * - the post itself is never retried by the client (see OutboxSettings), and it is sent only while
 *   less than half the lease has passed, so it is answered or abandoned before the lease ends;
 * - markEscalationPosted records the ts once; the conversation and the requester are then updated.
 * A failure is counted on the entry, which stays pending for the retry timer.
 */
export async function deliver(
  deps: SlackDeps,
  client: WebClient,
  entry: OutboxEntry,
  options: DeliverOptions,
): Promise<Delivery> {
  const log = { conversation: entry.conversationId, outbox: entry.id, attempts: entry.attempts };
  const parsed = OutboxPayload.safeParse(entry.payload);
  if (!parsed.success) {
    deps.logger.error(log, "outbox entry unreadable (written by another app version?)");
    await deps.store.recordEscalationFailure(entry.id, "unreadable_payload", deps.now());
    return { kind: "failed", failure: { code: "unreadable_payload", advice: "" } };
  }
  const payload = parsed.data;
  const lease = `outbox-post:${entry.id}:${entry.attempts}`;
  if (!(await deps.store.claimFor(entry.conversationId, lease, deps.outbox.leaseMs, deps.now()))) {
    return { kind: "busy" };
  }
  const deadline = performance.now() + deps.outbox.leaseMs / 2;
  const fail = async (failure: SlackFailure, explained?: string): Promise<Delivery> => {
    const counted = await deps.store.recordEscalationFailure(entry.id, failure.code, deps.now());
    deps.logger.warn({ ...log, code: failure.code }, "escalation post failed; it stays in the outbox");
    // Told once when it is first delayed, and once more if the channel has become public since.
    const becamePublic = failure.code === NOT_PRIVATE && entry.lastError !== NOT_PRIVATE;
    if (counted?.attempts === 1 || (counted && becamePublic)) {
      await delayedNote(deps, client, payload, failure, explained);
    }
    return { kind: "failed", failure };
  };

  if (!options.privacyChecked && !deps.config.allowPublicEscalation) {
    const privacy = await channelPrivacy(client, payload.channel);
    if (privacy.kind !== "private") {
      // A form whose channel is public from the start: nothing was posted, so give it back to be
      // sent elsewhere. Later (the channel became public after a failed post), keep it and say so.
      if (privacy.kind === "public" && payload.reopen && entry.attempts === 0) {
        const withdrawn = await withdrawSubmission(
          deps,
          client,
          entry.id,
          entry.conversationId,
          payload,
          payload.reopen,
        );
        return withdrawn ? { kind: "withdrawn" } : { kind: "busy" };
      }
      const refused = notPrivate(payload, privacy);
      return fail(refused.failure, refused.explained);
    }
  }
  if (!options.fresh) {
    let earlier: string | undefined;
    try {
      earlier = await findPosted(client, payload, entry.id);
    } catch (err) {
      return fail(describeSlackFailure(err));
    }
    if (earlier) {
      deps.logger.info(log, "escalation found in Slack after a lost answer");
      return commit(deps, client, entry, payload, earlier);
    }
  }

  const conversationLink = await linkToConversation(deps, client, entry.conversationId);
  const message = {
    channel: payload.channel,
    ...(payload.thread ? { thread_ts: payload.thread } : {}),
    ...renderEscalationPost({
      conversation: entry.conversationId,
      escalation: payload.escalation,
      report: payload.report,
      requester: payload.requester,
      conversationLink,
      status: "open",
      caseNumber: null,
      updatedBy: null,
    }),
    metadata: { event_type: ESCALATION_EVENT, event_payload: { outbox: entry.id } },
  };
  for (;;) {
    if (performance.now() > deadline) {
      return fail({ code: "lease_expired", advice: "Slack was too slow to answer." });
    }
    try {
      const posted = await deps.outbox.client.chat.postMessage(message);
      if (!posted.ts) return fail({ code: "no_ts", advice: "Slack did not confirm the post." });
      return commit(deps, client, entry, payload, posted.ts);
    } catch (err) {
      const wait = rateLimitWait(err);
      // A 429 means nothing was posted: wait as Slack asks and post again, if the lease allows.
      if (wait !== undefined && performance.now() + wait < deadline) {
        await sleep(wait);
        continue;
      }
      return fail(describeSlackFailure(err));
    }
  }
}

async function commit(
  deps: SlackDeps,
  client: WebClient,
  entry: OutboxEntry,
  payload: OutboxPayload,
  ts: string,
): Promise<Delivery> {
  if (!(await deps.store.markEscalationPosted(entry.id, ts, deps.now()))) return { kind: "busy" };
  const link = await permalink(client, payload.channel, ts);
  const record = await markPosted(deps, entry.conversationId, payload, ts, link ?? null);
  deps.logger.info(
    { conversation: entry.conversationId, outbox: entry.id, channel: payload.channel },
    "escalation posted",
  );
  if (record) {
    const shown = await showConversation(deps, client, record, { root: true });
    if (shown.failure) {
      deps.logger.warn(
        { conversation: entry.conversationId, code: shown.failure.code },
        "escalated conversation not fully redrawn",
      );
    }
  }
  await postedNote(deps, client, payload, link, entry.attempts > 0);
  return { kind: "posted", ts };
}

/** The permalink of the conversation's root, for the post's "full walk-through" line. */
async function linkToConversation(deps: SlackDeps, client: WebClient, id: string) {
  const record = await deps.store.get(id, deps.now());
  if (!record) return undefined;
  const surface = surfaceOf(record);
  return permalink(client, surface.channel, surface.root);
}

const HistoryPage = z.object({
  messages: z.array(z.object({ ts: z.string(), metadata: z.unknown().optional() })).default([]),
});

/** The ts of a message already posted for this entry, if the thread (or channel) holds one. */
async function findPosted(
  client: WebClient,
  payload: OutboxPayload,
  id: string,
): Promise<string | undefined> {
  const [method, args] = payload.thread
    ? (["conversations.replies", { channel: payload.channel, ts: payload.thread }] as const)
    : (["conversations.history", { channel: payload.channel }] as const);
  let pages = 0;
  for await (const page of client.paginate(method, { ...args, include_all_metadata: true, limit: 200 })) {
    for (const message of HistoryPage.parse(page).messages) {
      const metadata = EscalationMetadata.safeParse(message.metadata);
      if (metadata.success && metadata.data.event_payload.outbox === id) return message.ts;
    }
    if (++pages >= HISTORY_PAGES) break;
  }
  return undefined;
}

/** Milliseconds Slack asked to wait, when `err` is a rejected rate-limited call. */
function rateLimitWait(err: unknown): number | undefined {
  if (err && typeof err === "object" && "code" in err && err.code === ErrorCode.RateLimitedError) {
    const seconds = (err as { retryAfter?: unknown }).retryAfter;
    return typeof seconds === "number" ? seconds * 1000 : undefined;
  }
  return undefined;
}
