import { PhisealError, type KeyProvider } from '@phiseal/core';
import type { AttributeMap } from './internal/attribute-codec.js';
import { withByteBinaries } from './internal/binary-input.js';
import { rewrapStructure } from './internal/dbesdk/rewrap-structure.js';
import { decryptionFailed } from './internal/failures.js';
import { itemSize, MAX_ITEM_BYTES } from './internal/item-size.js';
import { audited } from './internal/request-audit.js';
import { resolveTable } from './internal/resolve-table.js';
import type { TableConfig } from './table-config.js';

/**
 * Options of {@link rewrapItem}.
 * @example
 * ```ts
 * const options: RewrapItemOptions = { to: new KmsKeyProvider({ keyId: process.env.NEW_KMS_KEY_ARN }) };
 * ```
 */
export type RewrapItemOptions = {
  /** The key provider the item's data key is wrapped under from now on (a new KMS key, another tenant's key). */
  readonly to: KeyProvider;
};

function checkProvider(to: unknown): KeyProvider {
  const p = to as Partial<KeyProvider> | null;
  if (typeof p !== 'object' || p === null || typeof p.generate !== 'function') {
    throw new PhisealError('INVALID_CONFIGURATION', 'rewrapItem needs `to`: a key provider (KmsKeyProvider, LocalKeyProvider, MultiKeyProvider, ...).');
  }
  return p as KeyProvider;
}

/**
 * Re-keys one stored item of `config`'s table: verifies it under `config.envelope` (the old
 * key) and returns it with a new `aws_dbe_head` and `aws_dbe_foot` whose data key is wrapped
 * under `to`. The attribute ciphertexts, signed and plain attributes and beacons are returned
 * byte for byte: the data key and the message id they depend on do not change. In the header,
 * the encrypted data keys and the commitment change; in the footer, the recipient tags; with
 * `algorithmSuite: 'committing-signed'` (0x6701) a new ECDSA key pair signs the item and its
 * public key replaces the old one. Wrappings under keys other than the old one are dropped (their
 * tags cannot be recomputed without their keys): give `to` a `MultiKeyProvider` to keep several.
 * The result is read by the AWS Database Encryption SDK with the new key, and not with the old.
 *
 * @throws {@link PhisealError} `KEY_NOT_ALLOWED` (no data key under the old key: it may already
 * be under `to`), `DECRYPTION_FAILED` (tampered, another table), `MALFORMED_CIPHERTEXT` (no or
 * unparsable header, a plaintext item), `LIMIT_EXCEEDED` (over 400 KB with the new wrappings),
 * `INVALID_CONFIGURATION`, and the key providers' `KMS_UNAVAILABLE` / `KMS_KEY_UNUSABLE`.
 * @example
 * ```ts
 * const stored = (await client.send(new GetItemCommand({ TableName: 'patients', Key: key }))).Item!;
 * const rekeyed = await rewrapItem(stored, patients, { to: new KmsKeyProvider({ keyId: newKeyArn }) });
 * await client.send(new PutItemCommand({ TableName: 'patients', Item: rekeyed }));
 * ```
 */
export async function rewrapItem(stored: AttributeMap | Record<string, unknown>, config: TableConfig, options: RewrapItemOptions): Promise<AttributeMap> {
  const t = resolveTable(config);
  const to = checkProvider(options?.to);
  if (typeof stored !== 'object' || stored === null) throw new PhisealError('INVALID_ARGUMENT', 'rewrapItem takes a stored item (an object of attribute values).');
  const bytes = withByteBinaries(stored);
  return audited(t, 'rewrapItem', async (note) => {
    let out;
    try {
      out = await rewrapStructure(t, t.envelope, to, bytes);
    } catch (error) {
      // An item of another table unwraps under another context: same answer as a bad tag.
      if (PhisealError.is(error) && error.code === 'CONTEXT_MISMATCH') throw decryptionFailed();
      throw error;
    }
    note.keyId = out.toKeyId;
    const size = itemSize(out.item);
    if (size > MAX_ITEM_BYTES) {
      throw new PhisealError('LIMIT_EXCEEDED', `The re-keyed item is ${size} bytes, over DynamoDB's ${MAX_ITEM_BYTES}-byte item limit.`, {
        details: { size, limit: MAX_ITEM_BYTES },
      });
    }
    return out.item;
  });
}
