import { type ParseError, type ParseErrorCode, parseTree, printParseErrorCode } from "jsonc-parser";
import { EXAMPLE_HEADERS, fieldFor } from "./fields.js";
import type { RawRecord, RecordSink } from "./raw-record.js";

/**
 * A JSON array of objects (or one object). The values are read by JSON.parse, which is fast and
 * strict; JSON.parse cannot say where anything is, so a flat scan (`locate`, which only tracks
 * brackets and strings) finds the line of each item and each key. When the text is not valid,
 * jsonc-parser (in strict mode: no comments, no trailing commas) gives the real position of the
 * first error: JSON.parse's messages differ between Node versions and may quote the text itself.
 * The text is held whole, hence the size limit; nesting is checked first, by the scan, hence
 * the depth limit (parsers recurse per level, and records are flat).
 */
export const JSON_LIMIT = 16 * 1024 * 1024;
/** Records are an array of flat objects (depth 2); a value that is itself an array or object is 3. */
export const JSON_DEPTH_LIMIT = 8;

/** Reads the records into the sink; returns a problem when the text cannot be used at all. */
export function readJson(text: string, sink: RecordSink): string | undefined {
  if (text.length > JSON_LIMIT) {
    return `The JSON is larger than ${JSON_LIMIT / 1024 / 1024} MB; export large files as CSV or TSV instead.`;
  }
  const lines = new LineStarts(text);
  const deep = tooDeep(text);
  if (deep !== undefined) {
    const { line, column } = lines.at(deep);
    return `The JSON nests arrays or objects more than ${JSON_DEPTH_LIMIT} deep (line ${line}, column ${column}); records are an array of objects whose values are text, numbers or null.`;
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return invalid(text, lines);
  }
  const array = Array.isArray(root);
  if (!array && (root === null || typeof root !== "object")) return "The JSON is not an array of objects.";
  const items: unknown[] = array ? (root as unknown[]) : [root];
  const where = locate(text, array ? 2 : 1);
  items.forEach((item, index) => {
    const line = where.items[index] ?? 1;
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      sink.error({ line, message: `item ${index + 1} of the array is not an object; it was not checked` });
      return;
    }
    const keyLines = where.keys[index] ?? new Map<string, number>();
    for (const repeat of where.repeats.get(index) ?? []) {
      if (fieldFor(repeat.key) === undefined) continue;
      sink.error({
        line: repeat.line,
        column: repeat.key,
        message: `this object has "${repeat.key}" more than once; only the last one is checked`,
      });
    }
    const record: RawRecord = { line, cells: {}, labels: {}, cellLines: {} };
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      const field = fieldFor(key);
      if (field === undefined) {
        sink.ignore?.(key);
        continue;
      }
      const keyLine = keyLines.get(key) ?? line;
      const known = record.labels[field];
      if (known !== undefined) {
        sink.error({
          line: keyLine,
          column: key,
          message: `this object already has "${known}"; only that one is checked`,
        });
        continue;
      }
      if (value !== null && typeof value === "object") {
        sink.error({
          line: keyLine,
          column: key,
          message: "expected text, a number or null; this value was not checked",
        });
        continue;
      }
      record.cells[field] = value === null || value === undefined ? "" : String(value).trim();
      record.labels[field] = key;
      (record.cellLines as Record<string, number>)[field] = keyLine;
    }
    if (Object.keys(record.cells).length > 0) sink.record(record);
    else {
      sink.error({
        line,
        message: `this object has no key this check knows (such as ${EXAMPLE_HEADERS}); it was not checked`,
      });
    }
  });
  return undefined;
}

/** Where invalid JSON first goes wrong, by jsonc-parser's own position, and what it expected. */
function invalid(text: string, lines: LineStarts): string {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (first === undefined) return "The JSON is not valid.";
  const { line, column } = lines.at(first.offset);
  return `The JSON is not valid at line ${line}, column ${column}: ${describeError(first.error)}.`;
}

/**
 * The line of each item, and of each key of each item (the first time it appears), found by a
 * scan of brackets and strings over text JSON.parse has accepted. `recordDepth` is where the
 * records' keys are: 2 in an array of objects, 1 for a lone object.
 */
function locate(text: string, recordDepth: 1 | 2): Located {
  const items: number[] = [];
  const keys: Map<string, number>[] = [];
  const repeats: Located["repeats"] = new Map();
  let line = 1;
  let depth = 0;
  let expectItem = false;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a) {
      line++;
      continue;
    }
    if (code === 0x20 || code === 0x09 || code === 0x0d) continue;
    if (recordDepth === 2 && depth === 1 && expectItem && code !== 0x5d) {
      items.push(line);
      keys.push(new Map());
      expectItem = false;
    }
    if (code === 0x22) {
      let end = i + 1;
      let escaped = false;
      for (let c = text.charCodeAt(end); c !== 0x22; c = text.charCodeAt(end)) {
        if (c === 0x5c) {
          escaped = true;
          end += 2;
        } else end++;
      }
      if (expectKey && depth === recordDepth) {
        const key = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
        const map = keys[keys.length - 1] as Map<string, number>;
        if (!map.has(key)) map.set(key, line);
        else {
          const item = keys.length - 1;
          const list = repeats.get(item);
          if (list) list.push({ key, line });
          else repeats.set(item, [{ key, line }]);
        }
        expectKey = false;
      }
      i = end;
    } else if (code === 0x7b || code === 0x5b) {
      depth++;
      if (depth === 1 && recordDepth === 1) {
        items.push(line);
        keys.push(new Map());
      }
      if (depth === 1 && code === 0x5b) expectItem = true;
      if (depth === recordDepth) expectKey = code === 0x7b;
    } else if (code === 0x7d || code === 0x5d) depth--;
    else if (code === 0x2c) {
      if (depth === 1 && recordDepth === 2) expectItem = true;
      if (depth === recordDepth) expectKey = true;
    }
  }
  return { items, keys, repeats };
}

interface Located {
  items: number[];
  keys: Map<string, number>[];
  /** Keys written twice in one object, by item: JSON.parse keeps the last. */
  repeats: Map<number, { key: string; line: number }[]>;
}

/** Where the nesting first goes deeper than JSON_DEPTH_LIMIT (brackets inside strings do not count). */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > JSON_DEPTH_LIMIT) return i;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return undefined;
}

function describeError(code: ParseErrorCode): string {
  const name = printParseErrorCode(code);
  switch (name) {
    case "InvalidSymbol":
      return "unexpected text (JSON needs double-quoted strings, numbers, true, false or null)";
    case "PropertyNameExpected":
      return "expected a double-quoted key (no comma before a closing brace)";
    case "ValueExpected":
      return "expected a value (no comma before a closing bracket)";
    case "ColonExpected":
      return 'expected ":" after the key';
    case "CommaExpected":
      return "expected a comma";
    case "CloseBraceExpected":
      return 'expected "}"';
    case "CloseBracketExpected":
      return 'expected "]"';
    case "EndOfFileExpected":
      return "expected the end after the array";
    case "UnexpectedEndOfString":
      return "a string is not closed";
    case "InvalidCharacter":
      return "a control character (such as a tab or line break) inside a string";
    default:
      return name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  }
}

/** Offsets to 1-based lines and columns; built once per text (a binary search per lookup). */
class LineStarts {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) this.starts.push(at + 1);
  }

  at(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if ((this.starts[mid] as number) <= Math.min(offset, this.text.length)) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.starts[low] as number) + 1 };
  }
}
