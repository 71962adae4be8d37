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
