import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { createEnvelope, PhisealError, type KeyProvider } from '@phiseal/core';
import { checkpointStore, type CheckpointLocation } from './internal/checkpoint-store.js';
import { chunkBatch, runChunks } from './internal/chunk-run.js';
import { keyRotation } from './internal/key-rotation.js';
import { listingChunks, manifestChunks, type SourcePosition } from './internal/object-source.js';
import { progressReporter } from './internal/progress.js';
import { createRateLimiter } from './internal/rate-limiter.js';
import { rawS3Client } from './internal/s3-client.js';
import type { BatchExecutor } from './migrate-bucket.js';
import { rewrapBatch, type RewrapBatchRun } from './rewrap-objects.js';
import { emptyReport, mergeReport, recordsSeen } from './report.js';
import type { MigrationProgress, MigrationReport, RecordIdOptions } from './types.js';

/**
 * Options of {@link rewrapBucket}.
 * @example
 * ```ts
 * const options: RewrapBucketOptions = { client, bucket: 'scans', prefix: 'study-1/', from: oldKeys, to: newKeys, checkpoint: './scans.rewrap' };
 * ```
 */
export type RewrapBucketOptions = RecordIdOptions & {
  /** A plain S3Client; not one wrapped by `withEncryption`. */
  readonly client: S3Client;
  /** Bucket name or access point ARN. */
  readonly bucket: string;
  /** Only keys under this prefix (listing). */
  readonly prefix?: string;
  /**
   * Instead of listing: an S3 Inventory `manifest.json` or a Batch Operations CSV manifest, as a
   * local path or `s3://bucket/key` (as `migrateBucket` reads it). The current version of each key is rotated.
   */
  readonly manifest?: string;
  /** The key provider the data keys are wrapped under now (it must be able to unwrap them). */
  readonly from: KeyProvider;
  /** The key provider to wrap them under (it must be able to wrap; a `MultiKeyProvider`'s first key is stored). */
  readonly to: KeyProvider;
  /** A file path (written atomically, mode 0600) or `{ tableName }` with a DynamoDB client in `checkpointClient`; sealed under `to`. */
  readonly checkpoint?: CheckpointLocation;
  /** The DynamoDB client of a `{ tableName }` checkpoint. */
  readonly checkpointClient?: DynamoDBClient;
  /** Count what would change; nothing is written and `to` is not called (`from` is: it tells which objects are under it). */
  readonly dryRun?: boolean;
  readonly maxRecordsPerSecond?: number;
  /** Stop (resumably, `stopped: 'kms-budget'`) once the run has made this many key-provider (KMS) calls. */
  readonly maxKmsCalls?: number;
  /** Objects rotated at a time (default 16). */
  readonly concurrency?: number;
  /** Stops starting new objects; the checkpoint stays before the unfinished listing page. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: MigrationProgress) => void;
  /**
   * Versioned buckets: delete each version the rotation replaced (it keeps the old wrapping) as
   * soon as its replacement is stored. Default false: they are only counted (`oldKeyVersions`).
   */
  readonly deleteReplacedVersions?: boolean;
  /** Conflicts tolerated before the object is reported failed (`CONFLICT`, retryable); default 10. */
  readonly maxConflictRetries?: number;
  /** Keys per listing page and checkpoint step (1 to 1000, default 1000). */
  readonly batchSize?: number;
  /** Batches in flight at a time (default 1; the CLI sets two per worker). */
  readonly batches?: number;
  /**
   * Run batches elsewhere (worker processes running `rewrapObjects`); default in this process.
   * A report with `stopped` set means the batch did not finish: the run stops and the
   * checkpoint stays before it (as for `migrateBucket`).
   */
  readonly executeBatch?: BatchExecutor;
  /**
   * Key-provider calls made for this run outside `from` and `to` of this process, by executors
   * with providers of their own (the CLI's worker processes): counted against `maxKmsCalls`
   * and into `report.kmsCalls`.
   */
  readonly kmsCallsElsewhere?: () => number;
};

