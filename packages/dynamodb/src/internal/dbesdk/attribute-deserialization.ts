import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { setAttribute } from '../attribute-codec.js';
import { TYPE_B, TYPE_BOOL, TYPE_BS, TYPE_L, TYPE_M, TYPE_N, TYPE_NS, TYPE_NULL, TYPE_S, TYPE_SS } from './type-ids.js';

// The inverse of attribute-serialization.ts (dynamodb-encryption-client/
// ddb-attribute-serialization.md): a decrypted terminal back into a DynamoDB attribute value.
// Every read is bounds-checked against the end of the value it belongs to, and every value
// must fill its bytes exactly, so one set of bytes parses one way only; anything else is a
// RangeError (the caller's one decryption failure).
//
// It reads with one cursor over the decrypted bytes and offsets into them (no reader object
// and no view per nested value, no copy per set member): every decrypted attribute of every
// item goes through here, and those allocations were a measurable part of a read.

type Cursor = { readonly buf: Buffer; pos: number };

const MAX_DEPTH = 32; // DynamoDB's nesting limit.

function need(c: Cursor, n: number, end: number): void {
  if (c.pos + n > end) throw new RangeError('truncated');
}

function u16(c: Cursor, end: number): number {
  need(c, 2, end);
  const b = c.buf;
  const p = c.pos;
  c.pos = p + 2;
  return (b[p]! << 8) | b[p + 1]!;
}

function u32(c: Cursor, end: number): number {
  need(c, 4, end);
  const b = c.buf;
  const p = c.pos;
  c.pos = p + 4;
  return b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
}

// A u32-length-prefixed run of bytes: its end (the cursor is at its start).
function prefixed(c: Cursor, end: number): number {
  const length = u32(c, end);
  need(c, length, end);
  return c.pos + length;
}

function readStrings(c: Cursor, end: number): string[] {
  const count = u32(c, end);
  if (count > (end - c.pos) / 4) throw new RangeError('count');
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const to = prefixed(c, end);
    out.push(c.buf.toString('utf8', c.pos, to));
    c.pos = to;
  }
  return out;
}

function readBinaries(c: Cursor, end: number): Uint8Array[] {
  const count = u32(c, end);
  if (count > (end - c.pos) / 4) throw new RangeError('count');
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const to = prefixed(c, end);
    out.push(new Uint8Array(c.buf.subarray(c.pos, to)));
    c.pos = to;
  }
  return out;
}

function readList(c: Cursor, end: number, depth: number): AttributeValue {
  const count = u32(c, end);
  if (count > (end - c.pos) / 6) throw new RangeError('count');
  const list: AttributeValue[] = [];
  for (let i = 0; i < count; i++) list.push(readNested(c, end, depth + 1));
  return { L: list };
}

function readMap(c: Cursor, end: number, depth: number): AttributeValue {
  const count = u32(c, end);
  if (count > (end - c.pos) / 12) throw new RangeError('count');
  const map: Record<string, AttributeValue> = {};
  for (let i = 0; i < count; i++) {
    if (u16(c, end) !== TYPE_S) throw new RangeError('key type');
    const to = prefixed(c, end);
    const key = c.buf.toString('utf8', c.pos, to);
    c.pos = to;
    if (Object.prototype.hasOwnProperty.call(map, key)) throw new RangeError('duplicate key');
    setAttribute(map, key, readNested(c, end, depth + 1));
  }
  return { M: map };
}

function readComposite(c: Cursor, typeId: number, end: number, depth: number): AttributeValue {
  switch (typeId) {
    case TYPE_SS: return { SS: readStrings(c, end) };
    case TYPE_NS: return { NS: readStrings(c, end) };
    case TYPE_BS: return { BS: readBinaries(c, end) };
    case TYPE_L: return readList(c, end, depth);
    case TYPE_M: return readMap(c, end, depth);
    default: throw new RangeError('type');
  }
}

// The value of type `typeId` that fills the bytes from the cursor to `end`; leaves the cursor at `end`.
function readValue(c: Cursor, typeId: number, end: number, depth: number): AttributeValue {
  const b = c.buf;
  const start = c.pos;
  switch (typeId) {
    case TYPE_NULL:
      if (end !== start) throw new RangeError('null');
      return { NULL: true };
    case TYPE_S: c.pos = end; return { S: b.toString('utf8', start, end) };
    case TYPE_N: c.pos = end; return { N: b.toString('utf8', start, end) };
    case TYPE_B: c.pos = end; return { B: new Uint8Array(b.subarray(start, end)) };
    case TYPE_BOOL:
      if (end - start !== 1 || b[start]! > 1) throw new RangeError('bool');
      c.pos = end;
      return { BOOL: b[start] === 1 };
  }
  const out = readComposite(c, typeId, end, depth);
  if (c.pos !== end) throw new RangeError('trailing');
  return out;
}

function readNested(c: Cursor, end: number, depth: number): AttributeValue {
  if (depth > MAX_DEPTH) throw new RangeError('depth');
  const typeId = u16(c, end);
  return readValue(c, typeId, prefixed(c, end), depth);
}

/**
 * Parses a serialized value back into an AttributeValue (strings and byte arrays are copies:
 * the caller may zeroize `value` afterwards).
 * @throws RangeError when the bytes are not a well-formed serialization (callers map it to
 * their one decryption failure).
 * @example
 * ```ts
 * deserializeAttribute(0x0001, Buffer.from('Ada')); // { S: 'Ada' }
 * ```
 */
export function deserializeAttribute(typeId: number, value: Uint8Array): AttributeValue {
  const buf = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return readValue({ buf, pos: 0 }, typeId, buf.length, 0);
}
