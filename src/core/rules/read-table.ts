import { once } from "node:events";
import { finished } from "node:stream/promises";
import { type CsvError, type Info, type Options, Parser } from "csv-parse";
import { parse } from "csv-parse/sync";
import { blankOf } from "./blank.js";
import { fieldFor } from "./fields.js";
import type { RawRecord, RecordSink } from "./raw-record.js";
import { FIELDS, type Field, type InputError } from "./schema.js";

/**
 * TSV and CSV with a header row, read by csv-parse (quotes, embedded delimiters and newlines, BOM,
 * CRLF). The first non-blank row is the header; its names are matched to fields (fields.ts) and
 * other columns are ignored. The same row handling serves a pasted text and a streamed file.
 */
export class TableReader {
  private columns: (Field | undefined)[] | undefined;
  private readonly labels: Partial<Record<Field, string>> = {};
  /** The header's fields with their column numbers, and in column order. */
  private positions: { fields: Field[]; at: number[] } = { fields: [], at: [] };
  private order: Field[] = [];
  /** Handed to the sink for every row, refilled each time (see RecordSink): one object less per row. */
  private readonly raw: RawRecord = { line: 0, cells: {}, labels: this.labels, order: this.order };
  /** Where the previous row ended, and the blank lines csv-parse had skipped by then. */
  private previousEnd = 0;
  private previousEmpty = 0;
  /** csv-parse counts a CRLF inside a quoted cell as two lines; this is how many it has over-counted. */
  private overCounted = 0;
  /** Reading a later part of a file (`resumeAt`): the lines and bytes before the parser's input. */
  private linesBefore = 0;
  private bytesBefore = 0;
  /** The parser's byte count just after the last row it handed over. */
  private rowsEnd = 0;
  /**
   * Rows csv-parse skipped since the last row it handed over. They are reported when the next row
   * comes or the input ends; a part of a file that ends inside a quoted cell drops them instead
   * (see readPart), as they are read again by whoever continues.
   */
  private skips: InputError[] = [];
  private headerCells: readonly string[] | undefined;

  constructor(
    private readonly sink: RecordSink,
    private readonly delimiter: string,
  ) {}

  /** The csv-parse options; skipped rows are reported to this reader. */
  private options(): Options {
    return {
      ...tableOptions(this.delimiter),
      // A later part of a file starts mid-file, where a byte-order mark cannot be.
      bom: this.bytesBefore === 0,
      on_skip: (error: CsvError | undefined) => void this.skipped(error),
    };
  }

  /** Takes a header read elsewhere (by the reader of an earlier part), without reporting on it again. */
  useHeader(cells: readonly string[]): void {
    this.readHeader(cells, 0, false);
  }

  /**
   * Makes the next read continue a file at `byte`, just after a line break, where `line` lines
   * come before: a later part of a file, or the rest after a part that did not end cleanly.
   */
  resumeAt(line: number, byte: number): void {
    this.linesBefore = line;
    this.previousEnd = line;
    this.bytesBefore = byte;
    this.previousEmpty = 0;
    this.overCounted = 0;
    this.rowsEnd = 0;
    this.skips = [];
  }

  /** Reads a whole text at once (a paste). */
  readText(text: string): void {
    parse(text, {
      ...this.options(),
      on_record: (cells: string[], info: Info) => {
        this.row(cells, info);
        return null; // handled here, not collected
      },
    });
    this.reportSkips();
  }

  /** Reads text as it arrives (a file or stdin); memory stays bounded by the chunk size. */
  async readStream(chunks: AsyncIterable<string | Buffer>): Promise<void> {
    await this.parse(chunks);
    this.reportSkips();
  }

  /**
   * Reads one part of a file, from where `resumeAt` put the reader (or the start) to the byte
   * `endsAt`, just after a line break. `onHeader` is called as soon as the header is known, so the
   * next part can start. Clean when the part's last row ended at `endsAt`: then the next part,
   * read by another reader from `endsAt`, continues the table exactly. Otherwise (the break was
   * inside a quoted cell, or blank lines ended the part) what follows the last row must be read
   * again from `bytes`, after `line`.
   */
  async readPart(
    chunks: AsyncIterable<Buffer | string>, // bytes: a string chunk would throw the byte count off
    endsAt: number,
    onHeader?: (cells: readonly string[]) => void,
  ): Promise<PartEnd> {
    let told = false;
    await this.parse(chunks, () => {
      if (!told && this.headerCells) {
        told = true;
        onHeader?.(this.headerCells);
      }
    });
    const bytes = this.bytesBefore + this.rowsEnd;
    const clean = bytes === endsAt && this.skips.length === 0;
    this.skips = [];
    return { clean, bytes, line: this.previousEnd };
  }

