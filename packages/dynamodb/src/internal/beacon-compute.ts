import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { createHmac, hkdfSync } from 'node:crypto';
import { decodeWrappedKeys, PhisealError } from '@phiseal/core';
import { BEACON_KEY_PREFIX, beaconKeyContext } from '../beacon-key.js';
import type { AttributeMap } from './attribute-codec.js';
import { createByteWriter } from './byte-writer.js';
import { normalizeNumber } from './number-normalize.js';
import type { ResolvedBeacon, ResolvedTable } from './resolve-table.js';

// Beacon values (docs/dynamodb-format.md, "Beacons"):
//   beaconKey(name) = HKDF-SHA256(ikm = root beacon key, salt = "phiseal.dynamodb.v1 beacon",
//                                 info = u32 len | table | u32 len | beacon name, 32)
//   value = first `bits` bits of HMAC-SHA256(beaconKey, (u32 len | UTF-8 normalized part)*),
//           as lower-case hex of ceil(bits / 4) digits.

const BEACON_SALT = Buffer.from('phiseal.dynamodb.v1 beacon', 'utf8');
const keysByTable = new WeakMap<ResolvedTable, Promise<ReadonlyMap<string, Buffer>>>();

/**
 * The per-beacon HMAC key derived from a root beacon key.
 * @throws never
 * @example
 * ```ts
 * const key = deriveBeaconKey(root, 'patients', 'email');
 * ```
 */
export function deriveBeaconKey(root: Uint8Array, tableName: string, beaconName: string): Buffer {
  const w = createByteWriter(64);
  w.string(tableName);
  w.string(beaconName);
  return Buffer.from(hkdfSync('sha256', root, BEACON_SALT, w.finish(), 32));
}

/**
 * A beacon value from its normalized parts.
 * @throws never
 * @example
 * ```ts
 * beaconValue(key, 16, ['ada@example.org']); // e.g. '3f9a'
 * ```
 */
export function beaconValue(key: Uint8Array, bits: number, parts: readonly string[]): string {
  const w = createByteWriter(64);
  for (const part of parts) w.string(part);
  const mac = createHmac('sha256', key).update(w.finish()).digest();
  const truncated = mac.readBigUInt64BE(0) >> BigInt(64 - bits);
  return truncated.toString(16).padStart(Math.ceil(bits / 4), '0');
}

/**
 * The string a beacon hashes for one source value, or undefined for types beacons do not cover.
 * @throws never
 * @example
 * ```ts
 * sourceString({ N: '01.50' }); // '1.5'
 * ```
 */
export function sourceString(value: AttributeValue | undefined): string | undefined {
  if (value?.S !== undefined) return value.S;
  if (value?.N !== undefined) return normalizeNumber(value.N);
  return undefined;
}

/**
 * The normalized parts of a beacon for an item, or undefined when a source is missing or not S/N.
 * @throws whatever the beacon's normalize function throws.
 * @example
 * ```ts
 * beaconParts(beacon, { last: { S: 'Lovelace ' } }); // ['lovelace']
 * ```
 */
export function beaconParts(beacon: ResolvedBeacon, item: AttributeMap): string[] | undefined {
  const parts: string[] = [];
  for (const source of beacon.sources) {
    const s = sourceString(item[source]);
    if (s === undefined) return undefined;
    parts.push(beacon.normalize(s, source));
  }
  return parts;
}

async function loadKeys(t: ResolvedTable): Promise<ReadonlyMap<string, Buffer>> {
  const serialized = t.config.beaconKey ?? '';
  const [prefix, id, wrapped, ...rest] = serialized.split('.');
  if (prefix !== BEACON_KEY_PREFIX || !id || !/^[0-9a-f]{24}$/.test(id) || !wrapped || rest.length > 0) {
    throw new PhisealError('INVALID_CONFIGURATION', 'beaconKey is not a value returned by createBeaconKey.');
  }
  const root = await t.envelope.unwrapDataKey(decodeWrappedKeys(Buffer.from(wrapped, 'base64url')), beaconKeyContext(id));
  try {
    return new Map(t.beacons.map((b) => [b.name, deriveBeaconKey(root, t.tableName, b.name)]));
  } finally {
    root.fill(0);
  }
}

/**
 * The per-beacon keys of a table, unwrapped once per process.
 * @throws PhisealError INVALID_CONFIGURATION (bad beaconKey), KEY_NOT_ALLOWED, KMS_UNAVAILABLE.
 * @example
 * ```ts
 * const keys = await beaconKeys(table);
 * ```
 */
export function beaconKeys(t: ResolvedTable): Promise<ReadonlyMap<string, Buffer>> {
  let p = keysByTable.get(t);
  if (!p) {
    p = loadKeys(t);
    // A failed unwrap (KMS down) must not poison the table forever.
    p.catch(() => keysByTable.delete(t));
    keysByTable.set(t, p);
  }
  return p;
}

/**
 * The beacon attributes of a (plaintext) item.
 * @throws whatever a beacon's normalize function throws.
 * @example
 * ```ts
 * computeBeacons(table, item, await beaconKeys(table)); // { phiseal_b_email: { S: '3f9a' } }
 * ```
 */
export function computeBeacons(t: ResolvedTable, item: AttributeMap, keys: ReadonlyMap<string, Buffer>): AttributeMap {
  const out: AttributeMap = {};
  for (const beacon of t.beacons) {
    const parts = beaconParts(beacon, item);
    const key = keys.get(beacon.name);
    if (parts === undefined || key === undefined) continue;
    out[beacon.attributeName] = { S: beaconValue(key, beacon.bits, parts) };
  }
  return out;
}
