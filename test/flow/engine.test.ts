import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/load.js";
import { buildEscalationReport, formatEscalationText } from "../../src/core/escalation/report.js";
import {
  currentPrompts,
  fixedBy,
  handle,
  startConversation,
  type Transition,
} from "../../src/core/flow/engine.js";
import type { Prompt } from "../../src/core/flow/prompt.js";
import type { FlowEvent, FlowState } from "../../src/core/flow/state.js";
import { checkIdsOf } from "../../src/core/knowledge/schema.js";

const ctx = loadContent();
const CHECK_IDS = checkIdsOf(ctx.knowledge);
let clock = Date.parse("2026-11-26T10:00:00Z");
const at = () => {
  clock += 1000;
  return new Date(clock).toISOString();
};

const main = (t: Transition): Prompt => {
  const last = t.prompts.at(-1);
  if (!last) throw new Error("no prompt");
  return last;
};
const notices = (t: Transition) =>
  t.prompts.filter((p) => p.kind === "notice").map((p) => (p.kind === "notice" ? p.text : ""));
const send = (state: FlowState, event: Omit<FlowEvent, "at"> & { type: FlowEvent["type"] }) =>
  handle(ctx, state, { ...event, at: at() } as FlowEvent);
const begin = (version?: "14.19" | "14.10") => startConversation(ctx, { type: "start", at: at(), version });

/** What a submitted escalation form carries (made-up values). */
const details = {
  parent_name: "Dana Example",
  portal_emails: ["dana@example.com"],
  patients: ["Sam Example"],
  steps_taken: "all checks",
  reset_authorized: true,
};

/** Answers `not_fixed` on every check in turn. */
function walkAll(state: FlowState): Transition {
  let t: Transition = { state, prompts: currentPrompts(ctx, state) };
  while (t.state.phase === "check") t = send(t.state, { type: "not_fixed" });
  return t;
}

describe("starting", () => {
  it("asks the OP version first when none is known", () => {
    const t = begin();
    expect(t.state.phase).toBe("choose_version");
    const prompt = main(t);
    expect(prompt.kind).toBe("choose_version");
    expect(prompt.kind === "choose_version" && prompt.choices.map((c) => c.value)).toEqual([
      "version:14.19",
      "version:14.10",
      "version:newer",
    ]);
  });

  it("goes straight to the first check, in article order, when the version is given", () => {
    const t = begin("14.19");
    const prompt = main(t);
    expect(prompt).toMatchObject({
      kind: "check",
      check: "shared-email",
      position: 1,
      total: 8,
      version: "14.19",
    });
    expect(prompt.kind === "check" && prompt.citations).toEqual([
      { check: "shared-email", version: "14.19", section: expect.any(String) },
    ]);
  });

  it("shows each version's own navigation", () => {
    const a = main(send(begin().state, { type: "choose_version", version: "14.19" } as FlowEvent));
    const b = main(send(begin().state, { type: "choose_version", version: "14.10" } as FlowEvent));
    expect(a.kind === "check" && a.steps.join(" ")).toMatch(/Patient Chart/);
    expect(b.kind === "check" && b.steps.join(" ")).toMatch(/Patient Register/);
  });

  it("starts at a suggested check, walks on, then comes back for the earlier checks before escalating", () => {
    let t = startConversation(ctx, {
      type: "start",
      at: at(),
      version: "14.10",
      text: "server error",
      startAt: "start-end-dates",
    });
    expect(main(t)).toMatchObject({ kind: "check", check: "start-end-dates", position: 7 });
    expect(t.state.opening).toEqual({ text: "server error", check: "start-end-dates" });
    const seen: string[] = [];
    while (t.state.phase === "check") {
      seen.push(t.state.current ?? "");
      t = send(t.state, { type: "not_fixed" });
    }
    expect(seen).toEqual(["start-end-dates", "interfaces", ...CHECK_IDS.slice(0, 6)]);
    expect(t.state.phase).toBe("escalation");
  });
});

