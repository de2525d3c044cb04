import { type Detection, detectForm } from "./detect.js";
import { readForm } from "./read-form.js";
import { readJson } from "./read-json.js";
import type { ContactRecord, TextValidationResult, ValidateOptions } from "./schema.js";
import { ValidationSession } from "./session.js";

/**
 * Validates a paste held in memory (a few dozen rows from Slack, a test's fixture). Never throws
 * on bad input: what could not be read comes back in `errors`, or in `unusable` when nothing could.
 */
export function validateText(text: string, options: ValidateOptions): TextValidationResult {
  const records: ContactRecord[] = [];
  const session = new ValidationSession(options, { record: (record) => records.push(record) });
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const detected = detectForm(body, true) as Detection;
  const problem = readForm<string | undefined>(detected, session, {
    json: () => readJson(body, session),
    keyValue: (reader) => void reader.readText(body),
    table: (reader) => void reader.readText(body),
  });
  return { ...session.finish(detected.form, problem), records };
}
