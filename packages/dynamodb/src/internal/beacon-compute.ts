import { createHmac, hkdfSync } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import type { BeaconConfig } from '../table-config.js';
import { decryptionFailed } from './failures.js';
import { parseHeader, type HeaderDataKey } from './dbesdk/header.js';
import { HEADER_ATTRIBUTE } from './dbesdk/item-schema.js';
import type { AttributeMap } from './attribute-codec.js';
import { serializeAttribute } from './dbesdk/attribute-serialization.js';
import type { ResolvedBeacon, ResolvedTable } from './resolve-table.js';

// Beacon values as the DB-ESDK computes them (searchable-encryption/beacons.md; Beacon.dfy,
// SearchInfo.dfy GetBeaconKey):
//   hmacKey(name) = HKDF-SHA512(beacon key from the key store, no salt, "AWS_DBE_SCAN_BEACON" + name, 64)
//   standard      = the low `length` bits of the first 8 bytes of HMAC-SHA384(hmacKey, value bytes),
//                   as ceil(length / 4) lower-case hex digits; value bytes as the item serialization
//                   (UTF-8 of a string, the normalized number)
//   compound      = its parts joined by `split`: signed parts as prefix + value, encrypted parts as
//                   prefix + the standard beacon of that part's value.

/**
 * The HMAC key of one beacon.
 * @throws never
 * @example
 * ```ts
 * const key = beaconHmacKey(beaconKey, 'email');
 * ```
 */
export function beaconHmacKey(beaconKey: Uint8Array, name: string): Buffer {
  return Buffer.from(hkdfSync('sha512', beaconKey, Buffer.alloc(0), Buffer.from(`AWS_DBE_SCAN_BEACON${name}`, 'utf8'), 64));
}

/**
 * A standard beacon of `bytes`.
 * @throws never
 * @example
 * ```ts
 * standardBeacon(key, 16, Buffer.from('ada@example.org')); // e.g. '3f9a'
 * ```
 */
export function standardBeacon(hmacKey: Uint8Array, length: number, bytes: Uint8Array): string {
  const first8 = createHmac('sha384', hmacKey).update(bytes).digest().readBigUInt64BE(0);
  const low = first8 & ((1n << BigInt(length)) - 1n);
  return low.toString(16).padStart(Math.ceil(length / 4), '0');
}

/**
 * The bytes a beacon hashes for one attribute value, or undefined for values beacons do not take.
 * @throws never
 * @example
 * ```ts
 * beaconBytes({ N: '01.50' }); // '1.5'
 * ```
 */
export function beaconBytes(value: AttributeValue | undefined): Buffer | undefined {
  if (value === undefined || (value.S === undefined && value.N === undefined)) return undefined;
  try {
    return serializeAttribute(value).value;
  } catch {
    return undefined;
  }
}

/** Per-beacon HMAC keys of one beacon key. */
export type BeaconKeys = ReadonlyMap<string, Buffer>;

/**
 * A beacon's value from its source values, or undefined when a source is missing or not S/N.
 * @throws never
 * @example
 * ```ts
 * beaconOf(beacon, keys, { email: { S: 'ada@example.org' } });
 * ```
 */
export function beaconOf(beacon: ResolvedBeacon, keys: BeaconKeys, values: Readonly<Record<string, AttributeValue | undefined>>): string | undefined {
  if (beacon.kind === 'standard') {
    const bytes = beaconBytes(values[beacon.sources[0]!]);
    return bytes && standardBeacon(keys.get(beacon.name)!, beacon.length, bytes);
  }
  const out: string[] = [];
  for (const p of beacon.parts) {
    const bytes = beaconBytes(values[p.source]);
    if (!bytes) return undefined;
    out.push(p.prefix + (p.kind === 'signed' ? bytes.toString('utf8') : standardBeacon(keys.get(p.beacon)!, p.length, bytes)));
  }
  return out.join(beacon.split);
}

/**
 * Beacon keys of one table, tied to its envelope's lifetime (issue #11, defect 9): when the
 * envelope is destroyed every key is zeroized and forgotten, a fetch still in flight
 * zeroizes what it gets, and later calls are refused instead of fetching the keys again.
 */
type TableKeys = { readonly byId: Map<string, Promise<BeaconKeys>>; readonly loaded: Set<BeaconKeys>; destroyed: boolean };

const keyCache = new WeakMap<ResolvedTable, TableKeys>();

const zeroizeAll = (keys: BeaconKeys): void => {
  for (const key of keys.values()) key.fill(0);
};
const destroyedError = (): PhisealError => new PhisealError('INVALID_ARGUMENT', 'The envelope of this table was destroyed.');

function tableKeys(t: ResolvedTable): TableKeys {
  let entry = keyCache.get(t);
  if (!entry) {
    const created: TableKeys = { byId: new Map(), loaded: new Set(), destroyed: false };
    entry = created;
    keyCache.set(t, created);
    if (typeof t.envelope.onDestroy === 'function') {
      t.envelope.onDestroy(() => {
        created.destroyed = true;
        for (const keys of created.loaded) zeroizeAll(keys);
        created.loaded.clear();
        created.byId.clear();
      });
    }
  }
  return entry;
}

