import { decodeText } from "./decode.js";
import { detectForm } from "./detect.js";
import { JSON_LIMIT, readJson } from "./read-json.js";
import { KeyValueReader } from "./read-key-value.js";
import { TableReader } from "./read-table.js";
import type { ContactRecord, ValidateOptions, ValidationResult } from "./schema.js";
import { ValidationSession } from "./session.js";

export interface StreamHandlers {
  /** Called with each record as it is read; records are not kept. */
  record?: (record: ContactRecord) => void;
  /** Awaited between input chunks, e.g. until the output has drained. */
  drain?: () => Promise<void>;
}

/**
 * Validates input as it arrives (a whole-practice export on a file or stdin), with the same
 * readers and rules as validateText. Memory stays bounded by the chunk size, except for the email
 * index the cross-row rules need and the findings and errors found. JSON is the exception: it is
 * read whole, up to JSON_LIMIT.
 */
export async function validateStream(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: ValidateOptions,
  handlers: StreamHandlers = {},
): Promise<ValidationResult> {
  const session = new ValidationSession(options, handlers.record);
  const chunks = decodeText(source)[Symbol.asyncIterator]();
  let start = "";
  let ended = false;
  let detected = detectForm(start, ended);
  while (!detected) {
    const next = await chunks.next();
    if (next.done) ended = true;
    else start += next.value;
    detected = detectForm(start, ended);
  }
  async function* text() {
    if (start !== "") yield start;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      yield next.value;
      await handlers.drain?.();
    }
  }
  let problem: string | undefined;
  switch (detected.form) {
    case null:
      problem = detected.problem;
      break;
    case "json":
      problem = readJson(await whole(text()), session);
      break;
    case "key-value":
      await new KeyValueReader(session).readStream(text());
      break;
    default:
      await new TableReader(session, detected.delimiter).readStream(text());
  }
  return session.finish(detected.form, problem);
}

/** The whole text, or as much as makes it clear it is over the JSON limit. */
async function whole(chunks: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const chunk of chunks) {
    text += chunk;
    if (text.length > JSON_LIMIT) break;
  }
  return text;
}
