import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DecryptCommand } from '@aws-sdk/client-kms';
import { PhisealError } from '@phiseal/core';
import { ddbFailure, kmsFailure } from './aws-errors.js';
import { BRANCH_KEY_BYTES, BRANCH_KEY_ID, TYPE } from './constants.js';
import { parseRecord, type EncryptedRecord } from './record.js';
import type { StoreContext } from './store-context.js';

/** The failure of a record that is not in the table: never created, or destroyed. */
export const notFound = (): PhisealError =>
  new PhisealError('BRANCH_KEY_NOT_FOUND', 'The key store holds no such branch key record (never created, or destroyed).');

/**
 * Reads one record without decrypting it (GetItem).
 * @throws {@link PhisealError} `BRANCH_KEY_NOT_FOUND`, `KEYSTORE_RECORD_INVALID`, `KEY_NOT_ALLOWED`.
 */
export async function readRecord(ctx: StoreContext, branchKeyId: string, type: string): Promise<EncryptedRecord> {
  if (typeof branchKeyId !== 'string' || branchKeyId.length === 0) {
    throw new PhisealError('INVALID_ARGUMENT', 'A branch key id must be a non-empty string.');
  }
  await ctx.ready;
  let item;
  try {
    const out = await ctx.ddb.send(
      new GetItemCommand({ TableName: ctx.tableName, Key: { [BRANCH_KEY_ID]: { S: branchKeyId }, [TYPE]: { S: type } } }),
    );
    item = out.Item;
  } catch (error) {
    throw ddbFailure(error, 'GetItem');
  }
  if (!item) throw notFound();
  const record = parseRecord(item, { branchKeyId, type, logicalKeyStoreName: ctx.logicalKeyStoreName });
  // A planted record naming another KMS key must not steer our Decrypt anywhere else.
  if (record.kmsArn !== ctx.kmsKeyArn) {
    throw new PhisealError('KEY_NOT_ALLOWED', 'The key-store record is wrapped under a KMS key other than this store\'s.');
  }
  return record;
}

/**
 * KMS Decrypt of a record's `enc` under the record's own encryption context
 * (branch-key-store.md §AWS KMS Branch Key Decryption). Returns a 32-byte key the caller owns.
 * @throws {@link PhisealError} `KEYSTORE_RECORD_INVALID`, `KMS_KEY_UNUSABLE`, `KMS_UNAVAILABLE`.
 */
export async function decryptRecord(ctx: StoreContext, record: EncryptedRecord): Promise<Buffer> {
  let plaintext: Uint8Array | undefined;
  try {
    const out = await ctx.kms.send(
      new DecryptCommand({ KeyId: ctx.kmsKeyArn, CiphertextBlob: record.enc, EncryptionContext: record.context }),
    );
    plaintext = out.Plaintext;
  } catch (error) {
    throw kmsFailure(error, 'Decrypt');
  }
  if (!plaintext || plaintext.length !== BRANCH_KEY_BYTES) {
    plaintext?.fill(0);
    throw new PhisealError('KEYSTORE_RECORD_INVALID', 'A key-store record is malformed: its key is not 32 bytes.');
  }
  const key = Buffer.alloc(BRANCH_KEY_BYTES);
  key.set(plaintext);
  plaintext.fill(0);
  return key;
}
