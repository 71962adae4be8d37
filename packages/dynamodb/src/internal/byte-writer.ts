// Growable big-endian byte buffers for the item format's encodings. Methods live on one
// shared prototype object (not a class, not per-instance closures): creating a writer is
// then a single small allocation, which matters at tens of thousands of values
// per second.

import { writeShortAscii } from './utf8.js';
import { requireWellFormed } from './well-formed.js';

/** Appends primitives and returns the written bytes. */
export type ByteWriter = {
  u8(value: number): void;
  u16(value: number): void;
  u32(value: number): void;
  bytes(value: Uint8Array): void;
  /** u32 length prefix, then the UTF-8 bytes. */
  string(value: string): void;
  /** The UTF-8 bytes alone (refused like {@link ByteWriter.string}). */
  text(value: string): void;
  /** Skips a u32 length prefix to be patched once its body is written; returns where it is. */
  reserveLength(): number;
  /** Writes the length of everything written since {@link ByteWriter.reserveLength} returned `at`. */
  patchLength(at: number): void;
  /** u32 length prefix, then the bytes. */
  lengthPrefixed(value: Uint8Array): void;
  /** The bytes written so far (a view, valid until the next write or reset). */
  finish(): Buffer;
  /** How many bytes were written so far. */
  readonly length: number;
  /** How many bytes the writer holds before it grows. */
  readonly capacity: number;
  /** Zeroes what was written (it may be plaintext) and starts again. */
  wipe(): void;
};

type WriterState = { buf: Buffer; pos: number };

// Names, map keys and string values are signed and encrypted as UTF-8: refuse what UTF-8
// cannot hold (short ASCII, most of them, has no surrogates to look for). Returns the byte
// count; the caller checked the room.
function writeUtf8(buf: Buffer, value: string, at: number): number {
  const n = writeShortAscii(buf, value, at);
  if (n >= 0) return n;
  requireWellFormed(value, 'An attribute name or string value');
  return buf.write(value, at, 'utf8');
}

function ensure(w: WriterState, n: number): void {
  if (w.pos + n <= w.buf.length) return;
  let size = w.buf.length * 2;
  while (size < w.pos + n) size *= 2;
  const next = Buffer.allocUnsafe(size);
  w.buf.copy(next, 0, 0, w.pos);
  w.buf.fill(0);
  w.buf = next;
}

const writerMethods: ThisType<WriterState> & Omit<ByteWriter, 'length' | 'capacity'> & { readonly length: number; readonly capacity: number } = {
  u8(value) {
    ensure(this, 1);
    this.buf[this.pos++] = value;
  },
  u16(value) {
    ensure(this, 2);
    this.buf.writeUInt16BE(value, this.pos);
    this.pos += 2;
  },
  u32(value) {
    ensure(this, 4);
    this.buf.writeUInt32BE(value, this.pos);
    this.pos += 4;
  },
  bytes(value) {
    ensure(this, value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  },
  string(value) {
    // Worst case 3 bytes per UTF-16 unit; write in place to avoid a temporary buffer.
    ensure(this, 4 + value.length * 3);
    const written = writeUtf8(this.buf, value, this.pos + 4);
    this.buf.writeUInt32BE(written, this.pos);
    this.pos += 4 + written;
  },
  text(value) {
    ensure(this, value.length * 3);
    this.pos += writeUtf8(this.buf, value, this.pos);
  },
  reserveLength() {
    ensure(this, 4);
    this.pos += 4;
    return this.pos - 4;
  },
  patchLength(at) {
    this.buf.writeUInt32BE(this.pos - at - 4, at);
  },
  lengthPrefixed(value) {
    ensure(this, 4 + value.length);
    this.buf.writeUInt32BE(value.length, this.pos);
    this.buf.set(value, this.pos + 4);
    this.pos += 4 + value.length;
  },
  finish() {
    return this.buf.subarray(0, this.pos);
  },
  get length() {
    return this.pos;
  },
  get capacity() {
    return this.buf.length;
  },
  wipe() {
    // A writer whose position went bad must still be wiped and reset, never left unusable.
    this.buf.fill(0, 0, Number.isSafeInteger(this.pos) && this.pos <= this.buf.length ? this.pos : this.buf.length);
    this.pos = 0;
  },
};

/**
 * Creates a writer; `initial` is a capacity hint.
 * @throws never
 * @example
 * ```ts
 * const w = createByteWriter(); w.string('x'); w.finish();
 * ```
 */
export function createByteWriter(initial = 256): ByteWriter {
  const w = Object.create(writerMethods) as WriterState & ByteWriter;
  w.buf = Buffer.allocUnsafe(initial);
  w.pos = 0;
  return w;
}
