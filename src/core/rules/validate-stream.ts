import {
  type ChunkDecoder,
  decodeText,
  ENCODING_SAMPLE,
  type Encoding,
  encodingOf,
  textDecoder,
} from "./decode.js";
import { binaryProblem, type Detection, detectForm } from "./detect.js";
import { readForm } from "./read-form.js";
import { JSON_LIMIT, readJson } from "./read-json.js";
import { type PartEnd, TableReader } from "./read-table.js";
import type { Finding, ValidateOptions, ValidationResult } from "./schema.js";
import { type SessionPart, type ValidationHandlers, ValidationSession } from "./session.js";

export interface StreamHandlers extends ValidationHandlers {
  /** Awaited between input chunks, e.g. until the output has drained. */
  drain?: () => Promise<void>;
}

/**
 * The later parts of a file, read at the same time elsewhere (worker threads: src/cli/validate),
 * each by a session that `continues`. The source handed to validateStream is the first part.
 * Parts are used only for a UTF-8 table; any other input is read here whole, from `rest`.
 */
export interface InputParts {
  /** Where each later part starts, ascending, each just after a line break. The first ends at starts[0]. */
  readonly starts: readonly number[];
  /** Starts the later parts, once the first part has given the table's header. */
  begin(header: readonly string[], delimiter: string): void;
  /** Part `index`'s outcome (1 is the second part), or undefined when it could not be read. */
  result(index: number): Promise<PartResult | undefined>;
  /** Stops the parts from `index` on; they will not be used. */
  abandon(index: number): void;
  /** The file from `byte` to its end (or to `end`), read here instead of parts that were abandoned. */
  rest(byte: number, end?: number): AsyncIterable<Uint8Array>;
}

export interface PartResult {
  /** The lines before the part's start, as the part counted them. */
  linesBefore: number;
  /** Where the part's last row ended; undefined for the last part, which read to the end. */
  end?: PartEnd;
  session: SessionPart;
  /** The findings the part's session handed over, in order. */
  handed: AsyncIterable<Finding[]>;
  /** Called once the part is joined: its records and input problems are to be output now, in order. */
  joined(): Promise<void>;
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
  parts?: InputParts,
): Promise<ValidationResult> {
  const session = new ValidationSession(options, handlers);
  let input = toAsync(source)[Symbol.asyncIterator]();
  // Read until the encoding and the form are clear, keeping the chunks read so far. Both are
  // decided from the input's first bytes whatever its chunks or parts (so --threads N reads
  // exactly what --threads 1 reads): when the first part ends first, the split is given up.
  const head: (Uint8Array | string)[] = [];
  let headBytes = 0;
  let encoding: Encoding | undefined;
  let decoder: ChunkDecoder | undefined;
  let start = "";
  let ended = false;
  let splitGivenUp = false;
  let detected: Detection | undefined;
  while (!detected) {
    const next = await input.next();
    const split = next.done && parts && parts.starts.length > 0 && !splitGivenUp;
    if (split && decoder) {
      // The form needs text beyond the first part (blank lines before the header, a short part).
      splitGivenUp = true;
      parts.abandon(1);
      input = toAsync(parts.rest(parts.starts[0] as number))[Symbol.asyncIterator]();
      continue;
    }
    if (next.done) ended = !split;
    else {
      head.push(next.value);
      headBytes += next.value.length;
      if (decoder) start += decoder.decode(next.value);
    }
    if (!decoder && (headBytes >= ENCODING_SAMPLE || next.done || typeof head[0] === "string")) {
      // A first part shorter than the sample: the sample is completed from what follows it.
      const more = split
        ? await all(
            parts.rest(parts.starts[0] as number, (parts.starts[0] as number) + ENCODING_SAMPLE - headBytes),
          )
        : [];
      const sample = bytesOf([...head, ...more]);
      const binary = sample && binaryProblem(sample);
      if (binary) {
        detected = { form: null, problem: binary };
        break;
      }
      encoding = sample ? encodingOf(sample) : undefined;
      decoder = textDecoder(encoding);
      for (const chunk of head) start += decoder.decode(chunk);
    }
    if (decoder) detected = detectForm(start, ended);
  }
  async function* drained(more: AsyncIterator<Uint8Array | string>) {
    for (let next = await more.next(); !next.done; next = await more.next()) {
      yield next.value;
      await handlers.drain?.();
    }
  }
  const table = detected.form === "tsv" || detected.form === "csv";
  const utf8Table = table && encoding === "utf-8";
  const split =
    parts !== undefined && parts.starts.length > 0 && utf8Table && !splitGivenUp ? parts : undefined;
  async function* chunks() {
    yield* head;
    yield* drained(input);
    // Parts that will not be used: the rest of the file is read here.
    if (parts && !split && !splitGivenUp) {
      parts.abandon(1);
      yield* drained(toAsync(parts.rest(parts.starts[0] ?? 0))[Symbol.asyncIterator]());
    }
  }
  const problem = await readForm<Promise<string | undefined>>(detected, session, {
    json: async () => readJson(await whole(decodeText(chunks(), encoding)), session),
    keyValue: async (reader) => void (await reader.readStream(decodeText(chunks(), encoding))),
    table: async (reader, delimiter) => {
      // csv-parse decodes UTF-8 itself (BOM included): handing it the bytes saves decoding twice.
      if (split) {
        const rest = (byte: number) => bytes(drained(toAsync(split.rest(byte))[Symbol.asyncIterator]()));
        await readInParts(reader, session, bytes(chunks()), split, delimiter, rest, handlers.drain);
      } else await reader.readStream(utf8Table ? bytes(chunks()) : decodeText(chunks(), encoding));
      return undefined;
    },
  });
  return session.finish(detected.form, problem);
}

