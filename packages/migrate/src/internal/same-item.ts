import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { StoredItem } from './item-state.js';

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b));
}

function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.every((v, i) => v === sb[i]);
}

function hex(values: readonly Uint8Array[] | undefined): string[] | undefined {
  return values?.map((v) => Buffer.from(v).toString('hex'));
}

/** DynamoDB value equality as a condition `a = b` decides it (sets are unordered). */
export function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  if (a.S !== undefined) return a.S === b.S;
  if (a.N !== undefined) return b.N !== undefined && (a.N === b.N || Number(a.N) === Number(b.N));
  if (a.B !== undefined) return sameBytes(a.B, b.B);
  if (a.BOOL !== undefined) return a.BOOL === b.BOOL;
  if (a.NULL !== undefined) return b.NULL !== undefined;
  if (a.SS !== undefined) return sameSet(a.SS, b.SS);
  if (a.NS !== undefined) return sameSet(a.NS?.map((n) => String(Number(n))), b.NS?.map((n) => String(Number(n))));
  if (a.BS !== undefined) return sameSet(hex(a.BS), hex(b.BS));
  if (a.L !== undefined) return b.L !== undefined && a.L.length === b.L.length && a.L.every((v, i) => sameValue(v, b.L?.[i] as AttributeValue));
  if (a.M !== undefined) return b.M !== undefined && sameItem(a.M, b.M);
  return false;
}

/** Same attribute names and equal values. */
export function sameItem(a: StoredItem, b: StoredItem): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  return names.every((name) => {
    const other = b[name];
    return other !== undefined && sameValue(a[name] as AttributeValue, other);
  });
}
