/**
 * Compact, append-only storage for the email index: integers in typed-array chunks and text in
 * byte chunks. A million rows kept as objects and strings cost over 200 MB of heap and much
 * garbage-collection time; kept here they cost about 70 bytes a row, outside the JavaScript
 * heap, and the collector never has to look at them. (No library offers this: JavaScript's own
 * objects and arrays are what it replaces.)
 */

const CHUNK_SHIFT = 16;
const CHUNK = 1 << CHUNK_SHIFT;

/** A growable column of 32-bit integers; grows by adding chunks, never by copying. */
export class IntColumn {
  private readonly chunks: Int32Array[] = [];
  length = 0;

  /** A column over chunks another column handed over (see `parts()`), e.g. from a worker thread. */
  static of(chunks: Int32Array[], length: number): IntColumn {
    const column = new IntColumn();
    column.chunks.push(...chunks);
    column.length = length;
    return column;
  }

  /** The storage, to hand to another thread (transferable) or to `IntColumn.of`. */
  parts(): { chunks: Int32Array[]; length: number } {
    return { chunks: this.chunks, length: this.length };
  }

  push(value: number): number {
    const at = this.length & (CHUNK - 1);
    if (at === 0) this.chunks.push(new Int32Array(CHUNK));
    (this.chunks[this.chunks.length - 1] as Int32Array)[at] = value;
    return this.length++;
  }

  get(index: number): number {
    return (this.chunks[index >>> CHUNK_SHIFT] as Int32Array)[index & (CHUNK - 1)] as number;
  }
}

const TEXT_SHIFT = 20;
const TEXT_CHUNK = 1 << TEXT_SHIFT;
/** Longer texts are cut to this many bytes; no name, id or email an OP export holds comes near it. */
const MAX_TEXT_BYTES = 4096;

/**
 * Texts stored as UTF-8 bytes, each preceded by its length (two bytes, little-endian). A text is
 * referred to by a number: chunk × 2^20 + offset (below 2^31, so bit operations apply).
 */
export class TextColumn {
  private readonly chunks: Uint8Array[] = [];
  private used = TEXT_CHUNK;

  /** The storage, to hand to another thread (transferable) or to `append`. */
  parts(): Uint8Array[] {
    return this.chunks;
  }

  /**
   * Takes over another column's chunks (see `parts()`). Returns what to add to the other column's
   * references to make them references here.
   */
  append(chunks: readonly Uint8Array[]): number {
    const shift = this.chunks.length << TEXT_SHIFT;
    // Chunks that crossed a thread arrive as plain Uint8Arrays; `get` needs Buffer's decoding.
    for (const chunk of chunks)
      this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.used = TEXT_CHUNK; // the next text starts a new chunk: the taken-over ones may be full
    return shift;
  }

  /** Stores the text and returns its reference. */
  put(text: string): number {
    if (this.used + 2 + Math.min(text.length * 3, MAX_TEXT_BYTES) > TEXT_CHUNK) {
      this.chunks.push(Buffer.allocUnsafe(TEXT_CHUNK));
      this.used = 0;
    }
    const chunk = this.chunks[this.chunks.length - 1] as Buffer;
    const start = this.used + 2;
    let length = 0;
    // Plain ASCII (nearly every name, id and email) is copied byte by byte; anything else is encoded.
    for (; length < text.length && length < MAX_TEXT_BYTES; length++) {
      const code = text.charCodeAt(length);
      if (code > 0x7f) {
        length = chunk.write(text, start, MAX_TEXT_BYTES, "utf8");
        break;
      }
      chunk[start + length] = code;
    }
    chunk[this.used] = length & 0xff;
    chunk[this.used + 1] = length >>> 8;
    const ref = ((this.chunks.length - 1) << TEXT_SHIFT) | this.used;
    this.used = start + length;
    return ref;
  }

  get(ref: number): string {
    const chunk = this.chunks[ref >>> TEXT_SHIFT] as Buffer;
    const at = (ref & (TEXT_CHUNK - 1)) + 2;
    return chunk.toString("utf8", at, at + lengthAt(chunk, at - 2));
  }

  equals(a: number, b: number): boolean {
    if (a === b) return true;
    const chunkA = this.chunks[a >>> TEXT_SHIFT] as Uint8Array;
    const chunkB = this.chunks[b >>> TEXT_SHIFT] as Uint8Array;
    const atA = (a & (TEXT_CHUNK - 1)) + 2;
    const atB = (b & (TEXT_CHUNK - 1)) + 2;
    const length = lengthAt(chunkA, atA - 2);
    if (length !== lengthAt(chunkB, atB - 2)) return false;
    // Byte by byte: these texts are short, and a call into Buffer.compare costs more than the loop.
    for (let i = 0; i < length; i++) if (chunkA[atA + i] !== chunkB[atB + i]) return false;
    return true;
  }
}

function lengthAt(chunk: Uint8Array, at: number): number {
  return (chunk[at] as number) | ((chunk[at + 1] as number) << 8);
}

/** FNV-1a over the text's UTF-16 code units, in 30 bits: spreads emails for grouping. */
export function hash30(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash & 0x3fffffff;
}
