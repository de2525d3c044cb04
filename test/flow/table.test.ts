import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import {
  accepts,
  type EventResult,
  type FlowEventType,
  handle,
  ON,
  startConversation,
} from "../../src/core/flow/engine.js";
import { FlowEvent, type FlowState, type Phase, Phase as PhaseSchema } from "../../src/core/flow/state.js";

/**
 * The engine as a table: every phase × event either moves the conversation or is refused, and says
 * which. The expected rows below are written out by hand, so a change to the table shows up here.
 */

const ctx = loadContent();
let clock = Date.parse("2026-12-01T09:00:00Z");
const at = () => {
  clock += 1000;
  return new Date(clock).toISOString();
};

type Sample = { [T in FlowEventType]: Omit<Extract<FlowEvent, { type: T }>, "at"> };
/** One event of each type (the type checker insists on all of them). */
const SAMPLES: Sample = {
  start: { type: "start", version: "14.10" },
  restart: { type: "restart" },
  choose_version: { type: "choose_version", version: "14.10" },
  fixed: { type: "fixed" },
  not_fixed: { type: "not_fixed" },
  skip: { type: "skip" },
  back: { type: "back" },
  parent_confirmed: { type: "parent_confirmed" },
  await_parent: { type: "await_parent" },
  parent_not_seen: { type: "parent_not_seen" },
  escalate: { type: "escalate" },
  submit_escalation: {
    type: "submit_escalation",
    details: {
      parent_name: "Dana Example",
      portal_emails: ["dana@example.com"],
      patients: ["Sam Example"],
      steps_taken: "all checks",
      reset_authorized: false,
    },
  },
  auto_escalate: { type: "auto_escalate" },
};
const EVENT_TYPES = Object.keys(SAMPLES) as FlowEventType[];

const send = (state: FlowState, type: FlowEventType): EventResult =>
  handle(ctx, state, { ...SAMPLES[type], at: at() } as FlowEvent);
const moved = (state: FlowState, ...types: FlowEventType[]) =>
  types.reduce((s, type) => {
    const result = send(s, type);
    if (result.kind !== "moved") throw new Error(`${type} was refused in ${s.phase}: ${result.reason}`);
    return result.state;
  }, state);

const fresh = () => startConversation(ctx, { type: "start", at: at() }).state;
const onCheck = () => moved(fresh(), "choose_version");
/** One conversation in each phase, reached by events only. */
const IN_PHASE: Record<Phase, () => FlowState> = {
  choose_version: fresh,
  newer_portal: () => {
    const result = handle(ctx, fresh(), { type: "choose_version", version: "newer", at: at() });
    if (result.kind !== "moved") throw new Error("newer refused");
    return result.state;
  },
  check: onCheck,
  confirm_fix: () => moved(onCheck(), "not_fixed", "fixed"),
  awaiting_parent: () => moved(onCheck(), "fixed", "await_parent"),
  escalation: () => moved(onCheck(), "skip", "escalate"),
  resolved: () => moved(onCheck(), "fixed", "parent_confirmed"),
  escalated: () => moved(onCheck(), "escalate", "submit_escalation"),
};

/** The events each phase lists (a listed handler may still refuse, e.g. back with nothing to undo). */
const EXPECTED_ROWS: Record<Phase, FlowEventType[]> = {
  choose_version: ["start", "restart", "choose_version", "back", "escalate", "auto_escalate"],
  newer_portal: ["start", "restart", "choose_version", "back", "escalate", "auto_escalate"],
  check: [
    "start",
    "restart",
    "choose_version",
    "fixed",
    "not_fixed",
    "skip",
    "back",
    "escalate",
    "auto_escalate",
  ],
  confirm_fix: [
    "start",
    "restart",
    "back",
    "parent_confirmed",
    "await_parent",
    "parent_not_seen",
    "escalate",
  ],
  awaiting_parent: ["start", "restart", "back", "parent_confirmed", "parent_not_seen", "escalate"],
  escalation: ["start", "restart", "back", "submit_escalation", "auto_escalate"],
  resolved: ["start", "restart", "back"],
  escalated: ["start", "restart", "escalate"],
};

describe("the transition table", () => {
  it("has a row for every phase and knows every event type", () => {
    expect(Object.keys(ON).sort()).toEqual([...PhaseSchema.options].sort());
    const schemaTypes = FlowEvent.options.map((o) => [...o.shape.type.values][0]);
    expect([...EVENT_TYPES].sort()).toEqual([...schemaTypes].sort());
  });

  it("lists, per phase, exactly the events written out here", () => {
    for (const phase of PhaseSchema.options) {
      const listed = EVENT_TYPES.filter((type) => accepts(phase, type));
      expect({ phase, listed: listed.sort() }).toEqual({ phase, listed: [...EXPECTED_ROWS[phase]].sort() });
    }
  });

  for (const phase of PhaseSchema.options) {
    for (const type of EVENT_TYPES) {
      it(`${type} in ${phase}: ${EXPECTED_ROWS[phase].includes(type) ? "listed" : "refused"}`, () => {
        const state = IN_PHASE[phase]();
        expect(state.phase).toBe(phase);
        const before = structuredClone(state);
        const result = send(state, type);
        if (result.kind === "refused") {
          // Refused: the same state, and the reason on top of the unchanged screen.
          expect(result.reason.length).toBeGreaterThan(10);
          expect(result.prompts[0]).toEqual({ kind: "notice", text: result.reason });
          expect(result.prompts.at(-1)?.kind).not.toBe("notice");
          expect(result.state).toEqual(before);
        } else {
          // Moved: only an event the phase lists, stamped with the event's time.
          expect(accepts(phase, type)).toBe(true);
          expect(result.kind).toBe("moved");
          expect(result.prompts.some((p) => p.kind === "notice")).toBe(false);
          expect(result.state.updatedAt > before.updatedAt).toBe(true);
        }
        if (!accepts(phase, type)) expect(result.kind).toBe("refused");
      });
    }
  }

  it("reports a refusal as refused, whatever object the caller passes in", () => {
    // A copy read back from a store is not the object the engine saw last: identity cannot tell.
    const resolved = structuredClone(IN_PHASE.resolved());
    const result = send(resolved, "fixed");
    expect(result).toMatchObject({
      kind: "refused",
      reason: "Already answered: this conversation is resolved.",
    });
    const first = send(structuredClone(fresh()), "back");
    expect(first).toMatchObject({
      kind: "refused",
      reason: "Nothing to undo yet: this is the first answer.",
    });
  });

  it("reports a move as moved even when the new state looks like the old one", () => {
    // Choosing the version already chosen redraws the same check: still an answer, stored as one.
    const check = onCheck();
    const result = send(check, "choose_version");
    expect(result.kind).toBe("moved");
    const { updatedAt: _a, ...after } = result.state;
    const { updatedAt: _b, ...was } = check;
    expect(after).toEqual(was);
  });

  it("lets a listed handler refuse: a click pinned to another check", () => {
    const check = onCheck();
    const result = handle(ctx, check, { type: "fixed", check: "interfaces", at: at() });
    expect(result.kind).toBe("refused");
    expect(accepts("check", "fixed")).toBe(true);
  });
});
