// A growable big-endian byte buffer for the item format's encodings. Written as a closure
// (not a class) per house style; one writer per encoding, so no sharing concerns.

/** Appends primitives and returns the written bytes. */
export type ByteWriter = {
  u8(value: number): void;
  u16(value: number): void;
  u32(value: number): void;
  bytes(value: Uint8Array): void;
  /** u32 length prefix, then the UTF-8 bytes. */
  string(value: string): void;
  /** u32 length prefix, then the bytes. */
  lengthPrefixed(value: Uint8Array): void;
  finish(): Buffer;
};

/** Creates a writer; `initial` is a capacity hint. */
export function createByteWriter(initial = 256): ByteWriter {
  let buf = Buffer.allocUnsafe(initial);
  let pos = 0;
  const ensure = (n: number): void => {
    if (pos + n <= buf.length) return;
    let size = buf.length * 2;
    while (size < pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    buf.copy(next, 0, 0, pos);
    buf = next;
  };
  const writer: ByteWriter = {
    u8(value) {
      ensure(1);
      buf[pos++] = value;
    },
    u16(value) {
      ensure(2);
      buf.writeUInt16BE(value, pos);
      pos += 2;
    },
    u32(value) {
      ensure(4);
      buf.writeUInt32BE(value, pos);
      pos += 4;
    },
    bytes(value) {
      ensure(value.length);
      buf.set(value, pos);
      pos += value.length;
    },
    string(value) {
      // Worst case 3 bytes per UTF-16 unit; write in place to avoid a temporary buffer.
      ensure(4 + value.length * 3);
      const written = buf.write(value, pos + 4, 'utf8');
      buf.writeUInt32BE(written, pos);
      pos += 4 + written;
    },
    lengthPrefixed(value) {
      writer.u32(value.length);
      writer.bytes(value);
    },
    finish() {
      return buf.subarray(0, pos);
    },
  };
  return writer;
}

/** Reads what {@link createByteWriter} writes; every read is bounds-checked and throws `RangeError` past the end. */
export type ByteReader = {
  u8(): number;
  u16(): number;
  u32(): number;
  bytes(length: number): Buffer;
  string(): string;
  lengthPrefixed(): Buffer;
  readonly offset: number;
  readonly remaining: number;
};

/** Creates a reader over `input` (not copied). */
export function createByteReader(input: Uint8Array): ByteReader {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  let pos = 0;
  const need = (n: number): void => {
    if (n < 0 || pos + n > buf.length) throw new RangeError('truncated');
  };
  const reader: ByteReader = {
    u8() {
      need(1);
      return buf[pos++] as number;
    },
    u16() {
      need(2);
      const v = buf.readUInt16BE(pos);
      pos += 2;
      return v;
    },
    u32() {
      need(4);
      const v = buf.readUInt32BE(pos);
      pos += 4;
      return v;
    },
    bytes(length) {
      need(length);
      const v = buf.subarray(pos, pos + length);
      pos += length;
      return v;
    },
    string() {
      return reader.lengthPrefixed().toString('utf8');
    },
    lengthPrefixed() {
      return reader.bytes(reader.u32());
    },
    get offset() {
      return pos;
    },
    get remaining() {
      return buf.length - pos;
    },
  };
  return reader;
}
