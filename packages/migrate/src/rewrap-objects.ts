import type { S3Client } from '@aws-sdk/client-s3';
import { PhisealError, type KeyProvider } from '@phiseal/core';
import { keyRotation, type KeyRotation } from './internal/key-rotation.js';
import { rewrapStoredObject } from './internal/object-rewrap.js';
import { forEachLimited } from './internal/pool.js';
import { createRateLimiter, type RateLimiter } from './internal/rate-limiter.js';
import { recordId } from './internal/record-id.js';
import { replacedVersions } from './internal/replaced-versions.js';
import { rawS3Client } from './internal/s3-client.js';
import { addOutcome, emptyReport } from './report.js';
import type { MigrationReport, RecordIdOptions } from './types.js';

/**
 * Options of {@link rewrapObjects}.
 * @example
 * ```ts
 * const options: RewrapObjectsOptions = { client, bucket: 'scans', keys: ['a', 'b'], from: oldKeys, to: newKeys };
 * ```
 */
export type RewrapObjectsOptions = RecordIdOptions & {
  /** A plain S3Client; not one wrapped by `withEncryption`. */
  readonly client: S3Client;
  /** Bucket name or access point ARN. */
  readonly bucket: string;
  readonly keys: readonly string[];
  /** Report ids of `keys` (same length); default `obj-<index>`. */
  readonly ids?: readonly string[];
  /** The key provider the data keys are wrapped under now. */
  readonly from: KeyProvider;
  /** The key provider to wrap them under. */
  readonly to: KeyProvider;
  /** Objects rotated at a time (default 16). */
  readonly concurrency?: number;
  /** Count what would change; nothing is written and `to` is not called. */
  readonly dryRun?: boolean;
  readonly maxRecordsPerSecond?: number;
  /** A limiter shared with other batches of the same process (instead of `maxRecordsPerSecond`). */
  readonly limiter?: RateLimiter;
  readonly maxConflictRetries?: number;
  /** Versioned buckets: delete each version the rotation replaced (see `rewrapBucket`). */
  readonly deleteReplacedVersions?: boolean;
  /**
   * Stops before the next object: the objects in flight finish, the rest are not visited and
   * the report says `complete: false` (run the batch again: rotated objects are then skipped,
   * `REWRAPPED`). The CLI's workers stop so on the run's KMS budget.
   */
  readonly stop?: AbortSignal;
};

/** The per-batch state a batch of rotations shares with its bucket run (see rewrapBucket). @internal */
export type RewrapBatchRun = { readonly client: S3Client; readonly rotation: KeyRotation; readonly limiter: RateLimiter };

/**
 * A batch of S3 objects through the per-object rotation unit (see `rewrapObject`),
 * `concurrency` at a time: the unit of a worker process of `phiseal rewrap s3 --workers`.
 * Never throws for a record; every key is counted once in the report (every key started, when
 * `stop` fired); `report.kmsCalls` is the batch's key-provider calls.
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` (a client wrapped by withEncryption, no key
 * providers), `INVALID_ARGUMENT` (from and to the same key, ids of another length).
 * @example
 * ```ts
 * const report = await rewrapObjects({ client, bucket: 'scans', keys, from: oldKeys, to: newKeys, concurrency: 32 });
 * ```
 */
export async function rewrapObjects(options: RewrapObjectsOptions): Promise<MigrationReport> {
  const client = rawS3Client(options.client);
  const { from, to } = options;
  if (typeof from?.wrap !== 'function' || typeof to?.wrap !== 'function') throw new PhisealError('INVALID_CONFIGURATION', 'rewrapObjects needs key providers in from and to.');
  if (from.id === to.id) throw new PhisealError('INVALID_ARGUMENT', 'from and to are the same key: there is nothing to rotate.');
  if (options.ids !== undefined && options.ids.length !== options.keys.length) throw new PhisealError('INVALID_ARGUMENT', 'ids must have one entry per key.');
  const batch: RewrapBatchRun = { client, rotation: keyRotation(from, to), limiter: options.limiter ?? createRateLimiter(options.maxRecordsPerSecond) };
  const report = await rewrapBatch(batch, options, () => options.stop?.aborted === true);
  report.kmsCalls = batch.rotation.calls();
  return report;
}

/**
 * The objects of one batch, rotated with a run's shared state (the bucket run passes its own,
 * so its KMS count and cache of unwrapped keys span batches); stops starting objects once
 * `stopped()` is true. @internal
 */
export async function rewrapBatch(batch: RewrapBatchRun, options: Omit<RewrapObjectsOptions, 'client' | 'from' | 'to'>, stopped: () => boolean): Promise<MigrationReport> {
  const report = emptyReport();
  if (options.dryRun === true) report.dryRun = true;
  const run = {
    client: batch.client, bucket: options.bucket, rotation: batch.rotation, dryRun: options.dryRun === true, maxConflictRetries: options.maxConflictRetries ?? 10,
    onReplaced: replacedVersions(batch.client, options.bucket, options.deleteReplacedVersions === true, report),
  };
  const started = await forEachLimited(options.keys, options.concurrency ?? 16, async (key, i) => {
    await batch.limiter.take();
    addOutcome(report, await rewrapStoredObject(run, key, options.ids?.[i] ?? recordId(`obj-${i}`, key, options)));
  }, stopped);
  report.complete = started === options.keys.length;
  return report;
}
