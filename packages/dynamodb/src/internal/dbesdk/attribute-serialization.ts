import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import { checkedType, type AttributeType } from '../attribute-codec.js';
import { createByteWriter, type ByteWriter } from '../byte-writer.js';
import { numberText } from './number-text.js';
import { TYPE_B, TYPE_BOOL, TYPE_BS, TYPE_L, TYPE_M, TYPE_N, TYPE_NS, TYPE_NULL, TYPE_S, TYPE_SS } from './type-ids.js';

// DynamoDB attribute values as DB-ESDK terminals (dynamodb-encryption-client/
// ddb-attribute-serialization.md): a two-byte type id and the value bytes. Sets are sorted
// (strings and numbers by UTF-16 code units, binaries by bytes), map entries by key, numbers
// normalized: a value serializes one way only, so what DynamoDB hands back verifies.

/** A serialized attribute: its type id and value bytes. */
export type Terminal = { readonly typeId: number; readonly value: Buffer };

const MAX_DEPTH = 32; // DynamoDB's nesting limit.

const TYPE_OF: Record<AttributeType, number> = {
  NULL: TYPE_NULL, S: TYPE_S, N: TYPE_N, B: TYPE_B, BOOL: TYPE_BOOL,
  SS: TYPE_SS, NS: TYPE_NS, BS: TYPE_BS, M: TYPE_M, L: TYPE_L,
};

const invalid = (why: string): PhisealError => new PhisealError('INVALID_ARGUMENT', why);
const byUtf16 = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function noDuplicates<T>(sorted: readonly T[], same: (a: T, b: T) => boolean, what: string): void {
  for (let i = 1; i < sorted.length; i++) if (same(sorted[i - 1]!, sorted[i]!)) throw invalid(`A ${what} holds the same value twice.`);
}

// Strings are written by the writer, which refuses lone surrogates: UTF-8 cannot hold them,
// so two strings would share one serialization (defect 7).
function writeStrings(w: ByteWriter, sorted: readonly string[]): void {
  w.u32(sorted.length);
  for (const e of sorted) w.string(e);
}

function writeBody(w: ByteWriter, type: AttributeType, v: AttributeValue, depth: number): void {
  switch (type) {
    case 'NULL': return;
    case 'S': w.text(v.S!); return;
    case 'N': w.text(numberText(v.N!)); return;
    case 'B': w.bytes(v.B!); return;
    case 'BOOL': w.u8(v.BOOL! ? 1 : 0); return;
    case 'SS': {
      const s = [...v.SS!].sort(byUtf16);
      noDuplicates(s, (a, b) => a === b, 'String Set');
      writeStrings(w, s);
      return;
    }
    case 'NS': {
      const s = v.NS!.map(numberText).sort(byUtf16);
      noDuplicates(s, (a, b) => a === b, 'Number Set');
      writeStrings(w, s);
      return;
    }
    case 'BS': {
      const s = [...v.BS!].sort((a, b) => Buffer.compare(a, b));
      noDuplicates(s, (a, b) => Buffer.compare(a, b) === 0, 'Binary Set');
      w.u32(s.length);
      for (const e of s) w.lengthPrefixed(e);
      return;
    }
    case 'M': {
      const keys = Object.keys(v.M!).sort(byUtf16);
      w.u32(keys.length);
      for (const k of keys) {
        w.u16(TYPE_S);
        w.string(k);
        writeNested(w, v.M![k]!, depth + 1);
      }
      return;
    }
    case 'L':
      w.u32(v.L!.length);
      for (const x of v.L!) writeNested(w, x, depth + 1);
      return;
  }
}

function writeNested(w: ByteWriter, v: AttributeValue, depth: number): void {
  if (depth > MAX_DEPTH) throw invalid('An attribute value nests deeper than DynamoDB allows (32 levels).');
  const type = checkedType(v);
  w.u16(TYPE_OF[type]);
  // The length prefix is patched after the body: nested values are written once, in place.
  const at = w.reserveLength();
  writeBody(w, type, v, depth);
  w.patchLength(at);
}

// One writer serves every serialization: the functions below are synchronous and wipe what
// they wrote before they return, and what they return is an exact-size copy. A per-value
// writer cost a 128-byte buffer per attribute (most values are a few bytes), and those
// buffers were most of what a distinct item allocated. A re-entrant call (a getter on the
// caller's item that serializes) gets a writer of its own.
const SHARED_BYTES = 4096;
const SHARED_MAX = 64 * 1024; // a grown writer above this is dropped after use, not kept
let shared = createByteWriter(SHARED_BYTES);
let busy = false;

function withWriter<T>(use: (w: ByteWriter) => T): T {
  if (busy) {
    const own = createByteWriter(SHARED_BYTES);
    try {
      return use(own);
    } finally {
      own.wipe();
    }
  }
  busy = true;
  try {
    return use(shared);
  } finally {
    shared.wipe(); // it held plaintext
    if (shared.capacity > SHARED_MAX) shared = createByteWriter(SHARED_BYTES);
    busy = false;
  }
}

/**
 * Serializes one top-level attribute value.
 * @throws PhisealError INVALID_ARGUMENT for an invalid number, a duplicate set member,
 * nesting deeper than 32 or an unknown member.
 * @example
 * ```ts
 * serializeAttribute({ SS: ['b', 'a'] }); // { typeId: 0x0101, value: 00000002 00000001 'a' 00000001 'b' }
 * ```
 */
export function serializeAttribute(v: AttributeValue): Terminal {
  const type = checkedType(v);
  return withWriter((w) => {
    writeBody(w, type, v, 0);
    return { typeId: TYPE_OF[type], value: Buffer.from(w.finish()) };
  });
}

/**
 * Serializes several top-level values into ONE buffer (one allocation per item instead of one
 * per attribute): each terminal's value is a view of it, `bytes`, which the caller zeroizes
 * when the values were plaintext.
 * @throws PhisealError INVALID_ARGUMENT as {@link serializeAttribute}.
 * @example
 * ```ts
 * const { terminals, bytes } = serializeAttributes([{ S: 'a' }, { N: '1' }]);
 * ```
 */
export function serializeAttributes(values: readonly AttributeValue[]): { terminals: Terminal[]; bytes: Buffer } {
  return withWriter((w) => {
    const types: number[] = [];
    const ends: number[] = [];
    for (const v of values) {
      const type = checkedType(v);
      writeBody(w, type, v, 0);
      types.push(TYPE_OF[type]);
      ends.push(w.length);
    }
    const bytes = Buffer.from(w.finish());
    const terminals: Terminal[] = [];
    let start = 0;
    for (let i = 0; i < types.length; i++) {
      terminals.push({ typeId: types[i]!, value: bytes.subarray(start, ends[i]) });
      start = ends[i]!;
    }
    return { terminals, bytes };
  });
}
