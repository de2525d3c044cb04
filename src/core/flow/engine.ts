import type { CheckId, OpVersion } from "../ids.js";
import { type KnowledgeBase, type KnowledgeEntry, opVersionsOf } from "../knowledge/schema.js";
import type { Choice, Prompt } from "./prompt.js";
import type { Flow } from "./schema.js";
import type { Answer, AnswerOutcome, FlowEvent, FlowState, ParentConfirmation, Phase } from "./state.js";
import { changeAt, stepsTakenText } from "./transcript.js";

/**
 * The guided check as a pure state machine: (state, event) -> moved or refused, with the prompts.
 * No I/O, no clock (events carry their time), no Slack: both shells call these functions.
 *
 * Which events each phase accepts is data: `ON` below, one row per phase (like XState's `on:`). An
 * event a phase does not list is refused with a notice saying why; a listed handler may still refuse
 * (a click pinned to another check, nothing to undo). A refused event never changes the state.
 *
 * Walk: the flow's steps in list order, from the first one or from the check the opening text
 * pointed at; after the last step, any step not yet answered; then the escalation form.
 * Repair is handled here for every step: back (undo the last answer), skip, escalate now, restart.
 *
 * "Fixed" means the parent confirmed. After staff answer "fixed", the article's steps after any
 * change are shown (call the parent; they log in and check they see their children) and the
 * question whether the parent has confirmed: "confirmed" resolves, "waiting" keeps the conversation
 * open (the shell reminds), "still cannot see" goes on with the next check.
 */

export interface FlowContext {
  flow: Flow;
  knowledge: KnowledgeBase;
}

/** A state and the screen for it. */
export interface Transition {
  state: FlowState;
  prompts: Prompt[];
}

/**
 * What an event did: `moved` (a new state, with `updatedAt` set to the event's time) or `refused`
 * (the same state; `reason` is also the notice at the top of `prompts`). Callers branch on `kind`.
 */
export type EventResult =
  | (Transition & { kind: "moved" })
  | (Transition & { kind: "refused"; reason: string });

type StartEvent = Extract<FlowEvent, { type: "start" }>;
export type FlowEventType = FlowEvent["type"];
type EventOf<T extends FlowEventType> = Extract<FlowEvent, { type: T }>;

/** A handler's answer: the state to move to, or why the event is refused here. */
type Decision = FlowState | { refuse: string };
type Handler<T extends FlowEventType> = (ctx: FlowContext, state: FlowState, event: EventOf<T>) => Decision;
/** One phase's row: the events it accepts and their handlers. Any other event is refused. */
type PhaseRow = {
  // Written out, not as Handler<T>: a handler of several event types then fits each of their slots.
  readonly [T in FlowEventType]?: (ctx: FlowContext, state: FlowState, event: EventOf<T>) => Decision;
};

export function startConversation(ctx: FlowContext, event: StartEvent): Transition {
  const state: FlowState = {
    phase: event.version ? "check" : "choose_version",
    version: event.version ?? null,
    current: startingCheck(ctx.flow, event.startAt),
    answers: [],
    opening: event.text ? { text: event.text, check: event.startAt ?? null } : null,
    escalation: null,
    startedAt: event.at,
    updatedAt: event.at,
  };
  return { state, prompts: currentPrompts(ctx, state) };
}

/** Applies one event: looks up the phase's row and runs the handler, or refuses. */
export function handle(ctx: FlowContext, state: FlowState, event: FlowEvent): EventResult {
  const decision = decide(ctx, state, event);
  if ("refuse" in decision) {
    const notice: Prompt = { kind: "notice", text: decision.refuse };
    return {
      kind: "refused",
      reason: decision.refuse,
      state,
      prompts: [notice, ...currentPrompts(ctx, state)],
    };
  }
  const moved = { ...decision, updatedAt: event.at };
  return { kind: "moved", state: moved, prompts: currentPrompts(ctx, moved) };
}

/** Whether `phase` lists `event` at all (a listed event can still be refused by its handler). */
export function accepts(phase: Phase, event: FlowEventType): boolean {
  return ON[phase][event] !== undefined;
}

/** The screen for a state: used after every transition and to redraw a conversation. */
export function currentPrompts(ctx: FlowContext, state: FlowState): Prompt[] {
  switch (state.phase) {
    case "choose_version":
      return [chooseVersionPrompt(ctx)];
    case "newer_portal":
      return [newerPortalPrompt(ctx)];
    case "check":
      return [checkPrompt(ctx, state)];
    case "confirm_fix":
    case "awaiting_parent":
      return [confirmPrompt(ctx, state)];
    case "resolved":
      return [resolvedPrompt(ctx, state)];
    case "escalation":
      return [escalationFormPrompt(ctx, state)];
    case "escalated":
      return [escalatedPrompt(ctx, state)];
  }
}

