import {
  type Node,
  type ParseError,
  type ParseErrorCode,
  parseTree,
  printParseErrorCode,
} from "jsonc-parser";
import { EXAMPLE_HEADERS, fieldFor } from "./fields.js";
import type { RawRecord, RecordSink } from "./raw-record.js";

/**
 * A JSON array of objects (or one object). JSON.parse cannot say on which line an object or a
 * bad value sits, so the text is read with jsonc-parser (in strict JSON mode: no comments, no
 * trailing commas), which gives every value's offset and every syntax error's real position.
 * Its tree costs a few times the text's size, hence the size limit, and its parser recurses per
 * level of nesting, hence the depth limit, checked first by a flat scan.
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
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (first !== undefined) {
    const { line, column } = lines.at(first.offset);
    return `The JSON is not valid at line ${line}, column ${column}: ${describeError(first.error)}.`;
  }
  const lineOf = (node: Node) => lines.at(node.offset).line;
  const items = root?.type === "array" ? (root.children ?? []) : root?.type === "object" ? [root] : undefined;
  if (!items) return "The JSON is not an array of objects.";
  items.forEach((item, index) => {
    if (item.type !== "object") {
      sink.error({
        line: lineOf(item),
        message: `item ${index + 1} of the array is not an object; it was not checked`,
      });
      return;
    }
    const record: RawRecord = { line: lineOf(item), cells: {}, labels: {}, cellLines: {} };
    for (const pair of item.children ?? []) {
      const [keyNode, valueNode] = pair.children ?? [];
      if (!keyNode) continue;
      const key = String(keyNode.value);
      const field = fieldFor(key);
      if (field === undefined) {
        sink.ignore?.(key);
        continue;
      }
      const line = lineOf(keyNode);
      const known = record.labels[field];
      if (known !== undefined) {
        sink.error({
          line,
          column: key,
          message: `this object already has "${known}"; only that one is checked`,
        });
        continue;
      }
      if (valueNode && (valueNode.type === "object" || valueNode.type === "array")) {
        sink.error({
          line,
          column: key,
          message: "expected text, a number or null; this value was not checked",
        });
        continue;
      }
      const value = valueNode?.value;
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