type RewrapState = { position?: SourcePosition; ordinal?: number; done?: boolean };

function isKeyProvider(value: unknown): value is KeyProvider {
  const p = value as Partial<KeyProvider> | null;
  return typeof p === 'object' && p !== null && typeof p.id === 'string' && typeof p.wrap === 'function' && typeof p.unwrap === 'function';
}

function checkOptions(options: RewrapBucketOptions): void {
  if (typeof options?.bucket !== 'string' || options.bucket.length === 0) throw new PhisealError('INVALID_ARGUMENT', 'rewrapBucket needs a bucket name.');
  if (!isKeyProvider(options.from) || !isKeyProvider(options.to)) throw new PhisealError('INVALID_CONFIGURATION', 'rewrapBucket needs key providers in from and to.');
  if (options.from.id === options.to.id) throw new PhisealError('INVALID_ARGUMENT', 'from and to are the same key: there is nothing to rotate.');
  const size = options.batchSize ?? 1000;
  if (!Number.isInteger(size) || size < 1 || size > 1000) throw new PhisealError('INVALID_ARGUMENT', 'batchSize must be an integer from 1 to 1000.');
  if (options.manifest !== undefined && options.prefix !== undefined) throw new PhisealError('INVALID_ARGUMENT', 'Give a prefix or a manifest, not both.');
  const max = options.maxKmsCalls;
  if (max !== undefined && !(Number.isInteger(max) && max >= 0)) throw new PhisealError('INVALID_ARGUMENT', 'maxKmsCalls must be a whole number.');
  const concurrency = options.concurrency ?? 16;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new PhisealError('INVALID_ARGUMENT', 'concurrency must be a positive integer.');
}

/**
 * Rotates the data keys of every S3 Encryption Client object under `prefix` from the key
 * provider `from` to `to`, changing only the wrapped data key: V2 and V3 objects with their
 * content metadata in object metadata get their metadata replaced by a copy onto themselves
 * (server-side: the body is not read, not re-encrypted; over 5 GiB, CopyObject's limit, a
 * multipart copy of the same kind), objects with an instruction file get
 * a new instruction file; bodies, keys, user metadata, tags and headers stay as they were.
 * Every write is conditional on the ETag read, so a write the application makes meanwhile
 * wins (the object is looked at again). Objects already under `to` are skipped (`REWRAPPED`),
 * plaintext objects too (`PLAINTEXT`: run `migrateBucket` to encrypt them); an object whose key
 * is under neither provider fails with `KEY_NOT_ALLOWED`, a tampered one with
 * `DECRYPTION_FAILED`, a legacy V1/CBC or raw-keyring one with `UNSUPPORTED_OPERATION`. Each unwrapped data key is zeroized once wrapped. Resumes from
 * `checkpoint`; the report counts this run's work (`migrated` = rotated).
 *
 * In a versioned bucket the copy (or the new instruction file) is a new current version: the
 * version it replaced keeps the old wrapping. The report counts them (`oldKeyVersions`);
 * `deleteReplacedVersions` deletes each as soon as its replacement is stored. Versions older
 * than the one read are not looked at (a lifecycle rule on noncurrent versions, or disabling
 * `from`'s key, covers them).
 *
 * @throws {@link PhisealError} `INVALID_ARGUMENT` (bad options, a checkpoint of another bucket,
 * prefix or key pair), `INVALID_CONFIGURATION` (a client wrapped by `withEncryption`, no key
 * providers); a failed listing reaches you as the SDK's error after the checkpoint is saved.
 * @example
 * ```ts
 * import { KmsKeyProvider } from '@phiseal/core';
 * import { rewrapBucket } from '@phiseal/migrate';
 * const report = await rewrapBucket({
 *   client: new S3Client({}), bucket: 'scans',
 *   from: new KmsKeyProvider({ keyId: oldKeyArn }), to: new KmsKeyProvider({ keyId: newKeyArn }),
 *   checkpoint: './scans.rewrap',
 * });
 * ```
 */