describe("answers", () => {
  it("walks all eight checks in article order to the escalation form with the transcript prefilled", () => {
    const t = walkAll(begin("14.19").state);
    expect(t.state.answers.map((a) => a.check)).toEqual([...CHECK_IDS]);
    const prompt = main(t);
    expect(prompt.kind).toBe("escalation_form");
    if (prompt.kind !== "escalation_form") return;
    expect(prompt.phone).toBe("800-218-9916");
    expect(prompt.fields.map((f) => f.id)).toEqual([
      "parent_name",
      "portal_emails",
      "patients",
      "steps_taken",
      "reset_authorized",
    ]);
    const lines = prompt.prefill.steps_taken?.split("\n") ?? [];
    expect(lines[0]).toContain("OP 14.19");
    expect(lines).toHaveLength(9);
    // What happened, not what it means: the parent still could not see the child after each check.
    expect(lines.slice(1).every((l) => l.endsWith("still not visible after this check"))).toBe(true);
  });

  it("fixed asks for the parent's confirmation; confirmed resolves and records the check that fixed it", () => {
    let t = send(begin("14.19").state, { type: "not_fixed" });
    t = send(t.state, { type: "fixed" });
    expect(t.state.phase).toBe("confirm_fix");
    expect(fixedBy(t.state)).toBeUndefined();
    t = send(t.state, { type: "parent_confirmed" });
    expect(t.state.phase).toBe("resolved");
    expect(fixedBy(t.state)).toBe("duplicate-contact");
    expect(t.state.answers.map((a) => [a.check, a.outcome, a.parent])).toEqual([
      ["shared-email", "not_fixed", undefined],
      ["duplicate-contact", "fixed", "confirmed"],
    ]);
    const prompt = main(t);
    expect(prompt).toMatchObject({ kind: "resolved", check: "duplicate-contact" });
    expect(prompt.kind === "resolved" && prompt.body.join(" ")).toMatch(
      /parent confirmed they see the child after this change: merged the parent's duplicate contacts/,
    );
  });

  it("skip moves on and is recorded as skipped", () => {
    const t = send(begin("14.19").state, { type: "skip" });
    expect(t.state.current).toBe("duplicate-contact");
    expect(t.state.answers).toEqual([{ check: "shared-email", outcome: "skipped", at: expect.any(String) }]);
  });

  it("each answer carries its time", () => {
    const t = send(begin("14.19").state, { type: "not_fixed" });
    expect(Date.parse(t.state.answers[0]?.at ?? "")).toBeGreaterThan(0);
    expect(t.state.updatedAt).toBe(t.state.answers[0]?.at);
  });

  it("an answer pinned to another check than the one on screen is refused as already answered", () => {
    const one = send(begin("14.19").state, { type: "not_fixed", check: "shared-email" } as FlowEvent);
    const stale = send(one.state, { type: "not_fixed", check: "shared-email" } as FlowEvent);
    expect(stale.state).toBe(one.state);
    expect(notices(stale)[0]).toMatch(/already answered/i);
    expect(main(stale)).toMatchObject({ kind: "check", check: "duplicate-contact" });
  });
});

