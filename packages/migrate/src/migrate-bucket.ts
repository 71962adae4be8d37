import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/core';
import type { BucketEncryption } from '@phiseal/s3';
import { checkpointStore, type CheckpointLocation } from './internal/checkpoint-store.js';
import { kmsBudget } from './internal/kms-budget.js';
import { chunkBatch, runChunks } from './internal/chunk-run.js';
import { listingChunks, manifestChunks, type SourcePosition } from './internal/object-source.js';
import { progressReporter } from './internal/progress.js';
import { createRateLimiter } from './internal/rate-limiter.js';
import { rangeProofs } from './internal/range-proofs.js';
import { rawS3Client } from './internal/s3-client.js';
import { versionsPass } from './internal/versions-pass.js';
import { migrateObjects } from './migrate-objects.js';
import { emptyReport, mergeReport } from './report.js';
import type { MigrationProgress, MigrationReport, RecordIdOptions } from './types.js';

/**
 * Migrates one batch of keys somewhere (default: in this process; the CLI: in a worker
 * process) and answers its report. `ids[i]` is the report id of `keys[i]`. A report with
 * `stopped` set (`'worker-lost'`: the worker died) means the batch did not finish: the run
 * stops, and the checkpoint stays before that batch.
 * @example
 * ```ts
 * const inWorker: BatchExecutor = (batch) => pool.run(batch);
 * ```
 */
export type BatchExecutor = (batch: ObjectBatch) => Promise<MigrationReport>;

/**
 * One batch of a bucket run: `ids[i]` is the report id of `keys[i]`; where the bucket was
 * listed, `listedWithoutInstructionFile[i]` is the ETag with which the listing showed `keys[i]`
 * while showing that `<key>.instruction` did not exist (else undefined). Pass it on to
 * {@link migrateObjects}: it spares one instruction-file lookup per plaintext object.
 * @example
 * ```ts
 * const batch: ObjectBatch = { keys: ['a.json'], ids: ['obj-0'], listedWithoutInstructionFile: ['"9b2cf535f27731c974343645a3985328"'] };
 * ```
 */
export type ObjectBatch = {
  readonly keys: readonly string[];
  readonly ids: readonly string[];
  readonly listedWithoutInstructionFile?: readonly (string | undefined)[];
  /** Fires when the run stops (KMS budget, a lost worker, Ctrl-C): an executor may then end the batch early, reporting it `stopped`. */
  readonly signal?: AbortSignal;
};

/**
 * Options of {@link migrateBucket}.
 * @example
 * ```ts
 * const options: MigrateBucketOptions = { client, bucket: 'scans', prefix: 'study-1/', config: { envelope } };
 * ```
 */
export type MigrateBucketOptions = RecordIdOptions & {
  /** A plain S3Client; not one wrapped by `withEncryption`. */
  readonly client: S3Client;
  readonly bucket: string;
  /** Only keys under this prefix (listing). */
  readonly prefix?: string;
  /**
   * Instead of listing: an S3 Inventory `manifest.json` (CSV reports; its data files are read
   * from the inventory's destination bucket, or beside a local manifest) or a Batch Operations
   * CSV manifest (`Bucket,Key[,VersionId]`, keys URL-encoded), as a local path or `s3://bucket/key`.
   */
  readonly manifest?: string;
  /** The bucket's configuration, as `withEncryption(s3Client, { buckets })` takes it. */
  readonly config: BucketEncryption;
  /** Objects migrated at a time (default 16). */
  readonly concurrency?: number;
  /** A file path (written atomically, mode 0600) or `{ tableName }` with a DynamoDB client in `checkpointClient`. */
  readonly checkpoint?: CheckpointLocation;
  /** The DynamoDB client of a `{ tableName }` checkpoint. */
  readonly checkpointClient?: DynamoDBClient;
  readonly dryRun?: boolean;
  /** After the objects: delete noncurrent plaintext versions (default: only count them). */
  readonly deletePlaintextVersions?: boolean;
  readonly maxRecordsPerSecond?: number;
  /**
   * Stop (resumably, `stopped: 'kms-budget'`) once this run has made this many KMS calls
   * (`config.envelope`'s plus `kmsCallsElsewhere()`). Checked as each batch commits: the batches
   * in flight finish, so a run may go over by what they need (see the package README).
   */
  readonly maxKmsCalls?: number;
  /**
   * KMS calls made for this run outside `config.envelope`, by executors with envelopes of their
   * own (the CLI's worker processes): counted against `maxKmsCalls` and into `report.kmsCalls`.
   */
  readonly kmsCallsElsewhere?: () => number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: MigrationProgress) => void;
  readonly maxConflictRetries?: number;
  /** Objects larger than this stream through a multipart upload; default 16 MiB. */
  readonly bufferBytes?: number;
  /** Keys per batch (default 1000, one listing page; 1 to 1000): the checkpoint advances a batch at a time. */
  readonly batchSize?: number;
  /** Batches in flight at a time (default 1; the CLI sets two per worker). */
  readonly batches?: number;
  /** Run batches elsewhere (worker processes); default in this process. */
  readonly executeBatch?: BatchExecutor;
};

