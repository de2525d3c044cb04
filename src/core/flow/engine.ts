import { type CheckId, OP_VERSIONS, type OpVersion } from "../ids.js";
import type { KnowledgeBase, KnowledgeEntry } from "../knowledge/schema.js";
import type { Choice, Prompt } from "./prompt.js";
import { ESCALATE, type Flow, type FlowStep } from "./schema.js";
import type { Answer, FlowEvent, FlowState, Outcome, ParentConfirmation } from "./state.js";
import { orderedSteps } from "./steps.js";
import { changeAt, stepsTakenText } from "./transcript.js";

/**
 * The guided check as a pure state machine: (state, event) -> (new state, prompts).
 * No I/O, no clock (events carry their time), no Slack: both shells call these three functions.
 *
 * Walk: the flow's steps in `next` order, from the first one or from the check the opening text
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

export interface Transition {
  state: FlowState;
  prompts: Prompt[];
}

type StartEvent = Extract<FlowEvent, { type: "start" }>;

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

export function handle(ctx: FlowContext, state: FlowState, event: FlowEvent): Transition {
  const next = transition(ctx, state, event);
  if ("notice" in next) {
    return { state, prompts: [{ kind: "notice", text: next.notice }, ...currentPrompts(ctx, state)] };
  }
  const moved = { ...next, updatedAt: event.at };
  return { state: moved, prompts: currentPrompts(ctx, moved) };
}

/** The screen for a state: used after every transition and to redraw a conversation. */
export function currentPrompts(ctx: FlowContext, state: FlowState): Prompt[] {
  switch (state.phase) {
    case "choose_version":
      return [chooseVersionPrompt()];
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

// ---------------------------------------------------------------------------------------------

type Outcomeish = FlowState | { notice: string };

function transition(ctx: FlowContext, state: FlowState, event: FlowEvent): Outcomeish {
  switch (event.type) {
    case "start":
    case "restart":
      return restart(ctx, state, event.type === "start" ? event : undefined);
    case "choose_version":
      return chooseVersion(state, event.version);
    case "fixed":
    case "not_fixed":
    case "skip":
      return answer(ctx, state, event.type === "skip" ? "skipped" : event.type, event.at, event.check);
    case "escalate":
      return escalate(state, event.at);
    case "back":
      return back(state);
    case "parent_confirmed":
      return parentSaid(ctx, state, "confirmed");
    case "await_parent":
      return parentSaid(ctx, state, "waiting");
    case "parent_not_seen":
      return parentSaid(ctx, state, "not_seen");
    case "submit_escalation":
      if (state.phase !== "escalation") return { notice: "There is no escalation form open right now." };
      return { ...state, phase: "escalated", escalation: event.details };
    case "auto_escalate":
      if (state.phase === "resolved" || state.phase === "escalated")
        return { notice: alreadyAnswered(state) };
      // A change was made and only the parent's confirmation is missing: nothing for Support yet.
      if (state.phase === "confirm_fix" || state.phase === "awaiting_parent")
        return { notice: "Not escalated: this conversation is waiting for the parent's confirmation." };
      return { ...state, phase: "escalated", autoEscalatedAt: event.at };
  }
}

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

function chooseVersion(state: FlowState, version: OpVersion | "newer"): Outcomeish {
  if (state.phase !== "choose_version" && state.phase !== "newer_portal" && state.phase !== "check") {
    return { notice: "The OP version can only be changed while the checks are running." };
  }
  if (version === "newer") return { ...state, phase: "newer_portal", version: null, newerPortal: true };
  // Changing the version mid-walk keeps the answers and redraws the same check in the new menus.
  const { newerPortal: _said, ...rest } = state;
  return { ...rest, phase: "check", version };
}

function answer(
  ctx: FlowContext,
  state: FlowState,
  outcome: Outcome,
  at: string,
  check?: CheckId,
): Outcomeish {
  if (state.phase !== "check" || !state.current) return { notice: alreadyAnswered(state) };
  if (check && check !== state.current) return { notice: alreadyAnswered(state) };
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
function parentSaid(ctx: FlowContext, state: FlowState, parent: ParentConfirmation): Outcomeish {
  const last = state.answers.at(-1);
  const asking = state.phase === "confirm_fix" || state.phase === "awaiting_parent";
  if (!asking || last?.outcome !== "fixed") return { notice: alreadyAnswered(state) };
  if (parent === "waiting" && state.phase === "awaiting_parent")
    return { notice: "Already waiting for the parent's confirmation." };
  const answers: Answer[] = [...state.answers.slice(0, -1), { ...last, parent }];
  if (parent === "confirmed") return { ...state, phase: "resolved", current: last.check, answers };
  if (parent === "waiting") return { ...state, phase: "awaiting_parent", current: last.check, answers };
  const upcoming = nextUnanswered(ctx.flow, last.check, answers);
  return upcoming
    ? { ...state, phase: "check", current: upcoming, answers }
    : { ...state, phase: "escalation", current: last.check, answers };
}

function escalate(state: FlowState, at: string): Outcomeish {
  // Waiting for the parent's word: the form opens; the transcript says the parent had not confirmed.
  if (state.phase === "confirm_fix" || state.phase === "awaiting_parent")
    return { ...state, phase: "escalation" };
  if (state.phase === "check" && state.current) {
    return {
      ...state,
      phase: "escalation",
      answers: [...state.answers, { check: state.current, outcome: "escalated", at }],
    };
  }
  if (state.phase === "newer_portal" || state.phase === "choose_version")
    return { ...state, phase: "escalation" };
  if (state.phase === "escalation") return { notice: "The escalation form is already open." };
  if (awaitsDetails(state)) return { ...state, phase: "escalation" };
  return { notice: alreadyAnswered(state) };
}

/**
 * Undo the last answer: its check comes back on screen. After a change, back goes one question at a
 * time: from the parent's answer (or an escalation opened while asking) to the question about the
 * parent, and from there to the check.
 */
function back(state: FlowState): Outcomeish {
  if (state.phase === "escalated") {
    return { notice: "The escalation has been handed over; it cannot be undone. Restart for a new check." };
  }
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
    return { notice: "Nothing to undo yet: this is the first answer." };
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
  const steps = orderedSteps(flow);
  return steps.find((s) => s.id === suggested)?.id ?? steps[0]?.id ?? null;
}

/** The next step after `from` in walking order that has no answer; then any earlier one left out. */
function nextUnanswered(flow: Flow, from: CheckId, answers: Answer[]): CheckId | undefined {
  const done = new Set(answers.map((a) => a.check));
  const steps = orderedSteps(flow);
  const byId = new Map(steps.map((s) => [s.id, s]));
  let cursor: FlowStep | undefined = byId.get(from);
  while (cursor && cursor.next !== ESCALATE) {
    cursor = byId.get(cursor.next);
    if (cursor && !done.has(cursor.id)) return cursor.id;
  }
  return steps.find((s) => !done.has(s.id))?.id;
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

function chooseVersionPrompt(): Prompt {
  return {
    kind: "choose_version",
    title: "Which OP version is the practice on?",
    body: ["The menus differ between versions. The version is shown in OP under Help > About."],
    choices: [
      ...OP_VERSIONS.map((v) => ({ value: `version:${v}` as const, label: `OP ${v}` })),
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
    choices: [
      ...labels(ctx, "escalate"),
      ...OP_VERSIONS.map((v) => ({ value: `version:${v}` as const, label: `We are on OP ${v}` })),
    ],
  };
}

function checkPrompt(ctx: FlowContext, state: FlowState): Prompt {
  const steps = orderedSteps(ctx.flow);
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
  const check = fixedBy(state) ?? state.current ?? orderedSteps(ctx.flow)[0]?.id ?? "shared-email";
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