describe("repair: back, restart, escalate now", () => {
  it("back after skip returns to the skipped check and removes the answer", () => {
    const skipped = send(begin("14.19").state, { type: "skip" });
    const back = send(skipped.state, { type: "back" });
    expect(back.state.current).toBe("shared-email");
    expect(back.state.answers).toEqual([]);
    expect(main(back)).toMatchObject({ kind: "check", check: "shared-email" });
  });

  it("back at the first check has nothing to undo and changes nothing", () => {
    const start = begin("14.19");
    const back = send(start.state, { type: "back" });
    expect(back.state).toBe(start.state);
    expect(notices(back)[0]).toMatch(/nothing to undo/i);
    expect(main(back)).toMatchObject({ kind: "check", check: "shared-email" });
  });

  it("back after resolved asks about the parent again, and back once more reopens the check", () => {
    const fixed = send(send(begin("14.19").state, { type: "fixed" }).state, { type: "parent_confirmed" });
    const asked = send(fixed.state, { type: "back" });
    expect(asked.state.phase).toBe("confirm_fix");
    expect(asked.state.answers).toEqual([
      { check: "shared-email", outcome: "fixed", at: expect.any(String) },
    ]);
    const back = send(asked.state, { type: "back" });
    expect(back.state.phase).toBe("check");
    expect(back.state.current).toBe("shared-email");
    expect(back.state.answers).toEqual([]);
  });

  it("back from the escalation form after the last check returns to the last check", () => {
    const form = walkAll(begin("14.19").state);
    const back = send(form.state, { type: "back" });
    expect(main(back)).toMatchObject({ kind: "check", check: "interfaces" });
    expect(back.state.answers).toHaveLength(7);
  });

  it("restart mid-way clears the answers and keeps the version", () => {
    let t = send(begin("14.10").state, { type: "not_fixed" });
    t = send(t.state, { type: "skip" });
    t = send(t.state, { type: "restart" });
    expect(t.state).toMatchObject({ phase: "check", current: "shared-email", version: "14.10", answers: [] });
  });

  it("restart without a version asks the version again", () => {
    const t = send(begin().state, { type: "restart" });
    expect(t.state.phase).toBe("choose_version");
  });

  it("escalate mid-way opens the form, records where, and back undoes it", () => {
    let t = send(begin("14.19").state, { type: "not_fixed" });
    t = send(t.state, { type: "escalate" });
    expect(t.state.phase).toBe("escalation");
    expect(t.state.answers.at(-1)).toMatchObject({ check: "duplicate-contact", outcome: "escalated" });
    const prompt = main(t);
    expect(prompt.kind === "escalation_form" && prompt.prefill.steps_taken).toMatch(/escalated from here/);
    const back = send(t.state, { type: "back" });
    expect(back.state).toMatchObject({ phase: "check", current: "duplicate-contact" });
  });

  it("changing the version mid-walk keeps the answers and redraws the same check", () => {
    const one = send(begin("14.19").state, { type: "not_fixed" });
    const switched = send(one.state, { type: "choose_version", version: "14.10" } as FlowEvent);
    expect(switched.state).toMatchObject({ version: "14.10", current: "duplicate-contact" });
    expect(switched.state.answers).toHaveLength(1);
  });
});

describe("the newer portal (OP 20)", () => {
  it("says the article covers the former portal and offers escalation", () => {
    const t = send(begin().state, { type: "choose_version", version: "newer" } as FlowEvent);
    const prompt = main(t);
    expect(prompt.kind).toBe("newer_portal");
    expect(prompt.kind === "newer_portal" && prompt.body.join(" ")).toMatch(/former/i);
    expect(prompt.kind === "newer_portal" && prompt.choices.map((c) => c.value)).toContain("escalate");
    const form = send(t.state, { type: "escalate" });
    expect(form.state.phase).toBe("escalation");
    const formPrompt = main(form);
    expect(formPrompt.kind === "escalation_form" && formPrompt.prefill.steps_taken).toMatch(
      /no checks were run/,
    );
    expect(send(form.state, { type: "back" }).state.phase).toBe("newer_portal");
    expect(send(t.state, { type: "back" }).state.phase).toBe("choose_version");
  });
});

