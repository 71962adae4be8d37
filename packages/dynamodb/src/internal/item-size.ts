import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from './attribute-codec.js';
import { normalizeNumber } from './number-normalize.js';

// DynamoDB's documented item-size rules, so an item that encryption pushes over 400 KB is
// refused with LIMIT_EXCEEDED before any request instead of a ValidationException after.

/** DynamoDB's maximum item size in bytes. */
export const MAX_ITEM_BYTES = 400 * 1024;

function numberSize(n: string): number {
  const digits = normalizeNumber(n).replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.min(21, Math.ceil(Math.max(digits.length, 1) / 2) + 1);
}

function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S, 'utf8');
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS !== undefined) return v.SS.reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0);
  if (v.NS !== undefined) return v.NS.reduce((n, s) => n + numberSize(s), 0);
  if (v.BS !== undefined) return v.BS.reduce((n, b) => n + b.length, 0);
  if (v.L !== undefined) return v.L.reduce((n, e) => n + 1 + valueSize(e), 3);
  if (v.M !== undefined) {
    return Object.entries(v.M).reduce((n, [k, e]) => n + 1 + Buffer.byteLength(k, 'utf8') + valueSize(e), 3);
  }
  return 0;
}

// An upper bound of valueSize from lengths alone, checked member by member in valueSize's
// order: UTF-8 takes at most 3 bytes per UTF-16 unit and a number at most 21 bytes, so no
// string is encoded and no number normalized.
function valueBound(v: AttributeValue): number {
  if (v.S !== undefined) return 3 * v.S.length;
  if (v.N !== undefined) return 21;
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  let n = 0;
  if (v.SS !== undefined) for (const s of v.SS) n += 3 * s.length;
  else if (v.NS !== undefined) n = 21 * v.NS.length;
  else if (v.BS !== undefined) for (const b of v.BS) n += b.length;
  else if (v.L !== undefined) {
    n = 3;
    for (const e of v.L) n += 1 + valueBound(e);
  } else if (v.M !== undefined) {
    n = 3;
    const m = v.M;
    for (const k of Object.keys(m)) n += 1 + 3 * k.length + valueBound(m[k]!);
  }
  return n;
}

/**
 * The item's size when it is over `limit` bytes, else undefined. Most items are far below
 * any limit: an upper bound from lengths alone settles them without the exact count.
 * @throws never
 * @example
 * ```ts
 * const size = sizeOver(stored, MAX_ITEM_BYTES); if (size !== undefined) throw ...;
 * ```
 */
export function sizeOver(item: AttributeMap, limit: number): number | undefined {
  let bound = 0;
  for (const name of Object.keys(item)) bound += 3 * name.length + valueBound(item[name]!);
  if (bound <= limit) return undefined;
  const size = itemSize(item);
  return size > limit ? size : undefined;
}

/**
 * The size DynamoDB charges for an item: names plus values.
 * @throws never
 * @example
 * ```ts
 * if (itemSize(stored) > MAX_ITEM_BYTES) throw ...;
 * ```
 */
export function itemSize(item: AttributeMap): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) total += Buffer.byteLength(name, 'utf8') + valueSize(value);
  return total;
}
