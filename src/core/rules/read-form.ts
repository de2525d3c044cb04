import type { Detection } from "./detect.js";
import type { RecordSink } from "./raw-record.js";
import { KeyValueReader } from "./read-key-value.js";
import { TableReader } from "./read-table.js";

/**
 * How a caller reads each form of input: validateText from a string in memory, validateStream
 * from chunks as they arrive (`R` is then a promise). Each returns the problem that left nothing
 * readable (JSON only, e.g. "not a list of contacts"), else undefined.
 */
export interface FormReading<R> {
  json(): R;
  keyValue(reader: KeyValueReader): R;
  table(reader: TableReader, delimiter: string): R;
}

/**
 * Reads the input with the reader for the form detected, handing the records to `sink`: the one
 * place that maps a form to its reader. A form added to Detection is added here and to
 * FormReading, and the type checker then asks every caller how it reads it.
 * Returns what the reading returned, or the detector's problem when no form was found.
 */
export function readForm<R>(detected: Detection, sink: RecordSink, how: FormReading<R>): R | string {
  switch (detected.form) {
    case null:
      return detected.problem;
    case "json":
      return how.json();
    case "key-value":
      return how.keyValue(new KeyValueReader(sink));
    default:
      return how.table(new TableReader(sink, detected.delimiter), detected.delimiter);
  }
}