/** The check that resolved the conversation, if it is resolved. */
export function fixedBy(state: FlowState): CheckId | undefined {
  const last = state.answers.at(-1);
  return state.phase === "resolved" && last?.outcome === "fixed" ? last.check : undefined;
}

// --- the table -------------------------------------------------------------------------------

const restartEvent: Handler<"start" | "restart"> = (ctx, state, event) =>
  restart(ctx, state, event.type === "start" ? event : undefined);
const chooseVersionEvent: Handler<"choose_version"> = (ctx, state, event) =>
  event.version === "newer" || opVersionsOf(ctx.knowledge).includes(event.version)
    ? chooseVersion(state, event.version)
    : {
        refuse: `The checks are written for OP ${opVersionsOf(ctx.knowledge).join(", ")}, not ${event.version}.`,
      };
const answerEvent: Handler<"fixed" | "not_fixed" | "skip"> = (ctx, state, event) =>
  answer(ctx, state, event.type === "skip" ? "skipped" : event.type, event.at, event.check);
const backEvent: Handler<"back"> = (_ctx, state) => back(state);
const parentEvent =
  (parent: ParentConfirmation): Handler<"parent_confirmed" | "await_parent" | "parent_not_seen"> =>
  (ctx, state) =>
    parentSaid(ctx, state, parent);
/** Escalate now from a screen without a check on it: the form opens. */
const openForm: Handler<"escalate"> = (_ctx, state) => ({ ...state, phase: "escalation" });
/** Escalate now from a check: the check is recorded as escalated and the form opens. */
const escalateFromCheck: Handler<"escalate"> = (_ctx, state, event) =>
  state.current
    ? {
        ...state,
        phase: "escalation",
        answers: [...state.answers, { check: state.current, outcome: "escalated", at: event.at }],
      }
    : { refuse: alreadyAnswered(state) };
/** Escalated by the app: the form can still be opened to add what was missing. */
const addMissingDetails: Handler<"escalate"> = (_ctx, state) =>
  awaitsDetails(state) ? { ...state, phase: "escalation" } : { refuse: alreadyAnswered(state) };
const submitEscalation: Handler<"submit_escalation"> = (_ctx, state, event) => ({
  ...state,
  phase: "escalated",
  escalation: event.details,
});
const autoEscalate: Handler<"auto_escalate"> = (_ctx, state, event) => ({
  ...state,
  phase: "escalated",
  autoEscalatedAt: event.at,
});

/** Every phase accepts these: start over, from anywhere. */
const ALWAYS = { start: restartEvent, restart: restartEvent } as const;
/** Waiting for the parent's word after a change. Escalating opens the form; the transcript says the parent had not confirmed. */
const ASKING_PARENT = {
  ...ALWAYS,
  back: backEvent,
  parent_confirmed: parentEvent("confirmed"),
  parent_not_seen: parentEvent("not_seen"),
  escalate: openForm,
} as const;

/** phase × event → handler. An event missing from a phase's row is refused (see `refusal`). */
export const ON: Readonly<Record<Phase, PhaseRow>> = {
  choose_version: {
    ...ALWAYS,
    choose_version: chooseVersionEvent,
    back: backEvent,
    escalate: openForm,
    auto_escalate: autoEscalate,
  },
  newer_portal: {
    ...ALWAYS,
    choose_version: chooseVersionEvent,
    back: backEvent,
    escalate: openForm,
    auto_escalate: autoEscalate,
  },
  check: {
    ...ALWAYS,
    choose_version: chooseVersionEvent,
    fixed: answerEvent,
    not_fixed: answerEvent,
    skip: answerEvent,
    back: backEvent,
    escalate: escalateFromCheck,
    auto_escalate: autoEscalate,
  },
  confirm_fix: { ...ASKING_PARENT, await_parent: parentEvent("waiting") },
  awaiting_parent: ASKING_PARENT,
  escalation: {
    ...ALWAYS,
    back: backEvent,
    submit_escalation: submitEscalation,
    auto_escalate: autoEscalate,
  },
  resolved: { ...ALWAYS, back: backEvent },
  escalated: { ...ALWAYS, escalate: addMissingDetails },
};

