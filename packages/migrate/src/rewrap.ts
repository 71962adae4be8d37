import type { S3Client } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/core';
import type { DynamoClientLike } from './internal/dynamo-client.js';
import type { RewrapTableConfig } from './internal/rewrap-run.js';
import { rewrapBucket, type RewrapBucketOptions } from './rewrap-bucket.js';
import { rewrapTable, type RewrapTableOptions } from './rewrap-table.js';
import type { MigrationReport } from './types.js';

/**
 * What {@link rewrap} re-keys: a DynamoDB table (its configuration, as the application uses it;
 * `envelope` optional) or an S3 bucket, optionally under a prefix.
 * @example
 * ```ts
 * const target: RewrapTarget = { bucket: 'scans', prefix: 'study-1/' };
 * ```
 */
export type RewrapTarget = { readonly table: RewrapTableConfig } | { readonly bucket: string; readonly prefix?: string };

/**
 * Options of {@link rewrap}: the target, the client for it, the old and new key providers, and the
 * options of {@link rewrapTable} or {@link rewrapBucket} for that kind of target.
 * @example
 * ```ts
 * const options: RewrapOptions = { client: new DynamoDBClient({}), target: { table: patients }, from: oldKeys, to: newKeys, checkpoint: './rekey.ckpt' };
 * ```
 */
export type RewrapOptions =
  | (Omit<RewrapTableOptions, 'table' | 'client'> & { readonly client: DynamoClientLike; readonly target: { readonly table: RewrapTableConfig } })
  | (Omit<RewrapBucketOptions, 'bucket' | 'prefix' | 'client'> & { readonly client: S3Client; readonly target: { readonly bucket: string; readonly prefix?: string } });

/**
 * Key rotation and re-keying: moves every record of a DynamoDB table or an S3 bucket (prefix)
 * whose data key is wrapped under `from` (an old KMS key, a branch key version, another tenant's
 * key) to `to`. Only the wrapped data key is replaced, never the encrypted content: DB-ESDK items
 * get a new `aws_dbe_head` / `aws_dbe_foot` ({@link rewrapTable}), S3 Encryption Client objects a
 * new wrapped key in their metadata or instruction file ({@link rewrapBucket}). Every write is
 * conditional on the record being unchanged since it was read, so the application's writes win;
 * runs resume from `checkpoint`; the report counts `migrated` = re-keyed, skipped (`REWRAPPED`,
 * `PLAINTEXT`), failed (`KEY_NOT_ALLOWED`: under neither key, `DECRYPTION_FAILED`: tampered), with
 * ids that hold no PHI.
 *
 * A branch key's older versions move to its active version with `from` and `to` the same
 * `HierarchicalKeyProvider` (tables only; see {@link rewrapTable}).
 *
 * @throws {@link PhisealError} `INVALID_ARGUMENT` (no or two targets, bad options, `from` and `to`
 * the same key (a bucket, or a provider without `isCurrent`), a checkpoint of another run), `INVALID_CONFIGURATION` (a client wrapped by
 * `withEncryption`, not a key provider); a failed Scan or listing reaches you as the SDK's error
 * after the checkpoint is saved.
 * @example
 * ```ts
 * import { KmsKeyProvider } from '@phiseal/core';
 * import { rewrap } from '@phiseal/migrate';
 * const from = new KmsKeyProvider({ keyId: oldKeyArn });
 * const to = new KmsKeyProvider({ keyId: newKeyArn });
 * const items = await rewrap({ client: new DynamoDBClient({}), target: { table: patients }, from, to, checkpoint: './patients.rekey' });
 * const objects = await rewrap({ client: new S3Client({}), target: { bucket: 'scans', prefix: 'study-1/' }, from, to });
 * ```
 */
export async function rewrap(options: RewrapOptions): Promise<MigrationReport> {
  const target = (options as { target?: unknown } | undefined)?.target as Record<string, unknown> | undefined;
  const isTable = typeof target === 'object' && target !== null && 'table' in target;
  const isBucket = typeof target === 'object' && target !== null && 'bucket' in target;
  if (isTable === isBucket) throw new PhisealError('INVALID_ARGUMENT', 'rewrap needs `target`: either { table } or { bucket, prefix? }.');
  if (isTable) {
    const { target: t, ...rest } = options as Extract<RewrapOptions, { target: { table: unknown } }>;
    return rewrapTable({ ...rest, table: t.table });
  }
  const { target: t, ...rest } = options as Extract<RewrapOptions, { target: { bucket: string } }>;
  return rewrapBucket({ ...rest, bucket: t.bucket, ...(t.prefix === undefined ? {} : { prefix: t.prefix }) });
}
