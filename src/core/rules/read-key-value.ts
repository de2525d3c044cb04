import { EXAMPLE_HEADERS, fieldFor } from "./fields.js";
import type { RawRecord, RecordSink } from "./raw-record.js";

/** The longest line kept; a longer one is reported, not held (memory stays bounded by it). */
const MAX_LINE = 1024 * 1024;

/**
 * "Key: value" lines, one record per block, blocks separated by blank lines — how staff type a
 * contact out by hand. Hand-written because it is only "split each line at its first colon";
 * YAML would misread values such as "Smith, Jane: mother" or "[none]". Reads text as it arrives.
 */
export class KeyValueReader {
  private line = 0;
  /** The end of the text so far that is not a whole line yet, in pieces. */
  private pieces: string[] = [];
  private pendingLength = 0;
  /** The last chunk ended with a CR, which may be the first half of a CRLF. */
  private crPending = false;
  /** The record being read, how many known keys it has, and whether a line of it was reported. */
  private block: { record: RawRecord; known: number; reported: boolean } | undefined;

  constructor(private readonly sink: RecordSink) {}

  readText(text: string): void {
    this.write(text);
    this.end();
  }

  async readStream(chunks: AsyncIterable<string>): Promise<void> {
    for await (const chunk of chunks) this.write(chunk);
    this.end();
  }

  /**
   * Only the new chunk is searched for line breaks; the unfinished line before it is kept in
   * pieces and joined once its end comes. So one very long line costs time in proportion to its
   * length, not to its length squared.
   */
  private write(chunk: string): void {
    let from = 0;
    // A CR that ended the previous chunk, followed here by LF: one CRLF, already counted.
    if (this.crPending) {
      this.crPending = false;
      if (chunk.charCodeAt(0) === 0x0a) from = 1;
    }
    let lf = chunk.indexOf("\n", from);
    let cr = chunk.indexOf("\r", from);
    while (lf >= 0 || cr >= 0) {
      const at = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
      this.add(chunk, from, at);
      this.readLine(this.takeLine());
      from = at + 1;
      if (at === cr) {
        if (at + 1 === chunk.length) this.crPending = true;
        else if (chunk.charCodeAt(at + 1) === 0x0a) from++;
      }
      // Each search starts where the last break was found: every character is looked at once.
      if (lf >= 0 && lf < from) lf = chunk.indexOf("\n", from);
      if (cr >= 0 && cr < from) cr = chunk.indexOf("\r", from);
    }
    this.add(chunk, from, chunk.length);
  }

  /** Adds part of a chunk to the unfinished line; a line past MAX_LINE is not kept, only reported. */
  private add(chunk: string, from: number, to: number): void {
    if (from === to) return;
    this.pendingLength += to - from;
    if (this.pendingLength > MAX_LINE) {
      this.pieces = [];
      return;
    }
    this.pieces.push(chunk.slice(from, to));
  }

  /** The line just ended, or undefined when it was too long to keep. */
  private takeLine(): string | undefined {
    const line =
      this.pendingLength > MAX_LINE
        ? undefined
        : this.pieces.length === 1
          ? (this.pieces[0] as string)
          : this.pieces.join("");
    this.pieces = [];
    this.pendingLength = 0;
    return line;
  }

  private end(): void {
    if (this.pendingLength > 0) this.readLine(this.takeLine());
    this.closeBlock();
  }

  private readLine(text: string | undefined): void {
    this.line++;
    if (text === undefined) {
      if (this.block) this.block.reported = true;
      this.sink.error({
        line: this.line,
        message: `this line is longer than ${MAX_LINE / 1024 / 1024} MB, more than any contact detail; it was not read`,
      });
      return;
    }
    if (text.trim() === "") {
      this.closeBlock();
      return;
    }
    this.block ??= {
      record: { line: this.line, cells: {}, labels: {}, cellLines: {} },
      known: 0,
      reported: false,
    };
    const colon = text.indexOf(":");
    if (colon < 0) {
      this.block.reported = true;
      this.sink.error({
        line: this.line,
        message:
          "expected a line of the form Key: value (a blank line separates records); this line was not read",
      });
      return;
    }
    const key = text.slice(0, colon).trim();
    const field = fieldFor(key);
    if (field === undefined) {
      this.sink.ignore?.(key); // another detail of the contact that no rule needs
      return;
    }
    const { record } = this.block;
    const first = record.labels[field];
    if (first !== undefined) {
      this.sink.error({
        line: this.line,
        column: key,
        message: `this record already has "${first}" (line ${record.cellLines?.[field]}); only that one is checked`,
      });
      return;
    }
    record.cells[field] = text.slice(colon + 1).trim();
    record.labels[field] = key;
    (record.cellLines as Record<string, number>)[field] = this.line;
    this.block.known++;
  }

  private closeBlock(): void {
    if (!this.block) return;
    const { record, known, reported } = this.block;
    this.block = undefined;
    if (known > 0) this.sink.record(record);
    else if (!reported) {
      this.sink.error({
        line: record.line,
        message: `this block has no key this check knows (such as ${EXAMPLE_HEADERS}); it was not checked`,
      });
    }
  }
}