/** A later part of a file, as InputParts reads it (on a worker thread). */
export interface LaterPart {
  header: readonly string[];
  delimiter: string;
  /** Where the part starts in the file, and the lines before it there. */
  start: number;
  linesBefore: number;
  /** Where the part ends; undefined when it runs to the end of the file. */
  end?: number;
}

/**
 * Validates a later part of a file with the header its first part gave, numbering lines as in
 * the whole file, and returns what `ValidationSession.join` needs, plus where its last row ended.
 * Handlers get what the part's session hands over; its first and last patients' findings are kept
 * for the join instead.
 */
export async function validatePart(
  chunks: AsyncIterable<Buffer>,
  part: LaterPart,
  options: ValidateOptions,
  handlers: ValidationHandlers,
): Promise<{ end?: PartEnd; session: SessionPart }> {
  const session = new ValidationSession(options, handlers, { continues: true });
  const table = new TableReader(session, part.delimiter);
  table.useHeader(part.header);
  table.resumeAt(part.linesBefore, part.start);
  if (part.end === undefined) {
    await table.readStream(chunks);
    return { session: session.part() };
  }
  const end = await table.readPart(chunks, part.end);
  return { end, session: session.part() };
}

/**
 * Reads the first part here while the later parts are read elsewhere, then joins each part in
 * turn, as long as the part before ended cleanly where it began and both agree on the line count
 * there. From the first part that cannot be joined, the rest of the file is read here instead:
 * the result is the same either way, only slower.
 */
async function readInParts(
  table: TableReader,
  session: ValidationSession,
  first: AsyncIterable<Buffer | string>,
  parts: InputParts,
  delimiter: string,
  rest: (byte: number) => AsyncIterable<Buffer | string>,
  drain?: () => Promise<void>,
): Promise<void> {
  let end = await table.readPart(first, parts.starts[0] as number, (header) =>
    parts.begin(header, delimiter),
  );
  let index = 1;
  for (; index <= parts.starts.length && end.clean; index++) {
    const part = await parts.result(index);
    if (!part || part.linesBefore !== end.line) break;
    await session.join(part.session, drainedRuns(part.handed, drain));
    await part.joined();
    if (!part.end) return;
    end = part.end;
  }
  parts.abandon(index);
  table.resumeAt(end.line, end.bytes);
  await table.readStream(rest(end.bytes));
}

/** The runs of findings a part handed over, draining the output now and then as they are handed on. */
async function* drainedRuns<T>(runs: AsyncIterable<T>, drain?: () => Promise<void>): AsyncGenerator<T> {
  let count = 0;
  for await (const run of runs) {
    yield run;
    if (++count % 1024 === 0) await drain?.();
  }
  await drain?.();
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

/** Every chunk, read to the end (a bounded range: see InputParts.rest). */
async function all(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const taken: Uint8Array[] = [];
  for await (const chunk of chunks) taken.push(chunk);
  return taken;
}

/** The byte chunks read so far as one sample, or undefined when the input came as text. */
function bytesOf(chunks: readonly (Uint8Array | string)[]): Uint8Array | undefined {
  if (chunks.some((chunk) => typeof chunk === "string")) return undefined;
  const sample = Buffer.concat(chunks as Uint8Array[]);
  return sample.subarray(0, ENCODING_SAMPLE);
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