async function loadKeys(t: ResolvedTable, keyId: string, entry: TableKeys): Promise<BeaconKeys> {
  const config = t.config.beacons as BeaconConfig;
  const beaconKey = (await config.keyStore.getBeaconKey(keyId))?.key;
  if (!(beaconKey instanceof Uint8Array) || beaconKey.length !== 32) throw new PhisealError('INVALID_CONFIGURATION', 'The key store returned no 32-byte beacon key.');
  // Destroyed while the key store answered: nothing is derived, nothing kept.
  if (entry.destroyed) throw destroyedError();
  const keys: BeaconKeys = new Map(t.beacons.filter((b) => b.kind === 'standard').map((b) => [b.name, beaconHmacKey(beaconKey, b.name)]));
  entry.loaded.add(keys);
  return keys;
}

const HIERARCHY = 'aws-kms-hierarchy';

/**
 * The branch key id of a query: the single key source's; a multi-tenant table needs the tenant's `keyId`.
 * @throws PhisealError INVALID_ARGUMENT for a multi-tenant table.
 * @example
 * ```ts
 * singleKeyId(table);
 * ```
 */
export function singleKeyId(t: ResolvedTable): string {
  const source = (t.config.beacons as BeaconConfig).keySource;
  if ('single' in source) return source.single.keyId;
  throw new PhisealError('INVALID_ARGUMENT', 'This table has multi-tenant beacons: pass the tenant\'s branch key id as keyId.');
}

/**
 * The branch key id whose beacon key a stored item's beacons use: the single key, or (multi
 * tenant) the branch key that wrapped the item's data key, as the DB-ESDK takes it
 * (DynamoDbMiddlewareSupport GetKeyIdFromHeader): the header must hold exactly one data key,
 * from the hierarchical keyring.
 * @throws PhisealError INVALID_CONFIGURATION when a multi-tenant item's data key is not one branch key wrapping.
 * @example
 * ```ts
 * beaconKeyId(table, storedItem);
 * ```
 */
export function beaconKeyId(t: ResolvedTable, stored: Readonly<Record<string, AttributeValue | undefined>>): string {
  const source = (t.config.beacons as BeaconConfig).keySource;
  if ('single' in source) return source.single.keyId;
  const head = stored[HEADER_ATTRIBUTE]?.B;
  let keys: readonly HeaderDataKey[] = [];
  try {
    if (head) keys = parseHeader(head).dataKeys;
  } catch {
    keys = [];
  }
  if (keys.length !== 1 || keys[0]!.providerId !== HIERARCHY) {
    throw new PhisealError(
      'INVALID_CONFIGURATION',
      'Multi-tenant beacons take their key from the branch key that wraps the item: use one HierarchicalKeyProvider (@phiseal/keystore) as the key provider.',
    );
  }
  return keys[0]!.providerInfo.toString('utf8');
}

/**
 * The beacon HMAC keys for branch key `keyId`, fetched once per key id and kept until the
 * table's envelope is destroyed (then zeroized).
 * @throws PhisealError INVALID_CONFIGURATION, INVALID_ARGUMENT (the envelope was destroyed),
 * and what the key store throws.
 * @example
 * ```ts
 * const keys = await beaconKeys(table, keyId);
 * ```
 */
export function beaconKeys(t: ResolvedTable, keyId: string): Promise<BeaconKeys> {
  const entry = tableKeys(t);
  if (entry.destroyed) return Promise.reject(destroyedError());
  let p = entry.byId.get(keyId);
  if (!p) {
    const loading = loadKeys(t, keyId, entry);
    p = loading;
    entry.byId.set(keyId, loading);
    // A failed fetch (KMS down) must not poison the table forever.
    loading.catch(() => {
      if (entry.byId.get(keyId) === loading) entry.byId.delete(keyId);
    });
  }
  return p;
}

/**
 * The beacon attributes of a plaintext item, once encrypted as `stored`.
 * @throws as beaconKeys and beaconKeyId.
 * @example
 * ```ts
 * const extra = await computeBeacons(table, item, stored); // { aws_dbe_b_email: { S: '3f9a' } }
 * ```
 */
export async function computeBeacons(t: ResolvedTable, item: AttributeMap, stored: AttributeMap): Promise<AttributeMap> {
  const keys = await beaconKeys(t, beaconKeyId(t, stored));
  const out: AttributeMap = {};
  for (const b of t.beacons) {
    const v = beaconOf(b, keys, item);
    if (v !== undefined) out[b.attributeName] = { S: v };
  }
  return out;
}

/**
 * Refuses a stored item whose beacon attributes do not match its decrypted values. Beacons are
 * outside the DB-ESDK signature (aws_dbe_ attributes are unsigned), so a beacon copied from
 * another item would otherwise make this item answer someone else's query.
 * @throws PhisealError DECRYPTION_FAILED on a mismatch; key-store errors.
 * @example
 * ```ts
 * await checkBeacons(table, stored, decrypted);
 * ```
 */
export async function checkBeacons(t: ResolvedTable, stored: AttributeMap, plain: AttributeMap): Promise<void> {
  const present = t.beacons.filter((b) => stored[b.attributeName] !== undefined);
  if (present.length === 0) return;
  let keyId: string;
  try {
    keyId = beaconKeyId(t, stored);
  } catch {
    throw decryptionFailed();
  }
  const keys = await beaconKeys(t, keyId);
  for (const b of present) if (stored[b.attributeName]?.S !== beaconOf(b, keys, plain)) throw decryptionFailed();
}
