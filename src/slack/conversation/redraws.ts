/**
 * chat.update calls, coalesced per message. Twenty clicks on one button make one move, but each of
 * the nineteen stale ones used to redraw the thread too: 40 chat.update calls for one answer,
 * arriving out of order, so the check message briefly showed an answered step again. Here, per
 * message:
 *
 * - at most one update is in flight; what is asked meanwhile waits, and only the newest of it is
 *   sent (latest state wins: a drawing from an older revision than one sent or waiting is dropped);
 * - a drawing identical to the one just shown (or being shown) is not sent again for FRESH_MS — a
 *   stale click still redraws a message Slack has not shown for a while, the way it heals a
 *   drawing an earlier failure left behind.
 *
 * This is per process: two instances may each send their update (the store's compare-and-set still
 * makes exactly one click move the conversation).
 */

import { createHash } from "node:crypto";

/** How long an identical drawing is taken to be on screen already. */
const FRESH_MS = 10_000;
/** Past this many remembered messages, the ones idle for FRESH_MS are forgotten. */
const SWEEP_AT = 500;

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface Drawing {
  revision: number;
  /**
   * A digest of the message as sent (its JSON), to tell identical drawings apart. Not the JSON
   * itself: under a burst of clicks thousands of messages are remembered for FRESH_MS, and their
   * drawings (kilobytes each) kept the heap large enough to lengthen every garbage collection.
   */
  digest: string;
}

/** SHA-1 here only tells our own drawings apart (nothing adversarial): short and fast. */
const digestOf = (json: string) => createHash("sha1").update(json).digest("base64");

interface Entry {
  shown?: Drawing & { at: number };
  running?: Drawing & { done: Promise<void> };
  queued?: Drawing & { send: () => Promise<unknown>; waiters: Waiter[] };
}

export class MessageUpdates {
  private readonly entries = new Map<string, Entry>();
  /**
   * When the next sweep may run. A sweep looks at every entry, so running one after every update
   * (as this did) made each click cost a scan of thousands of entries under load: the button-click
   * benchmark fell to a third of Bolt's throughput. Once per FRESH_MS, or when the map has doubled
   * since the last sweep, keeps the cost per update constant and the map bounded.
   */
  private nextSweep = { at: 0, size: SWEEP_AT };

  constructor(private readonly clock: () => number = () => Date.now()) {}

  /**
   * Sends `send` (the chat.update of message `key` drawn from `revision`) unless a newer or an
   * identical drawing makes it unnecessary. Resolves when the message shows this drawing or a newer
   * one; rejects with the update's error when this drawing was sent and failed.
   */
  update(key: string, revision: number, json: string, send: () => Promise<unknown>): Promise<void> {
    const digest = digestOf(json);
    const entry = this.entries.get(key) ?? {};
    this.entries.set(key, entry);
    if (this.covered(entry, revision, digest)) return Promise.resolve();
    const running = entry.running;
    if (!running) return this.start(key, entry, { revision, digest }, send);
    if (revision < running.revision) return Promise.resolve();
    if (digest === running.digest) return running.done;
    if (entry.queued && revision < entry.queued.revision) return Promise.resolve();
    // Replaces what was waiting: those callers' drawing is superseded by this newer one.
    for (const waiter of entry.queued?.waiters ?? []) waiter.resolve();
    return new Promise<void>((resolve, reject) => {
      entry.queued = { revision, digest, send, waiters: [{ resolve, reject }] };
    });
  }

  /** How many messages are remembered (for tests of the bound). */
  get remembered(): number {
    return this.entries.size;
  }

  /** A message just posted with this drawing (it needs no update to show it). */
  posted(key: string, revision: number, json: string): void {
    const digest = digestOf(json);
    const entry = this.entries.get(key) ?? {};
    entry.shown = { revision, digest, at: this.clock() };
    this.entries.set(key, entry);
  }

  private covered(entry: Entry, revision: number, digest: string): boolean {
    const shown = entry.shown;
    if (!shown) return false;
    return revision < shown.revision || (digest === shown.digest && this.clock() - shown.at < FRESH_MS);
  }

  private start(key: string, entry: Entry, drawing: Drawing, send: () => Promise<unknown>): Promise<void> {
    const done = (async () => {
      try {
        await send();
        entry.shown = { ...drawing, at: this.clock() };
      } finally {
        entry.running = undefined;
        this.startQueued(key, entry);
      }
    })();
    entry.running = { ...drawing, done };
    return done;
  }

  private startQueued(key: string, entry: Entry) {
    const queued = entry.queued;
    entry.queued = undefined;
    if (!queued) {
      this.sweep();
      return;
    }
    if (this.covered(entry, queued.revision, queued.digest)) {
      for (const waiter of queued.waiters) waiter.resolve();
      return;
    }
    this.start(key, entry, queued, queued.send).then(
      () => {
        for (const waiter of queued.waiters) waiter.resolve();
      },
      (err: unknown) => {
        for (const waiter of queued.waiters) waiter.reject(err);
      },
    );
  }

  private sweep() {
    const size = this.entries.size;
    if (size < this.nextSweep.size && (size < SWEEP_AT || this.clock() < this.nextSweep.at)) return;
    const now = this.clock();
    for (const [key, entry] of this.entries) {
      if (!entry.running && !entry.queued && (!entry.shown || now - entry.shown.at >= FRESH_MS))
        this.entries.delete(key);
    }
    this.nextSweep = { at: now + FRESH_MS, size: Math.max(SWEEP_AT, 2 * this.entries.size) };
  }
}
