import { once } from "node:events";
import { finished } from "node:stream/promises";
import { type CsvError, type Info, type Options, Parser } from "csv-parse";
import { parse } from "csv-parse/sync";
import { fieldFor } from "./fields.js";
import type { RawRecord, RecordSink } from "./raw-record.js";
import type { Field } from "./schema.js";

/**
 * TSV and CSV with a header row, read by csv-parse (quotes, embedded delimiters and newlines, BOM,
 * CRLF). The first non-blank row is the header; its names are matched to fields (fields.ts) and
 * other columns are ignored. The same row handling serves a pasted text and a streamed file.
 */
export class TableReader {
  private columns: (Field | undefined)[] | undefined;
  private readonly labels: Partial<Record<Field, string>> = {};
  /** Where the previous row ended, and the blank lines csv-parse had skipped by then. */
  private previousEnd = 0;
  private previousEmpty = 0;
  /** csv-parse counts a CRLF inside a quoted cell as two lines; this is how many it has over-counted. */
  private overCounted = 0;

  constructor(
    private readonly sink: RecordSink,
    private readonly delimiter: string,
  ) {}

  /** The csv-parse options; rows go to this reader and are not collected by the parser. */
  options(): Options {
    return {
      ...tableOptions(this.delimiter),
      on_record: (cells: string[], info: Info) => {
        this.row(cells, info);
        return null;
      },
      on_skip: (error: CsvError | undefined) => void this.skipped(error),
    };
  }

  /** Reads a whole text at once (a paste). */
  readText(text: string): void {
    parse(text, this.options());
  }

  /** Reads text as it arrives (a file or stdin); memory stays bounded by the chunk size. */
  async readStream(chunks: AsyncIterable<string>): Promise<void> {
    const parser = new Parser(this.options());
    parser.resume(); // rows are handled in on_record; nothing is ever pushed downstream
    const done = finished(parser);
    for await (const chunk of chunks) {
      if (!parser.write(chunk)) await once(parser, "drain");
    }
    parser.end();
    await done;
  }

  private row(cells: string[], info: Info): void {
    const start = this.previousEnd + 1 + (info.empty_lines - this.previousEmpty);
    let end = info.lines - this.overCounted;
    if (end > start) {
      const extra = crlfCount(cells);
      this.overCounted += extra;
      end -= extra;
    }
    this.previousEnd = end;
    this.previousEmpty = info.empty_lines;
    if (cells.every((cell) => cell.trim() === "")) return;
    if (!this.columns) this.header(cells, start);
    else this.sink.record(this.toRecord(cells, start));
  }

  private header(cells: string[], line: number): void {
    this.columns = cells.map((label) => {
      const field = fieldFor(label);
      if (field === undefined) return undefined;
      const first = this.labels[field];
      if (first !== undefined) {
        this.sink.error({
          line,
          column: label.trim(),
          message: `this column means the same as "${first}"; only "${first}" is checked`,
        });
        return undefined;
      }
      this.labels[field] = label.trim();
      return field;
    });
  }

  private toRecord(cells: string[], line: number): RawRecord {
    const columns = this.columns as (Field | undefined)[];
    const record: RawRecord = { line, cells: {}, labels: this.labels };
    const width = Math.min(cells.length, columns.length);
    for (let i = 0; i < width; i++) {
      const field = columns[i];
      if (field !== undefined) record.cells[field] = cells[i] as string;
    }
    if (cells.length < columns.length) {
      this.sink.error({
        line,
        message: `this row has ${cells.length} cells but the header has ${columns.length}; the missing cells were not checked`,
      });
    } else if (
      cells.length > columns.length &&
      cells.slice(columns.length).some((cell) => cell.trim() !== "")
    ) {
      this.sink.error({
        line,
        message: `this row has ${cells.length} cells but the header has ${columns.length}; the extra cells were ignored`,
      });
    }
    return record;
  }

  private skipped(error: CsvError | undefined): void {
    const line =
      this.previousEnd +
      1 +
      ((error?.empty_lines as number | undefined) ?? this.previousEmpty) -
      this.previousEmpty;
    this.sink.error({
      line,
      message:
        error?.code === "CSV_QUOTE_NOT_CLOSED"
          ? 'a quote (") opened on this row is never closed, so this row and everything after it could not be read'
          : "this row could not be read as a table row",
    });
  }
}

/** Parser options without the row handling: the benchmark parses with exactly these. */
export function tableOptions(delimiter: string): Options {
  return {
    delimiter,
    bom: true,
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  };
}

function crlfCount(cells: string[]): number {
  let count = 0;
  for (const cell of cells) {
    for (let at = cell.indexOf("\r\n"); at >= 0; at = cell.indexOf("\r\n", at + 2)) count++;
  }
  return count;
}
