import { TextDecoder } from "node:util";

/**
 * Bytes to text. UTF-8 unless the input starts with a UTF-16 byte-order mark (Excel's "Unicode
 * Text" export); the mark itself is dropped. Invalid bytes become U+FFFD rather than an error, so
 * one bad byte costs one cell, not the file.
 */
export async function* decodeText(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  for await (const chunk of source) {
    if (typeof chunk === "string") {
      yield chunk;
      continue;
    }
    decoder ??= new TextDecoder(encodingOf(chunk));
    const text = decoder.decode(chunk, { stream: true });
    if (text !== "") yield text;
  }
  const rest = decoder?.decode() ?? "";
  if (rest !== "") yield rest;
}

function encodingOf(start: Uint8Array): string {
  if (start[0] === 0xff && start[1] === 0xfe) return "utf-16le";
  if (start[0] === 0xfe && start[1] === 0xff) return "utf-16be";
  return "utf-8";
}