export async function rewrapBucket(options: RewrapBucketOptions): Promise<MigrationReport> {
  const client = rawS3Client(options.client);
  checkOptions(options);
  const { bucket, prefix } = options;
  const sealer = options.checkpoint === undefined ? undefined : createEnvelope({ keys: options.to });
  try {
    const target = `${bucket}\n${options.manifest ?? prefix ?? ''}\n${options.from.id}\n${options.to.id}`;
    const store = sealer && options.checkpoint !== undefined ? checkpointStore(options.checkpoint, sealer, 's3-rewrap', target, options.checkpointClient) : undefined;
    const saved = (await store?.load()) as RewrapState | undefined;
    const state: RewrapState = saved ?? {};
    const report = emptyReport();
    if (saved !== undefined && store) report.resumedFrom = store.where;
    if (options.dryRun === true) report.dryRun = true;
    const rotation = keyRotation(options.from, options.to);
    const used = (): number => rotation.calls() + (options.kmsCallsElsewhere?.() ?? 0);
    const overBudget = (): boolean => options.maxKmsCalls !== undefined && used() >= options.maxKmsCalls;
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    options.signal?.addEventListener('abort', onAbort);
    if (options.signal?.aborted === true) stop.abort();
    const progress = progressReporter(options.onProgress, () => undefined);
    const execute = options.executeBatch ?? localExecutor(options, { client, rotation, limiter: createRateLimiter(options.maxRecordsPerSecond) }, overBudget);
    let lost = false;
    try {
      if (state.done !== true) {
        let ordinal = state.ordinal ?? 0;
        const size = options.batchSize ?? 1000;
        const source = options.manifest === undefined ? listingChunks(client, bucket, prefix, state.position, size) : manifestChunks(client, bucket, options.manifest, state.position, size);
        const finished = await runChunks(source, options.batches ?? 1, stop.signal, async (chunk) => {
          const { part, keys, ids } = chunkBatch(chunk, ordinal, options);
          ordinal += chunk.entries.length;
          if (keys.length > 0) {
            const done = await execute({ keys, ids, signal: stop.signal });
            mergeReport(part, done);
            if (done.stopped !== undefined) part.stopped = done.stopped;
          }
          return part;
        }, async (part, position) => {
          mergeReport(report, part);
          if (lost || part.stopped !== undefined) {
            // Part of this page is not done: the checkpoint stays before it (a resumed run skips
            // the done ones as REWRAPPED); later pages' work is counted all the same.
            if (part.stopped !== undefined) report.stopped ??= part.stopped;
            lost = true;
            stop.abort();
            return;
          }
          state.position = position;
          state.ordinal = (state.ordinal ?? 0) + recordsSeen(part);
          progress(report);
          await store?.save(state);
          if (overBudget()) stop.abort();
        });
        if (finished && !lost) state.done = true;
        await store?.save(state);
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    report.kmsCalls = used();
    report.complete = state.done === true;
    if (!report.complete) report.stopped ??= overBudget() ? 'kms-budget' : 'interrupted';
    progress(report, true);
    return report;
  } finally {
    sealer?.destroy();
  }
}

/** Batches in this process: the run's rotation (one KMS count, one cache of unwrapped keys); a batch stops early on the signal or the budget. */
function localExecutor(options: RewrapBucketOptions, batch: RewrapBatchRun, overBudget: () => boolean): BatchExecutor {
  return async ({ keys, ids, signal }) => {
    const report = await rewrapBatch(batch, { ...options, keys, ids }, () => options.signal?.aborted === true || signal?.aborted === true || overBudget());
    if (report.complete !== true) report.stopped = overBudget() ? 'kms-budget' : 'interrupted';
    return report;
  };
}
