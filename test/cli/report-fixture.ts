import { expect } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { handle, startConversation } from "../../src/core/flow/engine.js";
import type { FlowEvent, FlowState } from "../../src/core/flow/state.js";
import type { OpVersion } from "../../src/core/ids.js";
import { openStore } from "../../src/store/open.js";

const ctx = loadContent();
export const PHI = "Maria Lopez";

type Step = Omit<FlowEvent, "at"> & { at: string };
/** A conversation walked through the engine: started at `start`, then the given events. */
function walk(version: OpVersion, start: string, ...steps: Step[]): FlowState {
  let state = startConversation(ctx, { type: "start", at: start, version, text: `${PHI}'s mother` }).state;
  for (const step of steps) state = handle(ctx, state, step as FlowEvent).state;
  return state;
}

/**
 * The hand-computed fixture. November 2026 (UTC), conversations A-F; G is in October. "Fixed at"
 * is the staff's "fixed" and the parent's confirmation in the same minute: only a confirmed fix
 * resolves a conversation, and its time to resolve runs to the confirmation.
 *   A 14.19 Mon 11-02 10:00, fixed at shared-email 10:10          resolved, 10 min   week 45
 *   B 14.19 Tue 11-03 09:00, not fixed, fixed at duplicate-contact 09:30   30 min    week 45
 *   C 14.10 Tue 11-10 12:00, escalated with the form (names a parent)                week 46
 *   D 14.10 Wed 11-11 08:00, not fixed x2, fixed at patient-status 08:50   50 min    week 46
 *   E 14.19 Fri 11-20 15:00, one answer, never finished, then purged: abandoned      week 47
 *   F 14.19 Sat 11-28 11:00, one answer, still open                                  week 48
 *   G 14.19 Thu 10-15, resolved: outside the period
 * Totals: started 6, resolved 3, escalated 1, abandoned 1, open 1; escalation rate 1/5 = 20%;
 * median time to resolve of 10, 30, 50 min = 30 min.
 * 14.19: A B E F: 4 started, 2 resolved, 0 escalated, 1 abandoned, 1 open; rate 0/3 = 0%; median 20 min.
 * 14.10: C D: 2 started, 1 resolved, 1 escalated; rate 1/2 = 50%; median 50 min.
 */
export async function seed(env: NodeJS.ProcessEnv, cwd: string) {
  const store = await openStore(env, cwd);
  const put = async (id: string, state: FlowState, storedAt: string) =>
    store.create(
      { id, key: null, state, surface: { channel: "C0FRONTDESK", parent: PHI } },
      new Date(storedAt),
    );
  await put(
    "A",
    walk(
      "14.19",
      "2026-11-02T10:00:00.000Z",
      { type: "fixed", at: "2026-11-02T10:10:00.000Z" },
      { type: "parent_confirmed", at: "2026-11-02T10:10:00.000Z" },
    ),
    "2026-11-02T10:10:00.000Z",
  );
  await put(
    "B",
    walk(
      "14.19",
      "2026-11-03T09:00:00.000Z",
      { type: "not_fixed", at: "2026-11-03T09:10:00.000Z" },
      { type: "fixed", at: "2026-11-03T09:30:00.000Z" },
      { type: "parent_confirmed", at: "2026-11-03T09:30:00.000Z" },
    ),
    "2026-11-03T09:30:00.000Z",
  );
  await put(
    "C",
    walk("14.10", "2026-11-10T12:00:00.000Z", { type: "escalate", at: "2026-11-10T12:05:00.000Z" }, {
      type: "submit_escalation",
      at: "2026-11-10T12:09:00.000Z",
      details: {
        parent_name: PHI,
        portal_emails: ["maria.lopez@example.org"],
        patients: ["Sofia Lopez"],
        steps_taken: "all",
        reset_authorized: true,
      },
    } as Step),
    "2026-11-10T12:09:00.000Z",
  );
  await put(
    "D",
    walk(
      "14.10",
      "2026-11-11T08:00:00.000Z",
      { type: "not_fixed", at: "2026-11-11T08:10:00.000Z" },
      { type: "not_fixed", at: "2026-11-11T08:20:00.000Z" },
      { type: "fixed", at: "2026-11-11T08:50:00.000Z" },
      { type: "parent_confirmed", at: "2026-11-11T08:50:00.000Z" },
    ),
    "2026-11-11T08:50:00.000Z",
  );
  await put(
    "E",
    walk("14.19", "2026-11-20T15:00:00.000Z", { type: "not_fixed", at: "2026-11-20T15:05:00.000Z" }),
    "2026-11-20T15:05:00.000Z",
  );
  await put(
    "G",
    walk(
      "14.19",
      "2026-10-15T10:00:00.000Z",
      { type: "fixed", at: "2026-10-15T10:05:00.000Z" },
      { type: "parent_confirmed", at: "2026-10-15T10:05:00.000Z" },
    ),
    "2026-10-15T10:05:00.000Z",
  );
  // Everything above is purged (its outcome records stay); F is stored now, so it is still open.
  expect(await store.purge(new Date())).toBe(6);
  await put(
    "F",
    walk("14.19", "2026-11-28T11:00:00.000Z", { type: "not_fixed", at: "2026-11-28T11:05:00.000Z" }),
    new Date().toISOString(),
  );
  await store.close();
}