/** Why `phase` does not take `event`: the notice shown instead of a new screen. */
function refusal(state: FlowState, event: FlowEventType): string {
  switch (event) {
    case "choose_version":
      return "The OP version can only be changed while the checks are running.";
    case "submit_escalation":
      return "There is no escalation form open right now.";
    case "escalate":
      return state.phase === "escalation" ? "The escalation form is already open." : alreadyAnswered(state);
    case "back":
      return state.phase === "escalated"
        ? "The escalation has been handed over; it cannot be undone. Restart for a new check."
        : alreadyAnswered(state);
    case "await_parent":
      return state.phase === "awaiting_parent"
        ? "Already waiting for the parent's confirmation."
        : alreadyAnswered(state);
    case "auto_escalate":
      // A change was made and only the parent's confirmation is missing: nothing for Support yet.
      return state.phase === "confirm_fix" || state.phase === "awaiting_parent"
        ? "Not escalated: this conversation is waiting for the parent's confirmation."
        : alreadyAnswered(state);
    default:
      return alreadyAnswered(state);
  }
}

/** The phase's row decides: its handler's answer, or a refusal when the phase does not list the event. */
function decide(ctx: FlowContext, state: FlowState, event: FlowEvent): Decision {
  const handler = ON[state.phase][event.type] as Handler<FlowEventType> | undefined;
  return handler ? handler(ctx, state, event) : { refuse: refusal(state, event.type) };
}

// --- handlers --------------------------------------------------------------------------------

/** Escalated by the app with what was known, and no form submitted since: the form can still be completed. */
const awaitsDetails = (state: FlowState) =>
  state.phase === "escalated" && state.autoEscalatedAt !== undefined && state.escalation === null;

function restart(ctx: FlowContext, state: FlowState, start?: StartEvent): FlowState {
  const version = start?.version ?? state.version;
  const opening = start
    ? start.text
      ? { text: start.text, check: start.startAt ?? null }
      : null
    : state.opening;
  // A new walk starts clean: it may be escalated automatically again if it goes quiet.
  const { autoEscalatedAt: _previous, newerPortal: _said, ...rest } = state;
  return {
    ...rest,
    phase: version ? "check" : "choose_version",
    version,
    current: startingCheck(ctx.flow, start?.startAt),
    answers: [],
    opening,
    escalation: null,
    // Back on the newer-portal screen: what staff said about the version still stands.
    ...(!version && !start && state.newerPortal ? { newerPortal: true as const } : {}),
  };
}

function chooseVersion(state: FlowState, version: OpVersion | "newer"): FlowState {
  if (version === "newer") return { ...state, phase: "newer_portal", version: null, newerPortal: true };
  // Changing the version mid-walk keeps the answers and redraws the same check in the new menus.
  const { newerPortal: _said, ...rest } = state;
  return { ...rest, phase: "check", version };
}

function answer(
  ctx: FlowContext,
  state: FlowState,
  outcome: AnswerOutcome,
  at: string,
  check?: CheckId,
): Decision {
  if (!state.current) return { refuse: alreadyAnswered(state) };
  if (check && check !== state.current) return { refuse: alreadyAnswered(state) };
  const answers: Answer[] = [...state.answers, { check: state.current, outcome, at }];
  // A change was made: resolved only once the parent has confirmed it.
  if (outcome === "fixed") return { ...state, phase: "confirm_fix", answers };
  const upcoming = nextUnanswered(ctx.flow, state.current, answers);
  return upcoming
    ? { ...state, current: upcoming, answers }
    : { ...state, phase: "escalation", current: state.current, answers };
}

/**
 * The answer to "has the parent confirmed?" after a change, recorded on the "fixed" answer. Confirmed
 * resolves; waiting keeps the conversation open; "still cannot see" goes on with the next check.
 */
function parentSaid(ctx: FlowContext, state: FlowState, parent: ParentConfirmation): Decision {
  const last = state.answers.at(-1);
  if (last?.outcome !== "fixed") return { refuse: alreadyAnswered(state) };
  const answers: Answer[] = [...state.answers.slice(0, -1), { ...last, parent }];
  if (parent === "confirmed") return { ...state, phase: "resolved", current: last.check, answers };
  if (parent === "waiting") return { ...state, phase: "awaiting_parent", current: last.check, answers };
  const upcoming = nextUnanswered(ctx.flow, last.check, answers);
  return upcoming
    ? { ...state, phase: "check", current: upcoming, answers }
    : { ...state, phase: "escalation", current: last.check, answers };
}

