import type { AttributeValue } from '@aws-sdk/client-dynamodb';

// DocumentClient items (native JS values) back to wire form, for the false-positive check of
// queryByBeacon: the same conversion lib-dynamodb's marshall makes, for the value kinds it
// returns on a read (numbers as number, bigint or NumberValue).

function isNumberValue(v: object): v is { value: string } {
  return 'value' in v && typeof v.value === 'string' && Object.keys(v).length === 1;
}

/**
 * One native value in wire form, or undefined for values DynamoDB does not return.
 * @throws never
 * @example
 * ```ts
 * toAttribute(new Set(['a'])); // { SS: ['a'] }
 * ```
 */
export function toAttribute(v: unknown): AttributeValue | undefined {
  if (typeof v === 'string') return { S: v };
  if (typeof v === 'number' || typeof v === 'bigint') return { N: String(v) };
  if (typeof v === 'boolean') return { BOOL: v };
  if (v === null) return { NULL: true };
  if (v instanceof Uint8Array) return { B: v };
  if (v instanceof Set) {
    const items = [...(v as Set<unknown>)];
    if (items.every((x) => typeof x === 'string')) return { SS: items };
    if (items.every((x) => x instanceof Uint8Array)) return { BS: items };
    const ns = items.map((x) => toAttribute(x)?.N);
    return ns.every((x) => x !== undefined) ? { NS: ns } : undefined;
  }
  if (Array.isArray(v)) return { L: v.map((x) => toAttribute(x) ?? { NULL: true }) };
  if (typeof v === 'object') {
    if (isNumberValue(v)) return { N: v.value };
    return { M: toItem(v as Record<string, unknown>) };
  }
  return undefined;
}

/**
 * A native item in wire form.
 * @throws never
 * @example
 * ```ts
 * toItem({ pk: 'a', n: 1 }); // { pk: { S: 'a' }, n: { N: '1' } }
 * ```
 */
export function toItem(item: Readonly<Record<string, unknown>>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(item)) {
    const a = toAttribute(v);
    if (a !== undefined) out[k] = a;
  }
  return out;
}
