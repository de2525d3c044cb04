import { createRequire } from "node:module";
import type { Node } from "yaml";
import { EXAMPLE_HEADERS, fieldFor } from "./fields.js";
import type { RawRecord, RecordSink } from "./raw-record.js";

/**
 * A JSON array of objects (or one object). JSON.parse cannot say on which line an object or a
 * bad value sits, so the text is read with the yaml library, whose parser keeps every node's
 * position (JSON is a subset of YAML 1.2). It is held in memory whole, hence the size limit.
 */
export const JSON_LIMIT = 16 * 1024 * 1024;

/** Reads the records into the sink; returns a problem when the text cannot be used at all. */
export function readJson(text: string, sink: RecordSink): string | undefined {
  // Loaded on first use: a CSV export should not pay the library's start-up time.
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  if (text.length > JSON_LIMIT) {
    return `The JSON is larger than ${JSON_LIMIT / 1024 / 1024} MB; export large files as CSV or TSV instead.`;
  }
  // YAML also accepts what JSON does not (`{"a": }`); JSON.parse keeps the input to real JSON.
  const invalidAt = jsonSyntaxError(text);
  if (invalidAt !== undefined) {
    const before = text.slice(0, invalidAt);
    const line = before.split("\n").length;
    return `The JSON is not valid at line ${line}, column ${invalidAt - before.lastIndexOf("\n")}.`;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const lineOf = (node: unknown) => lines.linePos((node as Node | null)?.range?.[0] ?? 0).line;
  const root = doc.contents;
  const items = isSeq(root) ? root.items : isMap(root) ? [root] : undefined;
  if (!items) return "The JSON is not an array of objects.";
  items.forEach((item, index) => {
    if (!isMap(item)) {
      sink.error({
        line: lineOf(item),
        message: `item ${index + 1} of the array is not an object; it was not checked`,
      });
      return;
    }
    const record: RawRecord = { line: lineOf(item), cells: {}, labels: {}, cellLines: {} };
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const field = key === undefined ? undefined : fieldFor(key);
      if (field === undefined || key === undefined) continue;
      const line = lineOf(pair.key);
      const first = record.labels[field];
      if (first !== undefined) {
        sink.error({
          line,
          column: key,
          message: `this object already has "${first}"; only that one is checked`,
        });
        continue;
      }
      if (pair.value !== null && !isScalar(pair.value)) {
        sink.error({
          line,
          column: key,
          message: "expected text, a number or null; this value was not checked",
        });
        continue;
      }
      const value = pair.value?.value;
      record.cells[field] = value === null || value === undefined ? "" : String(value).trim();
      record.labels[field] = key;
      (record.cellLines as Record<string, number>)[field] = line;
    }
    if (Object.keys(record.cells).length > 0) sink.record(record);
    else {
      sink.error({
        line: record.line,
        message: `this object has no key this check knows (such as ${EXAMPLE_HEADERS}); it was not checked`,
      });
    }
  });
  return undefined;
}

/** Where JSON.parse stops, or undefined when the text is valid JSON. */
function jsonSyntaxError(text: string): number | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    // Node states the offset in its message ("… at position 34"); without one, the text ended early.
    const position = /position (\d+)/.exec((err as Error).message)?.[1];
    return position === undefined ? text.length : Number(position);
  }
}

let loaded: typeof import("yaml") | undefined;
function yaml(): typeof import("yaml") {
  loaded ??= createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return loaded;
}
