import { EXAMPLE_HEADERS, fieldFor } from "./fields.js";
import type { RawRecord, RecordSink } from "./raw-record.js";

/**
 * "Key: value" lines, one record per block, blocks separated by blank lines — how staff type a
 * contact out by hand. Hand-written because it is only "split each line at its first colon";
 * YAML would misread values such as "Smith, Jane: mother" or "[none]". Reads text as it arrives.
 */
export class KeyValueReader {
  private line = 0;
  /** The end of the text so far that is not a whole line yet. */
  private pending = "";
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

  private write(chunk: string): void {
    let text = this.pending + chunk;
    // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
    const keep = text.endsWith("\r") ? 1 : 0;
    const lines = text.slice(0, text.length - keep).split(/\r\n|\r|\n/);
    text = text.slice(text.length - keep);
    this.pending = (lines.pop() as string) + text;
    for (const line of lines) this.readLine(line);
  }

  private end(): void {
    if (this.pending !== "") this.readLine(this.pending.replace(/\r$/, ""));
    this.pending = "";
    this.closeBlock();
  }

  private readLine(text: string): void {
    this.line++;
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
