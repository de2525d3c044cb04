import { TextDecoder } from "node:util";

/**
 * Bytes to text. UTF-8 unless the input starts with a UTF-16 byte-order mark (Excel's "Unicode
 * Text" export); the mark itself is dropped. Invalid bytes become U+FFFD rather than an error, so
 * one bad byte costs one cell, not the file.
 */
export function textDecoder(start: Uint8Array | string): {
  decode(chunk: Uint8Array | string, end?: boolean): string;
} {
  if (typeof start === "string") {
    let first = true;
    return {
      decode: (chunk) => {
        const text = typeof chunk === "string" ? chunk : "";
        const withoutMark = first && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
        first &&= text === "";
        return withoutMark;
      },
    };
  }
  const decoder = new TextDecoder(encodingOf(start));
  return {
    decode: (chunk, end = false) =>
      typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: !end }),
  };
}

export function isUtf8(start: Uint8Array | string): boolean {
  return typeof start !== "string" && encodingOf(start) === "utf-8";
}

export async function* decodeText(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  let decoder: ReturnType<typeof textDecoder> | undefined;
  for await (const chunk of chunks) {
    decoder ??= textDecoder(chunk);
    const text = decoder.decode(chunk);
    if (text !== "") yield text;
  }
  const rest = decoder?.decode(new Uint8Array(0), true) ?? "";
  if (rest !== "") yield rest;
}

function encodingOf(start: Uint8Array): string {
  if (start[0] === 0xff && start[1] === 0xfe) return "utf-16le";
  if (start[0] === 0xfe && start[1] === 0xff) return "utf-16be";
  return "utf-8";
}
