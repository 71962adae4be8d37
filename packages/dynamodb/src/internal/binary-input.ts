import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from './attribute-codec.js';

// DynamoDB Streams records delivered to Lambda are JSON, so their Binary values arrive as
// base64 strings; the SDK gives Uint8Array. decryptItem accepts both by converting strings.

type LooseValue = AttributeValue | { B: string } | { BS: string[] } | { M: Record<string, LooseValue> } | { L: LooseValue[] };

function convert(value: LooseValue): AttributeValue {
  const v = value as { B?: unknown; BS?: unknown[]; M?: Record<string, LooseValue>; L?: LooseValue[] };
  if (typeof v.B === 'string') return { B: new Uint8Array(Buffer.from(v.B, 'base64')) };
  if (Array.isArray(v.BS) && v.BS.some((m) => typeof m === 'string')) {
    return { BS: v.BS.map((m) => (typeof m === 'string' ? new Uint8Array(Buffer.from(m, 'base64')) : (m as Uint8Array))) };
  }
  if (typeof v.M === 'object' && v.M !== null) return { M: convertMap(v.M) };
  if (Array.isArray(v.L)) return { L: v.L.map(convert) };
  return value as AttributeValue;
}

function convertMap(map: Record<string, LooseValue>): AttributeMap {
  const out: AttributeMap = {};
  for (const [k, v] of Object.entries(map)) {
    if (k === '__proto__') Object.defineProperty(out, k, { value: convert(v), enumerable: true, writable: true, configurable: true });
    else out[k] = convert(v);
  }
  return out;
}

// True when some Binary value (at any depth) is a base64 string. Every item read goes through
// here, almost always without one: plain loops over own keys, no arrays built on the way.
function hasStringBinary(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { B?: unknown; BS?: unknown[]; M?: unknown; L?: unknown[] };
  if (typeof v.B === 'string') return true;
  if (Array.isArray(v.BS)) return v.BS.some((m) => typeof m === 'string');
  if (typeof v.M === 'object' && v.M !== null) return someOwnValue(v.M as Record<string, unknown>);
  if (Array.isArray(v.L)) return v.L.some(hasStringBinary);
  return false;
}

function someOwnValue(map: Record<string, unknown>): boolean {
  for (const k in map) if (Object.hasOwn(map, k) && hasStringBinary(map[k])) return true;
  return false;
}

/**
 * The item with base64-string binaries turned into bytes (unchanged, not copied, when there are none).
 * @throws never (invalid base64 decodes to whatever bytes it holds and later fails verification).
 * @example
 * ```ts
 * withByteBinaries({ aws_dbe_head: { B: 'AQID' } }); // { aws_dbe_head: { B: Uint8Array } }
 * ```
 */
export function withByteBinaries(item: Record<string, unknown>): AttributeMap {
  return someOwnValue(item) ? convertMap(item as Record<string, LooseValue>) : (item as AttributeMap);
}