  private async parse(chunks: AsyncIterable<string | Buffer>, afterChunk?: () => void): Promise<void> {
    const parser = new RowParser(this.options(), (cells, info) => this.row(cells, info));
    parser.resume(); // nothing is passed downstream; this lets the stream end
    const done = finished(parser);
    for await (const chunk of chunks) {
      if (!parser.write(chunk)) await once(parser, "drain");
      afterChunk?.();
    }
    parser.end();
    await done;
    afterChunk?.();
  }

  private reportSkips(): void {
    for (const skip of this.skips) this.sink.error(skip);
    this.skips = [];
  }

  private row(cells: string[], info: Info): void {
    if (this.skips.length > 0) this.reportSkips();
    this.rowsEnd = info.bytes;
    const start = this.previousEnd + 1 + (info.empty_lines - this.previousEmpty);
    let end = info.lines - this.overCounted + this.linesBefore;
    if (end > start) {
      const extra = crlfCount(cells);
      this.overCounted += extra;
      end -= extra;
    }
    this.previousEnd = end;
    this.previousEmpty = info.empty_lines;
    if (isBlank(cells)) return;
    if (!this.columns) this.readHeader(cells, start);
    else this.sink.record(this.toRecord(cells, start));
  }

  private readHeader(cells: readonly string[], line: number, report = true): void {
    this.headerCells = cells;
    this.columns = cells.map((label) => {
      const field = fieldFor(label);
      if (field === undefined) return undefined;
      const first = this.labels[field];
      if (first !== undefined) {
        if (report)
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
    this.sink.header?.(
      cells.map((label, column) => ({ label: label.trim(), field: this.columns?.[column] })),
    );
    const fields = this.columns.flatMap((field) => (field === undefined ? [] : [field]));
    const at = this.columns.flatMap((field, column) => (field === undefined ? [] : [column]));
    this.positions = { fields, at };
    this.order = fields;
    this.raw.order = fields;
  }

  private toRecord(cells: string[], line: number): RawRecord {
    const columns = this.columns as (Field | undefined)[];
    const record = this.raw;
    record.line = line;
    record.cells = { ...NO_CELLS };
    const { fields, at } = this.positions;
    for (let i = 0; i < fields.length; i++) {
      const column = at[i] as number;
      if (column < cells.length) record.cells[fields[i] as Field] = trim(cells[column] as string);
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
    this.skips.push({
      line,
      message:
        error?.code === "CSV_QUOTE_NOT_CLOSED"
          ? 'a quote (") opened on this row is never closed, so this row and everything after it could not be read'
          : "this row could not be read as a table row",
    });
  }
}

/** Where a part of a file ended (TableReader.readPart). */
export interface PartEnd {
  clean: boolean;
  /** Just after the part's last row, in the whole file's bytes. */
  bytes: number;
  /** The line the part's last row ended on. */
  line: number;
}

/**
 * csv-parse's stream parser, handing each row over as it is parsed. `on_record` would do, but
 * csv-parse then copies its line counters into a fresh object per row, a third of the parsing
 * time on a large export; here the row is taken where the parser passes it on (`push`), and the
 * counters read from the parser's own `info`, which at that moment describe that row.
 */
class RowParser extends Parser {
  constructor(
    options: Options,
    private readonly onRow: (cells: string[], info: Info) => void,
  ) {
    super(options);
  }

  override push(row: unknown, encoding?: BufferEncoding): boolean {
    if (row === null) return super.push(null, encoding);
    this.onRow(row as string[], this.info);
    return true;
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

/**
 * A row's cells with every field present (undefined until set), in FIELDS order: all rows of a
 * table then share one object shape, which makes the per-row work on a large export much cheaper.
 */
const NO_CELLS = blankOf(FIELDS);

/** Trimmed; most cells need none, and checking first spares a copy of each. */
function trim(text: string): string {
  return text !== "" && (text.charCodeAt(0) <= 32 || text.charCodeAt(text.length - 1) <= 32)
    ? text.trim()
    : text;
}

function isBlank(cells: string[]): boolean {
  for (const cell of cells) if (cell !== "" && cell.trim() !== "") return false;
  return true;
}

function crlfCount(cells: string[]): number {
  let count = 0;
  for (const cell of cells) {
    for (let at = cell.indexOf("\r\n"); at >= 0; at = cell.indexOf("\r\n", at + 2)) count++;
  }
  return count;
}