describe('"fixed" means the parent confirmed (the article: after any change, call the parent, have them log in and check)', () => {
  const fixedAt = (check: number) => {
    let s = begin("14.19").state;
    for (let i = 0; i < check; i++) s = send(s, { type: "not_fixed" }).state;
    return send(s, { type: "fixed" });
  };
  const steps = (t: Transition) => {
    const prompt = main(t);
    return prompt.kind === "escalation_form" ? (prompt.prefill.steps_taken ?? "") : "";
  };

  it("shows the article's steps after any change and asks whether the parent has confirmed", () => {
    const t = fixedAt(4); // portal-access
    expect(t.state).toMatchObject({ phase: "confirm_fix", current: "portal-access" });
    const prompt = main(t);
    expect(prompt.kind).toBe("confirm_fix");
    if (prompt.kind !== "confirm_fix") return;
    expect(prompt).toMatchObject({ check: "portal-access", version: "14.19", waiting: false });
    expect(prompt.body[0]).toBe(
      "Change made at “The parent's Portal access setting”: changed the parent's Portal setting.",
    );
    expect(prompt.body.join(" ")).toMatch(/not grayed out, until the parent logs in to the portal again/);
    expect(prompt.steps).toEqual([
      "Call the parent.",
      "Ask them to log in to the patient portal.",
      "Have them confirm that they now see each of their children.",
    ]);
    expect(prompt.question).toBe("Has the parent logged in and confirmed that they see their children?");
    expect(prompt.choices.map((c) => c.value)).toEqual([
      "parent_confirmed",
      "await_parent",
      "parent_not_seen",
      "back",
      "escalate",
    ]);
    expect(prompt.citations[0]?.check).toBe("after-changes");
  });

  it("waiting keeps the conversation open; the parent's confirmation later resolves it", () => {
    const waiting = send(fixedAt(0).state, { type: "await_parent" });
    expect(waiting.state.phase).toBe("awaiting_parent");
    expect(waiting.state.answers.at(-1)).toMatchObject({
      check: "shared-email",
      outcome: "fixed",
      parent: "waiting",
    });
    const prompt = main(waiting);
    expect(prompt).toMatchObject({
      kind: "confirm_fix",
      waiting: true,
      title: "Waiting for the parent to confirm",
    });
    expect(prompt.kind === "confirm_fix" && prompt.choices.map((c) => c.value)).toEqual([
      "parent_confirmed",
      "parent_not_seen",
      "back",
      "escalate",
    ]);
    expect(notices(send(waiting.state, { type: "await_parent" }))[0]).toMatch(/Already waiting/);
    const done = send(waiting.state, { type: "parent_confirmed" });
    expect(done.state.phase).toBe("resolved");
    expect(done.state.answers.at(-1)?.parent).toBe("confirmed");
  });

  it("reopen (the parent still cannot see the child) goes on with the next check and says so in the transcript", () => {
    const waiting = send(fixedAt(6).state, { type: "await_parent" }); // start-end-dates
    const reopened = send(waiting.state, { type: "parent_not_seen" });
    expect(reopened.state).toMatchObject({ phase: "check", current: "interfaces" });
    const form = send(reopened.state, { type: "not_fixed" });
    expect(form.state.phase).toBe("escalation");
    expect(steps(form)).toContain(
      "- Start and End Dates on the parent's contact: cleared a Start or End Date on the parent's contact; the parent still cannot see the child",
    );
    // Back goes one question at a time: to the check, then to the question about the parent.
    const back = send(send(form.state, { type: "back" }).state, { type: "back" });
    expect(back.state).toMatchObject({ phase: "confirm_fix", current: "start-end-dates" });
    expect(back.state.answers.at(-1)?.parent).toBeUndefined();
  });

  it("the parent still not seeing the child after the last check opens the escalation form", () => {
    const last = send(fixedAt(7).state, { type: "parent_not_seen" });
    expect(last.state.phase).toBe("escalation");
    expect(send(last.state, { type: "back" }).state.phase).toBe("confirm_fix");
  });

  it("an escalation while waiting tells Support which change was made and that the parent has not confirmed", () => {
    const waiting = send(fixedAt(1).state, { type: "await_parent" });
    const form = send(waiting.state, { type: "escalate" });
    expect(form.state.phase).toBe("escalation");
    expect(steps(form)).toContain(
      "- The parent may exist twice as a contact: merged the parent's duplicate contacts; waiting for the parent to confirm",
    );
    const asked = send(fixedAt(1).state, { type: "escalate" });
    expect(steps(asked)).toMatch(/merged the parent's duplicate contacts; the parent has not confirmed yet/);
    expect(send(asked.state, { type: "back" }).state.phase).toBe("confirm_fix");
  });

  it("is never escalated automatically while only the parent's confirmation is missing", () => {
    for (const t of [fixedAt(2), send(fixedAt(2).state, { type: "await_parent" })]) {
      const auto = send(t.state, { type: "auto_escalate" });
      expect(auto.state).toBe(t.state);
      expect(notices(auto)[0]).toMatch(/waiting for the parent's confirmation/);
    }
  });

  it("the parent's answers mean nothing outside the question", () => {
    const check = begin("14.19");
    for (const type of ["parent_confirmed", "await_parent", "parent_not_seen"] as const) {
      const t = send(check.state, { type });
      expect(t.state).toBe(check.state);
      expect(notices(t)).toHaveLength(1);
    }
  });
});

describe("the OP version in what Support reads", () => {
  const stepsOf = (t: Transition) => {
    const prompt = main(t);
    return prompt.kind === "escalation_form" ? (prompt.prefill.steps_taken ?? "") : "";
  };

  it("escalating before a version is chosen says it was not chosen, never OP 20", () => {
    const t = send(begin().state, { type: "escalate" });
    expect(stepsOf(t)).toBe("OP version: not chosen; no checks were run before escalating.");
    expect(stepsOf(t)).not.toMatch(/OP 20|newer/);
    const done = send(t.state, { type: "submit_escalation", details } as FlowEvent);
    const text = formatEscalationText(buildEscalationReport(ctx, done.state, details));
    expect(text).toMatch(/^OP version: not chosen$/m);
    expect(text).not.toMatch(/OP 20|newer portal/);
  });

  it("says OP 20 or the newer portal only when staff answered so, and forgets it when they go back", () => {
    const newer = send(begin().state, { type: "choose_version", version: "newer" } as FlowEvent);
    expect(stepsOf(send(newer.state, { type: "escalate" }))).toMatch(
      /OP 20 or the newer portal \(as staff answered\)/,
    );
    const back = send(newer.state, { type: "back" });
    expect(stepsOf(send(back.state, { type: "escalate" }))).toMatch(/OP version: not chosen/);
    const chosen = send(newer.state, { type: "choose_version", version: "14.10" } as FlowEvent);
    expect(chosen.state.newerPortal).toBeUndefined();
  });
});

describe("the escalation", () => {
  it("submitting the form ends the conversation as escalated with the support number", () => {
    const form = walkAll(begin("14.19").state);
    const done = send(form.state, { type: "submit_escalation", details } as FlowEvent);
    expect(done.state.phase).toBe("escalated");
    expect(done.state.escalation).toEqual(details);
    expect(main(done)).toMatchObject({ kind: "escalated", phone: "800-218-9916" });
    const back = send(done.state, { type: "back" });
    expect(back.state).toBe(done.state);
    expect(notices(back)[0]).toMatch(/cannot be undone/);
  });

  it("a form submitted when no form is open is refused", () => {
    const start = begin("14.19");
    const t = send(start.state, { type: "submit_escalation", details } as FlowEvent);
    expect(t.state).toBe(start.state);
    expect(notices(t)).toHaveLength(1);
  });
});

describe("the automatic escalation (a conversation that went quiet)", () => {
  it("finishes an unfinished conversation as escalated, keeps the answers and offers the form", () => {
    const two = send(send(begin("14.19").state, { type: "not_fixed" }).state, { type: "skip" });
    const auto = send(two.state, { type: "auto_escalate" });
    expect(auto.state).toMatchObject({ phase: "escalated", escalation: null, current: "patient-status" });
    expect(auto.state.answers).toEqual(two.state.answers);
    expect(auto.state.autoEscalatedAt).toBe(auto.state.updatedAt);
    const prompt = main(auto);
    expect(prompt).toMatchObject({
      kind: "escalated",
      title: "Escalated automatically",
      phone: "800-218-9916",
    });
    expect(prompt.kind === "escalated" && prompt.choices.map((c) => [c.value, c.label])).toEqual([
      ["escalate", "Add the missing details"],
      ["restart", "Start over"],
    ]);
  });

  it("lets the requester complete the form afterwards: escalate opens it, submit escalates with the details", () => {
    const auto = send(send(begin("14.10").state, { type: "not_fixed" }).state, { type: "auto_escalate" });
    const form = send(auto.state, { type: "escalate" });
    expect(form.state.phase).toBe("escalation");
    const prompt = main(form);
    expect(prompt.kind === "escalation_form" && prompt.prefill.steps_taken).toMatch(
      /still not visible after this check/,
    );
    const done = send(form.state, { type: "submit_escalation", details } as FlowEvent);
    expect(done.state).toMatchObject({ phase: "escalated", escalation: details });
    expect(done.state.autoEscalatedAt).toBe(auto.state.autoEscalatedAt);
    expect(main(done)).toMatchObject({ kind: "escalated", title: "Escalation ready for Support" });
    // Once the form is in, escalate means nothing more.
    expect(notices(send(done.state, { type: "escalate" }))[0]).toMatch(/already answered/i);
  });

  it("is refused once a conversation is resolved or escalated", () => {
    const resolved = send(send(begin("14.19").state, { type: "fixed" }).state, { type: "parent_confirmed" });
    const escalated = send(walkAll(begin("14.19").state).state, {
      type: "submit_escalation",
      details,
    } as FlowEvent);
    for (const t of [resolved, escalated]) {
      const again = send(t.state, { type: "auto_escalate" });
      expect(again.state).toBe(t.state);
      expect(notices(again)).toHaveLength(1);
    }
    const auto = send(begin().state, { type: "auto_escalate" });
    expect(send(auto.state, { type: "auto_escalate" }).state).toBe(auto.state);
  });

  it("can be undone only by starting over, which clears the mark", () => {
    const auto = send(begin("14.19").state, { type: "auto_escalate" });
    const back = send(auto.state, { type: "back" });
    expect(back.state).toBe(auto.state);
    expect(notices(back)[0]).toMatch(/cannot be undone/);
    const fresh = send(auto.state, { type: "restart" });
    expect(fresh.state).toMatchObject({ phase: "check", current: "shared-email", answers: [] });
    expect("autoEscalatedAt" in fresh.state).toBe(false);
  });
});

describe("every event in every state", () => {
  const events: Array<Omit<FlowEvent, "at">> = [
    { type: "start", version: "14.10" },
    { type: "choose_version", version: "14.19" },
    { type: "choose_version", version: "newer" },
    { type: "fixed" },
    { type: "not_fixed" },
    { type: "skip" },
    { type: "back" },
    { type: "escalate" },
    { type: "restart" },
    {
      type: "submit_escalation",
      details: {
        parent_name: "A B",
        portal_emails: ["a@b.co"],
        patients: ["C"],
        steps_taken: "x",
        reset_authorized: false,
      },
    },
    { type: "auto_escalate" },
    { type: "parent_confirmed" },
    { type: "await_parent" },
    { type: "parent_not_seen" },
  ] as Array<Omit<FlowEvent, "at">>;

  const states: Record<string, FlowState> = {
    choose_version: begin().state,
    newer_portal: send(begin().state, { type: "choose_version", version: "newer" } as FlowEvent).state,
    first_check: begin("14.19").state,
    mid_check: send(send(begin("14.19").state, { type: "skip" }).state, { type: "not_fixed" }).state,
    last_check: (() => {
      let s = begin("14.19").state;
      for (let i = 0; i < 7; i++) s = send(s, { type: "not_fixed" }).state;
      return s;
    })(),
    confirm_fix: send(begin("14.19").state, { type: "fixed" }).state,
    awaiting_parent: send(send(begin("14.19").state, { type: "fixed" }).state, { type: "await_parent" })
      .state,
    confirm_fix_last: (() => {
      let s = begin("14.19").state;
      for (let i = 0; i < 7; i++) s = send(s, { type: "not_fixed" }).state;
      return send(s, { type: "fixed" }).state;
    })(),
    resolved: send(send(begin("14.19").state, { type: "fixed" }).state, { type: "parent_confirmed" }).state,
    escalation: walkAll(begin("14.19").state).state,
    escalated: send(walkAll(begin("14.19").state).state, events[9] as FlowEvent).state,
    auto_escalated: send(begin("14.19").state, { type: "auto_escalate" }).state,
  };

  for (const [name, state] of Object.entries(states)) {
    for (const event of events) {
      it(`${event.type}${"version" in event ? `(${event.version})` : ""} in ${name}`, () => {
        const t = handle(ctx, state, { ...event, at: at() } as FlowEvent);
        // Always a screen to show, never an exception; a refused event changes nothing.
        const screen = main(t);
        expect(screen.kind).not.toBe("notice");
        if (notices(t).length > 0) expect(t.state).toBe(state);
        else expect(t.state.updatedAt > state.updatedAt).toBe(true);
        // The transcript only ever grows by the answer given or shrinks by one on back.
        const delta = t.state.answers.length - state.answers.length;
        if (event.type === "restart" || event.type === "start") expect(t.state.answers).toEqual([]);
        else expect([-1, 0, 1]).toContain(delta);
        expect(currentPrompts(ctx, t.state).at(-1)).toEqual(screen);
      });
    }
  }
});
