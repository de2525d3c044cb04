import { TextDecoder } from "node:util";

/**
 * Bytes to text, in the encodings exports really come in:
 * - UTF-8, with or without a byte-order mark (the mark is dropped);
 * - UTF-16 (Excel's "Unicode Text"), little- or big-endian, with a mark or without one, told by
 *   the zero bytes every ASCII character has in UTF-16;
 * - Windows-1252 (Excel's plain "CSV" on Windows): bytes that are not UTF-8 in the sample.
 * The encoding is decided once, from the first ENCODING_SAMPLE bytes. Bytes that are not text in
 * the decided encoding later on become U+FFFD, which the reader reports on the names it reads.
 */
export type Encoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

/**
 * How many bytes the encoding is decided from (fewer when the input is shorter): as much as the
 * form is decided from (detect.ts), so a stream that trickles in is read as soon as before.
 */
export const ENCODING_SAMPLE = 8 * 1024;

/** The encoding of an input that starts with `sample` (all of it when it is shorter than ENCODING_SAMPLE). */
export function encodingOf(sample: Uint8Array): Encoding {
  if (sample[0] === 0xff && sample[1] === 0xfe) return "utf-16le";
  if (sample[0] === 0xfe && sample[1] === 0xff) return "utf-16be";
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return "utf-8";
  const utf16 = utf16WithoutMark(sample);
  if (utf16) return utf16;
  try {
    // `stream` keeps a character cut at the end of the sample from counting as invalid.
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: true });
    return "utf-8";
  } catch {
    return "windows-1252";
  }
}

/**
 * UTF-16 text without a mark: most characters of an export are ASCII, which UTF-16 writes with a
 * zero byte (the second of each pair little-endian, the first big-endian). Text in UTF-8 or
 * Windows-1252 has no zero bytes at all.
 */
function utf16WithoutMark(sample: Uint8Array): Encoding | undefined {
  const pairs = Math.min(sample.length >>> 1, 2048);
  if (pairs < 2) return undefined;
  let zeroFirst = 0;
  let zeroSecond = 0;
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) zeroFirst++;
    if (sample[2 * i + 1] === 0) zeroSecond++;
  }
  if (zeroSecond >= pairs * 0.6 && zeroFirst <= pairs * 0.05) return "utf-16le";
  if (zeroFirst >= pairs * 0.6 && zeroSecond <= pairs * 0.05) return "utf-16be";
  return undefined;
}

export interface ChunkDecoder {
  decode(chunk: Uint8Array | string, end?: boolean): string;
}

/** Decodes chunks in `encoding`, dropping a byte-order mark; text chunks pass as they are (a mark dropped). */
export function textDecoder(encoding: Encoding | undefined): ChunkDecoder {
  // TextDecoder drops the mark of UTF-8 and UTF-16 itself.
  const decoder = new TextDecoder(encoding ?? "utf-8");
  let first = true;
  return {
    decode: (chunk, end = false) => {
      if (typeof chunk !== "string") return decoder.decode(chunk, { stream: !end });
      const text = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
      first &&= chunk === "";
      return text;
    },
  };
}

export async function* decodeText(
  chunks: AsyncIterable<Uint8Array | string>,
  encoding: Encoding | undefined,
): AsyncGenerator<string> {
  const decoder = textDecoder(encoding);
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk);
    if (text !== "") yield text;
  }
  const rest = decoder.decode(new Uint8Array(0), true);
  if (rest !== "") yield rest;
}
