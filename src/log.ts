import type { Logger as SlackLogger } from "@slack/logger";
import { LogLevel as SlackLogLevel } from "@slack/logger";
import pino, { type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "./config.js";

export type { Logger };

/**
 * Structured logs (pino, one JSON object a line) with PHI removed by field name, at any depth.
 * Parent and patient data must never reach a log: our own log calls pass ids and counts only, and
 * this is the safety net for when an object slips through.
 */

/** Field names that carry PHI, compared lower-cased without `_`/`-` (so `parent_name` = `parentName`). */
const PHI_FIELD_NAMES = [
  // escalation form and report
  "parent_name",
  "portal_emails",
  "patients",
  "steps_taken",
  "details",
  "escalation",
  "report",
  // contact records and findings
  "records",
  "record",
  "contacts",
  "contact",
  "patient",
  "patient_name",
  "name",
  "first_name",
  "last_name",
  "full_name",
  "email",
  "emails",
  "dob",
  "birth_date",
  "summary",
  "findings",
  // free text: what people typed or pasted, modal answers, message bodies
  "text",
  "opening",
  "paste",
  "values",
  "blocks",
  "view",
  "message",
  "user_name",
  "real_name",
];
const PHI_FIELDS = new Set(PHI_FIELD_NAMES.map(normalize));

export const REDACTED = "[PHI redacted]";

function normalize(key: string) {
  return key.toLowerCase().replace(/[_-]/g, "");
}

/**
 * A copy of `value` with every PHI field replaced and every error reduced to safeError, wherever it
 * sits (under `err`, another key, in an array, in a child's bindings); cycles and depth are bounded.
 */
export function redactPhi(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) return safeError(value);
  if (seen.has(value) || depth > 12) return "[…]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactPhi(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      PHI_FIELDS.has(normalize(key)) && v !== null && v !== undefined
        ? REDACTED
        : redactPhi(v, depth + 1, seen);
  }
  return out;
}

/**
 * Errors keep their name, message, code and stack only. The standard serializer copies every
 * enumerable property, and HTTP client errors carry the request they failed on (message text,
 * modal answers) in theirs.
 */
export function safeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { code?: unknown; data?: { error?: unknown } };
  return {
    type: e.name,
    message: e.message,
    ...(e.code !== undefined ? { code: String(e.code) } : {}),
    ...(typeof e.data?.error === "string" ? { slackError: e.data.error } : {}),
    stack: e.stack,
  };
}

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; stdout by default. Tests pass a stream to read the output. */
  destination?: DestinationStream;
}

export function createLogger({ level, destination }: LoggerOptions): Logger {
  const logger = pino(
    {
      level,
      base: { app: "portal-check" },
      // `msg` is the only free-text field, and it is always a literal written in our code.
      // redactPhi also reduces errors, at any depth (pino's serializers would see top-level keys only).
      formatters: {
        log: (obj) => redactPhi(obj) as Record<string, unknown>,
        bindings: (bindings) => redactPhi(bindings) as Record<string, unknown>,
      },
    },
    destination ?? pino.destination(1),
  );
  return redactChildBindings(logger);
}

/**
 * pino passes a child logger's bindings through no formatter, so they are redacted on the way in,
 * once per child. (pino's `redact` option would cover them too, but costs about 50 us on every line.)
 * Children inherit this `child`, so grandchildren are covered as well.
 */
function redactChildBindings(logger: Logger): Logger {
  const child = logger.child;
  const redacting: Logger["child"] = function (this: unknown, bindings, options) {
    return Reflect.apply(child, this, [redactPhi(bindings), options]);
  };
  logger.child = redacting;
  return logger;
}

/**
 * Bolt and the Web API client log free-form strings; at debug level those strings are whole request
 * and response bodies (message text, modal answers), which cannot be redacted by field. So their
 * debug lines are dropped whatever LOG_LEVEL says; info, warn and error (rate limits, signature
 * failures, retries) go through as `{ lib, msg }`.
 */
export function slackLibraryLogger(logger: Logger): SlackLogger {
  const forward =
    (level: "info" | "warn" | "error") =>
    (...msg: unknown[]) =>
      logger[level]({ lib: "slack" }, msg.map((m) => (m instanceof Error ? m.message : String(m))).join(" "));
  return {
    debug: () => {},
    info: forward("info"),
    warn: forward("warn"),
    error: forward("error"),
    setLevel: () => {},
    getLevel: () => SlackLogLevel.INFO,
    // Every Web API client renames the shared logger; one name ("slack") is clearer in the output.
    setName: () => {},
  };
}
