import { randomFillSync } from 'node:crypto';
import { decodeWrappedKeys, encodeWrappedKeys, PhisealError, type WrappedKey } from '@phiseal/core';
import type { AttributeMap } from './internal/attribute-codec.js';
import { withByteBinaries } from './internal/binary-input.js';
import { beaconKeys, computeBeacons } from './internal/beacon-compute.js';
import { decryptionFailed, malformedHeader } from './internal/failures.js';
import { ITEM_ID_BYTES, parseHeader } from './internal/header.js';
import { openItem, sealItem } from './internal/item-crypto.js';
import { itemSize, MAX_ITEM_BYTES } from './internal/item-size.js';
import { HEADER_ATTRIBUTE } from './internal/reserved.js';
import type { AuditNote } from './internal/request-audit.js';
import { audited } from './internal/request-audit.js';
import { guardItem } from './internal/request-guard.js';
import { resolveTable, type ResolvedTable } from './internal/resolve-table.js';
import type { TableConfig } from './table-config.js';

// Wrapped keys are the same bytes for every item under one cached data key; encoding them
// once per key instead of once per item is a measurable share of the benchmark.
const encodedWrapped = new WeakMap<readonly WrappedKey[], Uint8Array>();
let lastWrapped: { source: Uint8Array; encoded: Uint8Array } | undefined;

function encodeWrapped(wrappedKeys: readonly WrappedKey[]): Uint8Array {
  const hit = encodedWrapped.get(wrappedKeys);
  if (hit) return hit;
  const first = wrappedKeys[0]?.ciphertext;
  if (first && wrappedKeys.length === 1 && lastWrapped && Buffer.compare(lastWrapped.source, first) === 0) return lastWrapped.encoded;
  const encoded = encodeWrappedKeys(wrappedKeys);
  encodedWrapped.set(wrappedKeys, encoded);
  if (first && wrappedKeys.length === 1) lastWrapped = { source: Buffer.from(first), encoded };
  return encoded;
}

// Item ids come from a pool of CSPRNG bytes refilled 256 ids at a time: one randomFillSync
// per item was a measurable share of encryptItem. Used bytes are zeroed (not secret, but
// nothing should be handed out twice).
const ID_POOL = Buffer.alloc(ITEM_ID_BYTES * 256);
let idOffset = ID_POOL.length;

function newItemId(): Uint8Array {
  if (idOffset >= ID_POOL.length) {
    randomFillSync(ID_POOL);
    idOffset = 0;
  }
  const id = new Uint8Array(ITEM_ID_BYTES);
  id.set(ID_POOL.subarray(idOffset, idOffset + ITEM_ID_BYTES));
  ID_POOL.fill(0, idOffset, idOffset + ITEM_ID_BYTES);
  idOffset += ITEM_ID_BYTES;
  return id;
}

function checkKeyAttributes(t: ResolvedTable, item: AttributeMap): void {
  for (const name of t.sortKey === undefined ? [t.partitionKey] : [t.partitionKey, t.sortKey]) {
    const v = item[name];
    if (v?.S === undefined && v?.N === undefined && v?.B === undefined) {
      throw new PhisealError('INVALID_ARGUMENT', `The item lacks its key attribute "${name}" (String, Number or Binary).`, {
        details: { attribute: name },
      });
    }
  }
}

/**
 * @internal The encryption with an already resolved table (shared by the public function and the request paths).
 * @throws as encryptItem.
 * @example
 * ```ts
 * const stored = await encryptResolved(resolveTable(config), item);
 * ```
 */
export async function encryptResolved(t: ResolvedTable, item: AttributeMap, note?: AuditNote): Promise<AttributeMap> {
  checkKeyAttributes(t, item);
  const beacons = t.beacons.length > 0 ? computeBeacons(t, item, await beaconKeys(t)) : {};
  const dataKey = await t.envelope.dataKey(t.context, { messages: 1 });
  if (note) note.keyId = dataKey.wrapped.keyId;
  let stored: AttributeMap;
  try {
    stored = sealItem(item, beacons, t, dataKey.key, encodeWrapped(dataKey.wrappedKeys), newItemId());
  } finally {
    dataKey.key.fill(0);
  }
  const size = itemSize(stored);
  if (size > MAX_ITEM_BYTES) {
    throw new PhisealError(
      'LIMIT_EXCEEDED',
      `The encrypted item is ${size} bytes, over DynamoDB's ${MAX_ITEM_BYTES}-byte item limit; store large values elsewhere (for example S3 through @phiseal/s3) and keep a reference in the item.`,
      { details: { size, limit: MAX_ITEM_BYTES } },
    );
  }
  return stored;
}

