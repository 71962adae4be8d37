import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import { createByteReader, type ByteReader, type ByteWriter } from './byte-writer.js';
import { normalizeNumber } from './number-normalize.js';

// One binary encoding of a DynamoDB AttributeValue, used twice (docs/dynamodb-format.md):
// - `exact`: the plaintext of an encrypted attribute; decodes back to the same value,
//   including set order and number spelling.
// - `canonical`: the signature input; sets sorted, map keys sorted, numbers normalized, so
//   that whatever order or spelling DynamoDB returns verifies.

/** Type tags; stable, part of the format. */
export const TYPE_TAGS = { S: 1, N: 2, B: 3, BOOL: 4, NULL: 5, M: 6, L: 7, SS: 8, NS: 9, BS: 10 } as const;

/** A DynamoDB attribute type name. */
export type AttributeType = keyof typeof TYPE_TAGS;

/** A DynamoDB item in wire form. */
export type AttributeMap = Record<string, AttributeValue>;

const MAX_DEPTH = 32; // DynamoDB allows 32 levels of nesting.

/**
 * The type of an AttributeValue. @throws PhisealError INVALID_ARGUMENT for an unknown member.
 * @example
 * ```ts
 * attributeType({ N: '1' }); // 'N'
 * ```
 */
export function attributeType(value: AttributeValue): AttributeType {
  if (value.S !== undefined) return 'S';
  if (value.N !== undefined) return 'N';
  if (value.B !== undefined) return 'B';
  if (value.BOOL !== undefined) return 'BOOL';
  if (value.NULL !== undefined) return 'NULL';
  if (value.M !== undefined) return 'M';
  if (value.L !== undefined) return 'L';
  if (value.SS !== undefined) return 'SS';
  if (value.NS !== undefined) return 'NS';
  if (value.BS !== undefined) return 'BS';
  throw new PhisealError('INVALID_ARGUMENT', 'An attribute value has no known DynamoDB type (S, N, B, BOOL, NULL, M, L, SS, NS, BS).');
}

const isString = (v: unknown): boolean => typeof v === 'string';
const isBytes = (v: unknown): boolean => v instanceof Uint8Array;
const MEMBER_OK: Record<AttributeType, (v: unknown) => boolean> = {
  S: isString,
  N: isString,
  B: isBytes,
  BOOL: (v) => typeof v === 'boolean',
  NULL: () => true,
  M: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  L: (v) => Array.isArray(v),
  SS: (v) => Array.isArray(v) && v.every(isString),
  NS: (v) => Array.isArray(v) && v.every(isString),
  BS: (v) => Array.isArray(v) && v.every(isBytes),
};

