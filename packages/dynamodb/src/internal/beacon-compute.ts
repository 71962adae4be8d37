import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import type { BeaconConfig } from '../table-config.js';
import { decryptionFailed } from './failures.js';
import { parseHeader, type HeaderDataKey } from './dbesdk/header.js';
import { HEADER_ATTRIBUTE } from './dbesdk/item-schema.js';
import type { AttributeMap } from './attribute-codec.js';
import { valueAt, type TermLoc } from './beacons/terminal-location.js';
import { beaconHmacKey, compoundValue, standardValue, type BeaconKeys } from './beacons/beacon-values.js';
import type { ResolvedBeacon, ResolvedTable } from './resolve-table.js';

// Beacon attributes of items (DDBSupport.dfy AddSignedBeacons, SearchInfo.dfy
// GenerateEncryptedBeacons) and the beacon keys they are computed with; the values themselves
// are in beacons/beacon-values.ts.

export type { BeaconKeys } from './beacons/beacon-values.js';

/**
 * The value of one stored beacon for a plaintext item (signed beacons: without keys), or undefined.
 * @throws PhisealError INVALID_ARGUMENT (a value the beacon cannot take).
 * @example
 * ```ts
 * beaconOf(table, beacon, keys, { email: { S: 'ada@example.org' } });
 * ```
 */
export function beaconOf(t: ResolvedTable, beacon: ResolvedBeacon, keys: BeaconKeys | undefined, values: Readonly<Record<string, AttributeValue | undefined>>): AttributeValue | undefined {
  if (beacon.kind === 'standard') return keys && standardValue(beacon, keys, values, t.virtualFields);
  const v = compoundValue(beacon, beacon.signedOnly ? undefined : keys, values, t.virtualFields);
  return v === undefined ? undefined : { S: v };
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
  // Checked to be a non-empty string when the table was created (resolve-beacons).
  if ('single' in source) return source.single.keyId as string;
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
  if ('single' in source) return source.single.keyId as string;
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
 * Signed beacons (a compound beacon without encrypted parts) are attributes of the item itself,
 * signed like any `sign` attribute, so they are added before encryption; a supplied value that
 * differs from the constructed one is refused, as the DB-ESDK refuses it.
 * @throws PhisealError INVALID_ARGUMENT.
 * @example
 * ```ts
 * const withSigned = addSignedBeacons(table, item);
 * ```
 */
export function addSignedBeacons(t: ResolvedTable, item: AttributeMap): AttributeMap {
  let out = item;
  for (const b of t.beacons) {
    if (b.kind !== 'compound' || !b.signedOnly) continue;
    const v = beaconOf(t, b, undefined, item);
    if (v === undefined) continue;
    const supplied = item[b.attributeName];
    if (supplied !== undefined && supplied.S !== v.S) {
      throw new PhisealError('INVALID_ARGUMENT', `The item's "${b.name}" differs from the signed beacon constructed from its parts.`, { details: { beacon: b.name } });
    }
    if (supplied === undefined) out = { ...out, [b.attributeName]: v };
  }
  return out;
}

/**
 * The beacon attributes of a plaintext item, once encrypted as `stored`. (DDBSupport.dfy also
 * adds a version tag `aws_dbe_v_1` before encryption; the Java DB-ESDK 3.9.0 stores no such
 * attribute — checked by test/java/beacon-features — so neither does phiseal.)
 * @throws as beaconKeys and beaconKeyId; PhisealError INVALID_ARGUMENT for values a beacon cannot take.
 * @example
 * ```ts
 * const extra = await computeBeacons(table, item, stored); // { aws_dbe_b_email: { S: '3f9a' } }
 * ```
 */
export async function computeBeacons(t: ResolvedTable, item: AttributeMap, stored: AttributeMap): Promise<AttributeMap> {
  const keys = await beaconKeys(t, beaconKeyId(t, stored));
  const out: AttributeMap = {};
  for (const b of t.storedBeacons) {
    const v = beaconOf(t, b, keys, item);
    if (v !== undefined) out[b.attributeName] = v;
  }
  return out;
}

const sameBeacon = (a: AttributeValue | undefined, b: AttributeValue | undefined): boolean => {
  if (a?.S !== undefined || b?.S !== undefined) return a?.S === b?.S;
  // DynamoDB returns set members in any order.
  const x = [...(a?.SS ?? [])].sort();
  const y = [...(b?.SS ?? [])].sort();
  return a?.SS !== undefined && b?.SS !== undefined && x.length === y.length && x.every((v, i) => v === y[i]);
};

/**
 * True when the beacon reads a number as a string (a compound part or a virtual field part):
 * the DB-ESDK hashes the number as the writer spelled it ("01.50"), but the item stores it
 * normalized ("1.5"), so a reader cannot recompute the beacon. Such beacons are not verified
 * on read (queryByBeacon still compares numbers by value after decryption).
 */
function spellingDependent(t: ResolvedTable, b: ResolvedBeacon, plain: AttributeMap): boolean {
  const numericAt = (loc: TermLoc): boolean => valueAt(loc, plain)?.N !== undefined;
  const inVirtual = (loc: TermLoc): boolean => loc.length === 1 && (t.virtualFields.get(loc[0])?.parts.some((p) => numericAt(p.loc)) ?? false);
  if (b.kind === 'standard') return inVirtual(b.loc);
  return b.parts.some((p) => (p.kind === 'signed' ? numericAt(p.loc) || inVirtual(p.loc) : numericAt(p.beacon.loc) || inVirtual(p.beacon.loc)));
}

/**
 * Refuses a stored item whose beacon attributes do not match its decrypted values. Beacons are
 * outside the DB-ESDK signature (aws_dbe_ attributes are unsigned), so a beacon copied from
 * another item would otherwise make this item answer someone else's query. Signed beacons are
 * covered by the signature already.
 * @throws PhisealError DECRYPTION_FAILED on a mismatch; key-store errors.
 * @example
 * ```ts
 * await checkBeacons(table, stored, decrypted);
 * ```
 */
export async function checkBeacons(t: ResolvedTable, stored: AttributeMap, plain: AttributeMap): Promise<void> {
  const present = t.storedBeacons.filter((b) => stored[b.attributeName] !== undefined);
  if (present.length === 0) return;
  let keyId: string;
  try {
    keyId = beaconKeyId(t, stored);
  } catch {
    throw decryptionFailed();
  }
  const keys = await beaconKeys(t, keyId);
  for (const b of present) {
    let expected: AttributeValue | undefined;
    try {
      expected = beaconOf(t, b, keys, plain);
    } catch {
      throw decryptionFailed();
    }
    if (!sameBeacon(stored[b.attributeName], expected) && !spellingDependent(t, b, plain)) throw decryptionFailed();
  }
}