type BucketState = { position?: SourcePosition; done?: boolean };

/**
 * Encrypts every plaintext object of a bucket (under `prefix`, or named by `manifest`) in
 * place with {@link migrateObject}'s unit: same key, user metadata, tags and headers, written
 * only if the ETag is unchanged since the read, so a write the application makes meanwhile
 * wins. Resumes from `checkpoint` (the position after the last batch whose every object is
 * done); the report counts this run's work only. In a versioned bucket, the plaintext
 * versions left behind are counted afterwards, and deleted only with `deletePlaintextVersions`.
 *
 * @throws {@link PhisealError} `INVALID_ARGUMENT` (bad options, a checkpoint of another bucket,
 * an unreadable manifest), `INVALID_CONFIGURATION`; a failed listing reaches you as the SDK's
 * error after the checkpoint is saved.
 * @example
 * ```ts
 * const report = await migrateBucket({ client: new S3Client({}), bucket: 'scans', config: { envelope }, checkpoint: './scans.ckpt' });
 * ```
 */
export async function migrateBucket(options: MigrateBucketOptions): Promise<MigrationReport> {
  const client = rawS3Client(options.client);
  const { bucket } = options;
  if (typeof options.config?.envelope !== 'object') throw new PhisealError('INVALID_CONFIGURATION', 'migrateBucket needs config: { envelope, ... }.');
  if (options.manifest !== undefined && options.prefix !== undefined) throw new PhisealError('INVALID_ARGUMENT', 'Give a prefix or a manifest, not both.');
  const envelope = options.config.envelope;
  const store = options.checkpoint === undefined ? undefined : checkpointStore(options.checkpoint, envelope, 's3', `${bucket}\n${options.manifest ?? options.prefix ?? ''}`, options.checkpointClient);
  const saved = (await store?.load()) as BucketState | undefined;
  const state: BucketState = saved ?? {};
  const report = emptyReport();
  if (saved !== undefined && store) report.resumedFrom = store.where;
  if (options.dryRun === true) report.dryRun = true;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted === true) stop.abort();
  const budget = kmsBudget(envelope, options.maxKmsCalls, options.kmsCallsElsewhere);
  const progress = progressReporter(options.onProgress, () => undefined);
  const execute = options.executeBatch ?? localExecutor(options, client);
  let ordinal = 0;
  let lost = false;
  try {
    if (state.done !== true) {
      const size = options.batchSize ?? 1000;
      if (!Number.isInteger(size) || size < 1 || size > 1000) throw new PhisealError('INVALID_ARGUMENT', 'batchSize must be an integer from 1 to 1000.');
      const source = options.manifest === undefined ? listingChunks(client, bucket, options.prefix, state.position, size) : manifestChunks(client, bucket, options.manifest, state.position, size);
      const finished = await runChunks(source, options.batches ?? 1, stop.signal, async (chunk) => {
        const { part, keys, ids, listed } = chunkBatch(chunk, ordinal, options);
        ordinal += chunk.entries.length;
        if (keys.length > 0) {
          // Manifest rows prove nothing about instruction files: a live listing of their range does.
          if (options.manifest !== undefined) listed.splice(0, listed.length, ...(await rangeProofs(client, bucket, keys, envelope.guard)));
          const done = await execute({ keys, ids, signal: stop.signal, ...(listed.some((e) => e !== undefined) ? { listedWithoutInstructionFile: listed } : {}) });
          mergeReport(part, done);
          if (done.stopped !== undefined) part.stopped = done.stopped;
        }
        return part;
      }, async (part, position) => {
        if (lost || part.stopped !== undefined) {
          // A batch that did not finish: neither it nor any later batch moves the checkpoint. The
          // later batches' work is done all the same, so it is counted (the resumed run skips it).
          if (part.stopped !== undefined) report.stopped ??= part.stopped;
          mergeReport(report, part);
          lost = true;
          stop.abort();
          return;
        }
        mergeReport(report, part);
        state.position = position;
        if (budget.exceeded()) {
          report.stopped = 'kms-budget';
          stop.abort();
        }
        progress(report);
        await store?.save(state);
      });
      if (finished && !lost) state.done = true;
      await store?.save(state);
    }
    report.complete = state.done === true;
    report.kmsCalls = budget.used();
    if (!report.complete && report.stopped === undefined && budget.exceeded()) report.stopped = 'kms-budget';
    if (!report.complete && report.stopped === undefined && options.signal?.aborted === true) report.stopped = 'interrupted';
    if (report.complete && options.manifest === undefined) await versionsPass(client, bucket, options.prefix, options.deletePlaintextVersions === true && options.dryRun !== true, report);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  progress(report, true);
  return report;
}

function localExecutor(options: MigrateBucketOptions, client: S3Client): BatchExecutor {
  const limiter = createRateLimiter(options.maxRecordsPerSecond);
  // In this process a batch runs to its end: the budget and a stop are checked as batches commit.
  return ({ keys, ids, listedWithoutInstructionFile }) => migrateObjects({ ...options, client, keys, ids, limiter, ...(listedWithoutInstructionFile === undefined ? {} : { listedWithoutInstructionFile }) });
}