/**
 * @internal The decryption with an already resolved table.
 * @throws as decryptItem.
 * @example
 * ```ts
 * const item = await decryptResolved(resolveTable(config), stored);
 * ```
 */
export async function decryptResolved(t: ResolvedTable, stored: AttributeMap, note?: AuditNote): Promise<AttributeMap> {
  const headerValue = stored[HEADER_ATTRIBUTE]?.B;
  if (headerValue === undefined) throw malformedHeader();
  const header = parseHeader(headerValue);
  if (!header) throw malformedHeader();
  const wrapped = decodeWrappedKeys(header.wrappedKeys);
  if (note) note.keyId = wrapped[0]?.keyId ?? 'unknown';
  let key: Uint8Array;
  try {
    key = await t.envelope.unwrapDataKey(wrapped, t.context);
  } catch (error) {
    // Another table's item unwraps under another context and fails here: same answer as a bad tag.
    if (PhisealError.is(error) && (error.code === 'DECRYPTION_FAILED' || error.code === 'CONTEXT_MISMATCH')) throw decryptionFailed();
    throw error;
  }
  try {
    return openItem(stored, header, t, key);
  } finally {
    key.fill(0);
  }
}

/**
 * Encrypts and signs one item (in DynamoDB wire form, as in `PutItem` or a Streams record)
 * for `config`'s table: `encrypt` attributes become Binary, a `phiseal_h` header holds the
 * wrapped data key, item id, attribute legend and tag, and beacons are added.
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION`, `INVALID_ARGUMENT` (missing key
 * attribute, reserved name), `PHI_DETECTED` (a key value or attribute name),
 * `LIMIT_EXCEEDED` (over 400 KB once encrypted), `KMS_UNAVAILABLE`.
 * @example
 * ```ts
 * const stored = await encryptItem({ patientId: { S: 'p-1' }, name: { S: 'Ada' } }, patients);
 * ```
 */
export async function encryptItem(item: AttributeMap, config: TableConfig): Promise<AttributeMap> {
  const t = resolveTable(config);
  if (typeof item !== 'object' || item === null) throw new PhisealError('INVALID_ARGUMENT', 'encryptItem takes an item (an object of attribute values).');
  // The caller stores the result itself: its key values and attribute names stay in the
  // clear, so they get the same guard as the request paths.
  guardItem(t, item);
  return audited(t, 'encryptItem', (note) => encryptResolved(t, item, note));
}

/**
 * Verifies and decrypts one stored item (for example a Streams `NewImage`; Binary values may
 * be Uint8Array or, as in Lambda's JSON events, base64 strings). Any change to a signed
 * attribute, an added signed attribute, a swapped value or a copy to another key or table
 * fails.
 *
 * @throws {@link PhisealError} `DECRYPTION_FAILED`, `MALFORMED_CIPHERTEXT` (no or unparsable
 * header), `KEY_NOT_ALLOWED`, `KMS_UNAVAILABLE`, `INVALID_CONFIGURATION`.
 * @example
 * ```ts
 * const item = await decryptItem(record.dynamodb.NewImage, patients);
 * ```
 */
export async function decryptItem(item: AttributeMap | Record<string, unknown>, config: TableConfig): Promise<AttributeMap> {
  const t = resolveTable(config);
  if (typeof item !== 'object' || item === null) throw new PhisealError('INVALID_ARGUMENT', 'decryptItem takes an item (an object of attribute values).');
  const bytes = withByteBinaries(item);
  return audited(t, 'decryptItem', (note) => decryptResolved(t, bytes, note));
}
