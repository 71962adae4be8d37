import { PhisealError } from '@phiseal/core';
import type { AttributeMap } from './internal/attribute-codec.js';
import { withByteBinaries } from './internal/binary-input.js';
import { addSignedBeacons, checkBeacons, computeBeacons } from './internal/beacon-compute.js';
import { decryptStructure } from './internal/dbesdk/decrypt-structure.js';
import { encryptStructure } from './internal/dbesdk/encrypt-structure.js';
import { decryptionFailed } from './internal/failures.js';
import { MAX_ITEM_BYTES, sizeOver } from './internal/item-size.js';
import type { AuditNote } from './internal/request-audit.js';
import { audited } from './internal/request-audit.js';
import { admitStored } from './internal/plaintext-policy.js';
import { guardItem } from './internal/request-guard.js';
import { resolveTable, type ResolvedTable } from './internal/resolve-table.js';
import type { TableConfig } from './table-config.js';

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
  if (t.beacons.length > 0) item = addSignedBeacons(t, item);
  checkKeyAttributes(t, item);
  const sealed = await encryptStructure(t, t.envelope, item);
  if (note) note.keyId = sealed.keyId;
  const beacons = t.beacons.length > 0 ? await computeBeacons(t, item, sealed.item) : {};
  const stored = Object.keys(beacons).length > 0 ? Object.assign(sealed.item, beacons) : sealed.item;
  const size = sizeOver(stored, MAX_ITEM_BYTES);
  if (size !== undefined) {
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
  // The switch-over stage decides an item without format attributes; a partial one is refused.
  const plain = admitStored(t, stored);
  if (plain) return plain;
  try {
    const opened = await decryptStructure(t, t.envelope, stored);
    if (note) note.keyId = opened.keyId;
    if (t.beacons.length > 0) await checkBeacons(t, stored, opened.item);
    return opened.item;
  } catch (error) {
    // An item of another table unwraps under another context: same answer as a bad tag.
    if (PhisealError.is(error) && error.code === 'CONTEXT_MISMATCH') throw decryptionFailed();
    throw error;
  }
}

/**
 * Encrypts and signs one item (in DynamoDB wire form, as in `PutItem` or a Streams record)
 * for `config`'s table in the AWS Database Encryption SDK format: `encrypt` attributes become
 * Binary, `aws_dbe_head` holds the wrapped data keys, legend and commitment, `aws_dbe_foot`
 * the recipient tags (and signature), and beacons (`aws_dbe_b_<name>`) are added.
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
 * Follows the table's `plaintextPolicy`: an item with none of the format attributes is
 * returned as stored in the `'write-plaintext'` and `'write-encrypted'` stages (audited as
 * `dynamodb.plaintextRead`) and refused in `'encrypted-only'` (the default); an item with
 * some but not all of them is refused in every stage.
 *
 * @throws {@link PhisealError} `DECRYPTION_FAILED`, `MALFORMED_CIPHERTEXT` (unparsable
 * header), `PLAINTEXT_REFUSED`, `KEY_NOT_ALLOWED`, `KMS_UNAVAILABLE`, `INVALID_CONFIGURATION`.
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