/**
 * Undo the last answer: its check comes back on screen. After a change, back goes one question at a
 * time: from the parent's answer (or an escalation opened while asking) to the question about the
 * parent, and from there to the check.
 */
function back(state: FlowState): Decision {
  const last = state.answers.at(-1);
  if (last?.outcome === "fixed" && (last.parent !== undefined || state.phase === "escalation")) {
    const { parent: _undone, ...asked } = last;
    return {
      ...state,
      phase: "confirm_fix",
      current: last.check,
      answers: [...state.answers.slice(0, -1), asked],
    };
  }
  if (!last) {
    if (state.phase === "escalation") return { ...state, phase: state.version ? "check" : "newer_portal" };
    if (state.phase === "newer_portal") {
      const { newerPortal: _unsaid, ...rest } = state;
      return { ...rest, phase: "choose_version" };
    }
    return { refuse: "Nothing to undo yet: this is the first answer." };
  }
  return { ...state, phase: "check", current: last.check, answers: state.answers.slice(0, -1) };
}

function alreadyAnswered(state: FlowState): string {
  switch (state.phase) {
    case "resolved":
      return "Already answered: this conversation is resolved.";
    case "confirm_fix":
    case "awaiting_parent":
      return "Already answered: this conversation is asking whether the parent has confirmed the change.";
    case "escalation":
    case "escalated":
      return "Already answered: this conversation has moved on to the escalation.";
    case "choose_version":
      return "Choose the OP version first.";
    default:
      return "Already answered: that check is done; here is where the conversation is now.";
  }
}

/** The suggested check when this flow has it, otherwise the flow's first step. */
function startingCheck(flow: Flow, suggested?: CheckId): CheckId | null {
  return flow.steps.find((s) => s.id === suggested)?.id ?? flow.steps[0]?.id ?? null;
}

/** The next step after `from` in list order that has no answer; then any earlier one left out. */
function nextUnanswered(flow: Flow, from: CheckId, answers: Answer[]): CheckId | undefined {
  const done = new Set(answers.map((a) => a.check));
  const after = flow.steps.findIndex((s) => s.id === from) + 1;
  return (flow.steps.slice(after).find((s) => !done.has(s.id)) ?? flow.steps.find((s) => !done.has(s.id)))
    ?.id;
}

// --- prompts ---------------------------------------------------------------------------------

function entry(ctx: FlowContext, id: string): KnowledgeEntry {
  const found = ctx.knowledge.get(id);
  // parseFlowFile guarantees every reference exists; reaching this is a programming error.
  if (!found) throw new Error(`knowledge entry "${id}" is missing`);
  return found;
}

function labels(ctx: FlowContext, ...values: Choice["value"][]): Choice[] {
  const names = ctx.flow.choices;
  const all: Record<string, Choice> = {
    fixed: { value: "fixed", label: names.fixed, style: "primary" },
    not_fixed: { value: "not_fixed", label: names.not_fixed },
    skip: { value: "skip", label: names.skip },
    back: { value: "back", label: names.back },
    escalate: { value: "escalate", label: names.escalate, style: "danger" },
    parent_confirmed: { value: "parent_confirmed", label: names.parent_confirmed, style: "primary" },
    await_parent: { value: "await_parent", label: names.await_parent },
    parent_not_seen: { value: "parent_not_seen", label: names.parent_not_seen },
    restart: { value: "restart", label: "Start over" },
  };
  return values.map((v) => all[v] ?? { value: v, label: v });
}

/** A choice per OP version the content covers. */
const versionChoices = (ctx: FlowContext, label: (v: OpVersion) => string) =>
  opVersionsOf(ctx.knowledge).map((v) => ({ value: `version:${v}` as const, label: label(v) }));

function chooseVersionPrompt(ctx: FlowContext): Prompt {
  return {
    kind: "choose_version",
    title: "Which OP version is the practice on?",
    body: ["The menus differ between versions. The version is shown in OP under Help > About."],
    choices: [
      ...versionChoices(ctx, (v) => `OP ${v}`),
      { value: "version:newer", label: "OP 20, or the newer portal" },
    ],
  };
}

function newerPortalPrompt(ctx: FlowContext): Prompt {
  const e = entry(ctx, ctx.flow.newer_portal);
  return {
    kind: "newer_portal",
    title: e.title,
    body: [...e.why, ...tips(e.notes)],
    choices: [...labels(ctx, "escalate"), ...versionChoices(ctx, (v) => `We are on OP ${v}`)],
  };
}