function badMember(): PhisealError {
  return new PhisealError('INVALID_ARGUMENT', 'An attribute value member has the wrong type (S/N strings, B bytes, BOOL boolean, M object, L list, SS/NS string lists, BS byte lists).');
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const byBytes = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(a, b);

/**
 * Writes `value` in `mode` to `w`. @throws PhisealError INVALID_ARGUMENT for unknown members or nesting deeper than 32.
 * @example
 * ```ts
 * const w = createByteWriter(); writeValue(w, { SS: ['b', 'a'] }, 'canonical');
 * ```
 */
export function writeValue(w: ByteWriter, value: AttributeValue, mode: 'exact' | 'canonical', depth = 0): void {
  if (depth > MAX_DEPTH) throw new PhisealError('INVALID_ARGUMENT', 'Attribute values nest deeper than DynamoDB allows (32 levels).');
  if (typeof value !== 'object' || value === null) throw badMember();
  const type = attributeType(value);
  // Checked before anything is written: a member of the wrong JavaScript type would be
  // silently mangled (a string as B becomes zero bytes) or leave the writer corrupted.
  if (!MEMBER_OK[type](value[type as keyof AttributeValue])) throw badMember();
  w.u8(TYPE_TAGS[type]);
  switch (type) {
    case 'S':
      w.string(value.S as string);
      return;
    case 'N':
      w.string(mode === 'canonical' ? normalizeNumber(value.N as string) : (value.N as string));
      return;
    case 'B':
      w.lengthPrefixed(value.B as Uint8Array);
      return;
    case 'BOOL':
      w.u8(value.BOOL ? 1 : 0);
      return;
    case 'NULL':
      return;
    case 'M': {
      const entries = Object.entries(value.M as Record<string, AttributeValue>);
      w.u32(entries.length);
      if (mode === 'canonical') {
        const sorted = entries.map(([k, v]) => [utf8(k), v] as const).sort((a, b) => byBytes(a[0], b[0]));
        for (const [k, v] of sorted) {
          w.lengthPrefixed(k);
          writeValue(w, v, mode, depth + 1);
        }
      } else {
        for (const [k, v] of entries) {
          w.string(k);
          writeValue(w, v, mode, depth + 1);
        }
      }
      return;
    }
    case 'L': {
      const list = value.L as AttributeValue[];
      w.u32(list.length);
      for (const v of list) writeValue(w, v, mode, depth + 1);
      return;
    }
    case 'SS':
    case 'NS': {
      const raw = (type === 'SS' ? value.SS : value.NS) as string[];
      const members = type === 'NS' && mode === 'canonical' ? raw.map(normalizeNumber) : raw;
      const encoded = members.map(utf8);
      if (mode === 'canonical') encoded.sort(byBytes);
      w.u32(encoded.length);
      for (const m of encoded) w.lengthPrefixed(m);
      return;
    }
    case 'BS': {
      const members = [...(value.BS as Uint8Array[])];
      if (mode === 'canonical') members.sort(byBytes);
      w.u32(members.length);
      for (const m of members) w.lengthPrefixed(m);
      return;
    }
  }
}

const TAG_TO_TYPE = new Map<number, AttributeType>(Object.entries(TYPE_TAGS).map(([k, v]) => [v, k as AttributeType]));

function readValue(r: ByteReader, depth: number): AttributeValue {
  if (depth > MAX_DEPTH) throw new RangeError('too deep');
  const type = TAG_TO_TYPE.get(r.u8());
  const count = (): number => {
    const n = r.u32();
    // Every element takes at least one byte, so a count beyond the remaining bytes is a lie.
    if (n > r.remaining) throw new RangeError('count');
    return n;
  };
  switch (type) {
    case 'S':
      return { S: r.string() };
    case 'N':
      return { N: r.string() };
    case 'B':
      return { B: new Uint8Array(r.lengthPrefixed()) };
    case 'BOOL': {
      const b = r.u8();
      if (b > 1) throw new RangeError('bool');
      return { BOOL: b === 1 };
    }
    case 'NULL':
      return { NULL: true };
    case 'M': {
      const n = count();
      const m: Record<string, AttributeValue> = {};
      for (let i = 0; i < n; i++) {
        const k = r.string();
        setAttribute(m, k, readValue(r, depth + 1));
      }
      return { M: m };
    }
    case 'L': {
      const n = count();
      const l: AttributeValue[] = [];
      for (let i = 0; i < n; i++) l.push(readValue(r, depth + 1));
      return { L: l };
    }
    case 'SS':
    case 'NS': {
      const n = count();
      const members: string[] = [];
      for (let i = 0; i < n; i++) members.push(r.string());
      return type === 'SS' ? { SS: members } : { NS: members };
    }
    case 'BS': {
      const n = count();
      const members: Uint8Array[] = [];
      for (let i = 0; i < n; i++) members.push(new Uint8Array(r.lengthPrefixed()));
      return { BS: members };
    }
    default:
      throw new RangeError('type');
  }
}

/**
 * Decodes one `exact` encoding that must span all of `bytes`. @throws RangeError on any malformation (callers map it to their error code).
 * @example
 * ```ts
 * decodeValue(bytes); // { S: 'Ada' }
 * ```
 */
export function decodeValue(bytes: Uint8Array): AttributeValue {
  const r = createByteReader(bytes);
  const v = readValue(r, 0);
  if (r.remaining !== 0) throw new RangeError('trailing');
  return v;
}

/**
 * Sets an own property, safe for any attribute name (including `__proto__`).
 * @throws never
 * @example
 * ```ts
 * setAttribute(item, '__proto__', { S: 'x' });
 * ```
 */
export function setAttribute(target: AttributeMap, name: string, value: AttributeValue): void {
  // Plain assignment is much faster; only `__proto__` would change the prototype instead.
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}
