import { decodeText, isUtf8, textDecoder } from "./decode.js";
import { detectForm } from "./detect.js";
import { JSON_LIMIT, readJson } from "./read-json.js";
import { KeyValueReader } from "./read-key-value.js";
import { TableReader } from "./read-table.js";
import type { ValidateOptions, ValidationResult } from "./schema.js";
import { type ValidationHandlers, ValidationSession } from "./session.js";

export interface StreamHandlers extends ValidationHandlers {
  /** Awaited between input chunks, e.g. until the output has drained. */
  drain?: () => Promise<void>;
}

/**
 * Validates input as it arrives (a whole-practice export on a file or stdin), with the same
 * readers and rules as validateText. With `findings` and `error` handlers, memory stays bounded
 * by the chunk size except for the email index the cross-row rules need. JSON is the exception:
 * it is read whole, up to JSON_LIMIT.
 */
export async function validateStream(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: ValidateOptions,
  handlers: StreamHandlers = {},
): Promise<ValidationResult> {
  const session = new ValidationSession(options, handlers);
  const input = toAsync(source)[Symbol.asyncIterator]();
  // Read until the form is clear, keeping the chunks read so far.
  const head: (Uint8Array | string)[] = [];
  let decoder: ReturnType<typeof textDecoder> | undefined;
  let start = "";
  let ended = false;
  let detected = detectForm(start, ended);
  while (!detected) {
    const next = await input.next();
    if (next.done) ended = true;
    else {
      head.push(next.value);
      decoder ??= textDecoder(next.value);
      start += decoder.decode(next.value);
    }
    detected = detectForm(start, ended);
  }
  async function* chunks() {
    yield* head;
    for (let next = await input.next(); !next.done; next = await input.next()) {
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
      problem = readJson(await whole(decodeText(chunks())), session);
      break;
    case "key-value":
      await new KeyValueReader(session).readStream(decodeText(chunks()));
      break;
    default: {
      // csv-parse decodes UTF-8 itself (BOM included): handing it the bytes saves decoding twice.
      const table = new TableReader(session, detected.delimiter);
      await table.readStream(
        head[0] !== undefined && isUtf8(head[0]) ? bytes(chunks()) : decodeText(chunks()),
      );
    }
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

async function* toAsync<T>(items: AsyncIterable<T> | Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/** Byte chunks as Buffers, which is what csv-parse takes besides strings. */
async function* bytes(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<Buffer | string> {
  for await (const chunk of chunks) {
    yield typeof chunk === "string" || Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}
