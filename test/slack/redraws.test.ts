import { describe, expect, it } from "vitest";
import { MessageUpdates } from "../../src/slack/conversation/redraws.js";

/** A chat.update that finishes when the test says so. */
function controlled() {
  const sent: string[] = [];
  const pending: Array<{ body: string; finish: (err?: Error) => void }> = [];
  const send = (body: string) => () =>
    new Promise<void>((resolve, reject) => {
      sent.push(body);
      pending.push({ body, finish: (err) => (err ? reject(err) : resolve()) });
    });
  const finishNext = async (err?: Error) => {
    const next = pending.shift();
    if (!next) throw new Error("no update in flight");
    next.finish(err);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { sent, pending, send, finishNext };
}

describe("MessageUpdates: redraws of one message", () => {
  it("keeps one update in flight and sends only the newest of what was asked meanwhile", async () => {
    const updates = new MessageUpdates(() => 0);
    const slack = controlled();
    const first = updates.update("m", 1, "r1", slack.send("r1"));
    const second = updates.update("m", 2, "r2", slack.send("r2"));
    const third = updates.update("m", 3, "r3", slack.send("r3"));
    expect(slack.sent).toEqual(["r1"]);
    await slack.finishNext();
    await first;
    await second; // superseded by r3: resolved without being sent
    expect(slack.sent).toEqual(["r1", "r3"]);
    await slack.finishNext();
    await third;
    expect(slack.pending).toHaveLength(0);
  });

  it("drops a drawing older than one sent or in flight (no answered step shown again)", async () => {
    const updates = new MessageUpdates(() => 0);
    const slack = controlled();
    const newer = updates.update("m", 5, "r5", slack.send("r5"));
    await updates.update("m", 4, "r4", slack.send("r4"));
    await slack.finishNext();
    await newer;
    await updates.update("m", 3, "r3", slack.send("r3"));
    expect(slack.sent).toEqual(["r5"]);
  });

  it("does not send a drawing identical to the one on screen, until it may have gone stale", async () => {
    let now = 0;
    const updates = new MessageUpdates(() => now);
    const slack = controlled();
    const first = updates.update("m", 1, "same", slack.send("same"));
    const twin = updates.update("m", 1, "same", slack.send("same"));
    await slack.finishNext();
    await Promise.all([first, twin]);
    await updates.update("m", 2, "same", slack.send("same"));
    expect(slack.sent).toEqual(["same"]);
    now = 60_000;
    const later = updates.update("m", 2, "same", slack.send("same"));
    await slack.finishNext();
    await later;
    expect(slack.sent).toEqual(["same", "same"]);
  });

  it("reports a failed update to its caller and still sends what waited behind it", async () => {
    const updates = new MessageUpdates(() => 0);
    const slack = controlled();
    const failing = updates.update("m", 1, "r1", slack.send("r1"));
    const waiting = updates.update("m", 2, "r2", slack.send("r2"));
    const failed = expect(failing).rejects.toThrow("message_not_found");
    await slack.finishNext(new Error("message_not_found"));
    await failed;
    await slack.finishNext();
    await waiting;
    expect(slack.sent).toEqual(["r1", "r2"]);
  });

  it("keeps messages apart", async () => {
    const updates = new MessageUpdates(() => 0);
    const slack = controlled();
    const a = updates.update("a", 1, "x", slack.send("a"));
    const b = updates.update("b", 1, "x", slack.send("b"));
    expect(slack.sent).toEqual(["a", "b"]);
    await slack.finishNext();
    await slack.finishNext();
    await Promise.all([a, b]);
  });

  it("forgets messages idle for FRESH_MS once many are remembered, and keeps the ones in use", async () => {
    let now = 0;
    const updates = new MessageUpdates(() => now);
    const instant = () => Promise.resolve();
    for (let i = 0; i < 5000; i++) await updates.update(`m${i}`, 1, "r1", instant);
    // Bounded while busy: a sweep only runs once the map has doubled (nothing here is idle yet).
    expect(updates.remembered).toBe(5000);
    now = 10_001;
    await updates.update("late", 1, "r1", instant);
    // The first update after FRESH_MS sweeps: only what is not idle is kept.
    expect(updates.remembered).toBe(1);
  });
});
