import type { S3Client } from '@aws-sdk/client-s3';
import { PhisealError, type KeyProvider } from '@phiseal/core';
import { keyRotation } from './internal/key-rotation.js';
import { rewrapStoredObject } from './internal/object-rewrap.js';
import { recordId } from './internal/record-id.js';
import { rawS3Client } from './internal/s3-client.js';
import type { RecordIdOptions, RecordOutcome } from './types.js';

/**
 * Options of {@link rewrapObject}.
 * @example
 * ```ts
 * const options: RewrapObjectOptions = { client, bucket: 'scans', key: 'study-1/a.dcm', from: oldKeys, to: newKeys };
 * ```
 */
export type RewrapObjectOptions = RecordIdOptions & {
  /** A plain S3Client; not one wrapped by `withEncryption`. */
  readonly client: S3Client;
  /** Bucket name or access point ARN. */
  readonly bucket: string;
  readonly key: string;
  readonly from: KeyProvider;
  readonly to: KeyProvider;
  /** Position shown in the outcome (default `object`). */
  readonly id?: string;
  readonly dryRun?: boolean;
  /** Conflicts tolerated before the object is reported failed (`CONFLICT`, retryable); default 10. */
  readonly maxConflictRetries?: number;
};

/**
 * The unit of key rotation for one S3 object (an S3 Batch Operations task, a Distributed Map
 * item, a key from your own listing): the current version is rotated from `from` to `to` as
 * {@link rewrapBucket} rotates each object (only the wrapped data key changes, conditional on
 * the ETag read, the application's write wins). Never throws for the object: the outcome says
 * `migrated` (rotated), `skipped` (`REWRAPPED`, `PLAINTEXT`, `INSTRUCTION_FILE`, `GONE`) or
 * `failed` with a value-free code. In a versioned bucket the replaced version stays (use
 * `rewrapBucket`'s `deleteReplacedVersions`, or a lifecycle rule, to remove such versions).
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` (a client wrapped by withEncryption, no key
 * providers), `INVALID_ARGUMENT` (`from` and `to` the same key).
 * @example
 * ```ts
 * const outcome = await rewrapObject({ client, bucket: 'scans', key: 'study-1/a.dcm', from: oldKeys, to: newKeys });
 * if (outcome.outcome === 'failed') console.error(outcome.code, outcome.retryable);
 * ```
 */
export async function rewrapObject(options: RewrapObjectOptions): Promise<RecordOutcome> {
  const client = rawS3Client(options.client);
  const { from, to } = options;
  const usable = (p: unknown): boolean => typeof (p as Partial<KeyProvider> | null)?.unwrap === 'function' && typeof (p as Partial<KeyProvider>).wrap === 'function';
  if (!usable(from) || !usable(to)) throw new PhisealError('INVALID_CONFIGURATION', 'rewrapObject needs key providers in from and to.');
  if (from.id === to.id) throw new PhisealError('INVALID_ARGUMENT', 'from and to are the same key: there is nothing to rotate.');
  const run = { client, bucket: options.bucket, rotation: keyRotation(from, to), dryRun: options.dryRun === true, maxConflictRetries: options.maxConflictRetries ?? 10 };
  return rewrapStoredObject(run, options.key, recordId(options.id ?? 'object', options.key, options));
}