function checkPrompt(ctx: FlowContext, state: FlowState): Prompt {
  const steps = ctx.flow.steps;
  const index = steps.findIndex((s) => s.id === state.current);
  const step = steps[index];
  const version = state.version;
  if (!step || !version) throw new Error("a check is on screen without a step or a version");
  const e = entry(ctx, step.knowledge ?? step.id);
  return {
    kind: "check",
    check: step.id,
    version,
    position: index + 1,
    total: steps.length,
    title: e.title,
    body: e.why,
    steps: e.steps[version] ?? [],
    notes: e.notes,
    question: step.question,
    choices: labels(ctx, "fixed", "not_fixed", "skip", "back", "escalate"),
    citations: [{ check: e.id, version, section: e.source.section }],
  };
}

/** After "fixed": what the article says to do after any change, and whether the parent has confirmed. */
function confirmPrompt(ctx: FlowContext, state: FlowState): Prompt {
  const last = state.answers.at(-1);
  const check = last?.outcome === "fixed" ? last.check : state.current;
  const version = state.version;
  if (!check || !version) throw new Error("a confirmation is asked without a change or a version");
  const after = entry(ctx, ctx.flow.after_fix);
  const waiting = state.phase === "awaiting_parent";
  const change = changeAt(ctx, check);
  const made = `Change made at “${entry(ctx, check).title}”: ${change}.`;
  return {
    kind: "confirm_fix",
    check,
    version,
    waiting,
    title: waiting ? "Waiting for the parent to confirm" : after.title,
    body: waiting
      ? [made, "When the parent has logged in, say whether they see the child."]
      : [made, ...after.why, ...tips(after.notes)],
    change,
    steps: after.steps[version] ?? [],
    question: ctx.flow.confirm_question,
    choices: waiting
      ? labels(ctx, "parent_confirmed", "parent_not_seen", "back", "escalate")
      : labels(ctx, "parent_confirmed", "await_parent", "parent_not_seen", "back", "escalate"),
    citations: [{ check: after.id, version, section: after.source.section }],
  };
}

function resolvedPrompt(ctx: FlowContext, state: FlowState): Prompt {
  const check = fixedBy(state) ?? state.current ?? ctx.flow.steps[0]?.id ?? "shared-email";
  return {
    kind: "resolved",
    check,
    title: `Resolved: ${entry(ctx, check).title}`,
    body: [`The parent confirmed they see the child after this change: ${changeAt(ctx, check)}.`],
    choices: labels(ctx, "back", "restart"),
  };
}

/** Notes of a knowledge entry shown in a body: marked as tips, as they are not the article's. */
function tips(notes: readonly string[]): string[] {
  return notes.map((note) => `Good to know: ${note}`);
}

function escalationFormPrompt(ctx: FlowContext, state: FlowState): Prompt {
  const e = entry(ctx, ctx.flow.escalation.knowledge);
  const prefill: Record<string, string> = { steps_taken: stepsTakenText(ctx, state) };
  const given = state.escalation;
  if (given) {
    prefill.parent_name = given.parent_name;
    prefill.portal_emails = given.portal_emails.join("\n");
    prefill.patients = given.patients.join("\n");
    prefill.steps_taken = given.steps_taken;
    prefill.reset_authorized = given.reset_authorized ? "yes" : "no";
  }
  return {
    kind: "escalation_form",
    title: e.title,
    body: [...e.why, ...tips(e.notes)],
    phone: ctx.flow.escalation.phone,
    fields: ctx.flow.escalation.fields,
    prefill,
    choices: labels(ctx, "back", "restart"),
  };
}

function escalatedPrompt(ctx: FlowContext, state: FlowState): Prompt {
  const phone = ctx.flow.escalation.phone;
  if (awaitsDetails(state)) {
    return {
      kind: "escalated",
      title: "Escalated automatically",
      body: [
        "Nobody answered here for a long time, so what was known went to Support, with a list of what is still missing.",
        `Add the missing details with the escalation form, then call OP Support at ${phone}.`,
      ],
      phone,
      choices: [
        { value: "escalate", label: "Add the missing details", style: "primary" },
        ...labels(ctx, "restart"),
      ],
    };
  }
  return {
    kind: "escalated",
    title: "Escalation ready for Support",
    body: [`Call OP Support at ${phone} to open a case, with the details below at hand.`],
    phone,
    choices: labels(ctx, "restart"),
  };
}
