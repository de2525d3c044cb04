import type { Field, InputError } from "./schema.js";

/**
 * A record as a reader found it, before its cells are read as emails, dates and settings.
 * Readers (table, key:value, JSON) produce these; normalize.ts turns them into ContactRecords.
 */
export interface RawRecord {
  /** The line the record starts on. */
  line: number;
  /** The text of each field the input has, as typed but trimmed (a field the input lacks is absent or undefined). */
  cells: Partial<Record<Field, string | undefined>>;
  /** The fields in the input's order, where `cells` does not list them in that order. */
  order?: readonly Field[];
  /** The header or key the user wrote for each field, to name it in messages. Shared by a table's rows. */
  labels: Partial<Record<Field, string>>;
  /** The line of each cell, where it is not `line` (key:value blocks and JSON objects span lines). */
  cellLines?: Partial<Record<Field, number>>;
}

/** Where a reader delivers what it reads: records, and problems it can name a line for. */
export interface RecordSink {
  /** A reader may hand over the same RawRecord object again for its next record: keep its `cells`, not it. */
  record(raw: RawRecord): void;
  error(error: InputError): void;
  /** A table's header, once: each column's label with the field it is read as (none: not read). */
  header?(columns: readonly { label: string; field: Field | undefined }[]): void;
  /** A key (key:value, JSON) that no rule needs, so it was not read. */
  ignore?(label: string): void;
}
