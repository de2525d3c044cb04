import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ChoiceValue, type StepChoice, VersionChoice } from "../core/flow/prompt.js";
import { CheckId } from "../core/ids.js";

/**
 * Action ids, view callback ids and what buttons carry. The check buttons, `escalation_form` and
 * its block ids are part of the contract in docs/architecture.md; the rest are this app's own.
 */
export const ACTION = {
  fixed: "check_fixed",
  notFixed: "check_not_fixed",
  skip: "check_skip",
  back: "check_back",
  escalate: "escalate_now",
  paste: "paste_records",
  restart: "restart",
  /** After "fixed": the parent confirmed, has not logged in yet, or still cannot see the child. */
  parentConfirmed: "parent_confirmed",
  awaitParent: "parent_waiting",
  parentNotSeen: "parent_not_seen",
  /** `choose_version_<v>` for each OP version the content covers (`choose_version_14.19`), and `choose_version_newer`. */
  versionPrefix: "choose_version_",
  /** Start a guided check from an answer to a question (mention or DM). */
  start: "start_check",
  /** Redraw a conversation after Slack failed to show it (offered in error messages). */
  redraw: "redraw",
  caseOpened: "escalation_case_opened",
  supportResolved: "escalation_resolved",
  /** 👍 / 👎 under an answer to a question. */
  answerHelpful: "answer_helpful",
  answerNotHelpful: "answer_not_helpful",
  /** "This did not help" at the end of a guided check that did not fix it. */
  checkNotHelped: "check_not_helped",
  /** App Home's link buttons (Slack opens the link and sends the click to the app too). */
  homeOpenThread: "home_open_thread",
} as const;

export const VIEW = {
  escalation: "escalation_form",
  paste: "paste_records_form",
  caseNumber: "case_number_form",
} as const;

/** The action id of every engine choice but the versions, which share ACTION.versionPrefix. */
const CHOICE_ACTIONS: Record<StepChoice, string> = {
  fixed: ACTION.fixed,
  not_fixed: ACTION.notFixed,
  skip: ACTION.skip,
  back: ACTION.back,
  escalate: ACTION.escalate,
  restart: ACTION.restart,
  parent_confirmed: ACTION.parentConfirmed,
  await_parent: ACTION.awaitParent,
  parent_not_seen: ACTION.parentNotSeen,
};
const ACTION_CHOICES = new Map(
  Object.entries(CHOICE_ACTIONS).map(([choice, action]) => [action, ChoiceValue.parse(choice)]),
);
const VERSION = "version:";

/** The action id that carries each engine choice (`choose_version_14.19` for "version:14.19"). */
export function actionIdFor(choice: ChoiceValue): string {
  // The step choices first: a map lookup, where the version pattern is a schema parse.
  if (Object.hasOwn(CHOICE_ACTIONS, choice)) return CHOICE_ACTIONS[choice as StepChoice];
  const parsed = VersionChoice.safeParse(choice);
  if (parsed.success) return `${ACTION.versionPrefix}${parsed.data.slice(VERSION.length)}`;
  return CHOICE_ACTIONS[choice as StepChoice];
}

/**
 * The engine choice behind an action id (undefined for the app's own actions). The button
 * dispatcher sends every id this reads to the engine, so a new choice cannot go unhandled.
 */
export function choiceFor(actionId: string): ChoiceValue | undefined {
  const known = ACTION_CHOICES.get(actionId);
  if (known) return known;
  if (!actionId.startsWith(ACTION.versionPrefix)) return undefined;
  const version = VersionChoice.safeParse(`${VERSION}${actionId.slice(ACTION.versionPrefix.length)}`);
  return version.success ? version.data : undefined;
}

/**
 * What a conversation button carries: the conversation id, the turn it was drawn at (a click from an
 * older drawing is stale) and the check on screen. Compact keys: values are limited to 2000 chars.
 */
export const ButtonValue = z.object({
  c: z.string().min(1).max(100),
  t: z.number().int().min(0),
  k: CheckId.optional(),
});
export type ButtonValue = z.infer<typeof ButtonValue>;

/** A start button on an answer: the check the answer suggests. */
export const StartValue = z.object({ k: CheckId.optional() });
export type StartValue = z.infer<typeof StartValue>;

/** A 👍 / 👎 button: the stored question it rates. */
export const FeedbackValue = z.object({ q: z.string().min(1).max(100) });
export type FeedbackValue = z.infer<typeof FeedbackValue>;

/** Buttons and modals of a conversation: its id only (the state stays in the store). */
export const ConversationRef = z.object({ c: z.string().min(1).max(100) });
export type ConversationRef = z.infer<typeof ConversationRef>;

/**
 * The status buttons of an escalation post and the case-number modal: the conversation and which of
 * its escalations (a conversation restarted after one can escalate again).
 */
export const EscalationRef = ConversationRef.extend({ e: z.string().min(1).max(40) });
export type EscalationRef = z.infer<typeof EscalationRef>;

/**
 * Button values and private_metadata are signed, so a click or a form acts only on the conversation
 * (and turn, check, escalation) this app drew it for: `s` is an HMAC-SHA256 over the value's other
 * fields (keys sorted), base64url, 22 characters (128 bits). Every value is written by encode() and
 * read by readValue()/decode(), so a new button is signed by construction.
 *
 * The key is derived from the app's signing secret (Socket Mode: its app-level token), so every
 * instance of the app accepts the others' buttons. createSlackApp sets it; until then (block
 * rendering in tests) a random key of this process is used.
 */
const KEY_LABEL = "portal-check: button values and private_metadata, v1";
let valueKey: Buffer = randomBytes(32);

/** Derives the signing key from the app's secret; call once when the app is built. */
export function useValueKey(secret: string): void {
  valueKey = createHmac("sha256", secret).update(KEY_LABEL).digest();
}

/** The fields a value may carry: short strings and numbers (Slack limits values to 2000 characters). */
type Fields = Record<string, string | number | undefined>;

function signatureOf(fields: Fields): string {
  const canonical = Object.keys(fields)
    .filter((key) => key !== "s" && fields[key] !== undefined)
    .sort()
    .map((key) => [key, fields[key]]);
  return createHmac("sha256", valueKey).update(JSON.stringify(canonical)).digest("base64url").slice(0, 22);
}

/** A button value or private_metadata: the fields as JSON, with their signature `s`. */
export function encode<T extends Fields>(value: T): string {
  return JSON.stringify({ ...value, s: signatureOf(value) });
}

export type ReadValue<T> =
  | { ok: true; value: T }
  /**
   * unreadable: not JSON of this shape (a button an older version drew, or junk); unsigned: drawn
   * before values were signed; forged: signed, but not by this app for these fields.
   */
  | { ok: false; problem: "unreadable" | "unsigned" | "forged" };

/** Parses and checks a value encode() wrote. */
export function readValue<T extends Fields>(schema: z.ZodType<T>, raw: string | undefined): ReadValue<T> {
  if (!raw) return { ok: false, problem: "unreadable" };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, problem: "unreadable" };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, problem: "unreadable" };
  const given = (json as { s?: unknown }).s;
  if (typeof given !== "string") return { ok: false, problem: "unsigned" };
  const expected = Buffer.from(signatureOf(parsed.data));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
    return { ok: false, problem: "forged" };
  return { ok: true, value: parsed.data };
}

/** The value when it is readable and signed by this app; undefined otherwise (see readValue for why). */
export function decode<T extends Fields>(schema: z.ZodType<T>, raw: string | undefined): T | undefined {
  const read = readValue(schema, raw);
  return read.ok ? read.value : undefined;
}
