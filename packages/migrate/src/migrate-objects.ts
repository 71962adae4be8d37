import type { S3Client } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/core';
import type { BucketEncryption } from '@phiseal/s3';
import { migrateStoredObject } from './internal/object-migration.js';
import { objectRunOf } from './internal/object-run-of.js';
import { forEachLimited } from './internal/pool.js';
import { createRateLimiter, type RateLimiter } from './internal/rate-limiter.js';
import { recordId } from './internal/record-id.js';
import { addOutcome, emptyReport } from './report.js';
import type { MigrationReport, RecordIdOptions } from './types.js';

/**
 * Options of {@link migrateObjects}.
 * @example
 * ```ts
 * const options: MigrateObjectsOptions = { client, bucket: 'scans', keys: ['a', 'b'], config: { envelope } };
 * ```
 */
export type MigrateObjectsOptions = RecordIdOptions & {
  /** A plain S3Client; not one wrapped by `withEncryption`. */
  readonly client: S3Client;
  readonly bucket: string;
  readonly keys: readonly string[];
  /** Report ids of `keys` (same length); default `obj-<index>`. */
  readonly ids?: readonly string[];
  /**
   * Per key (same length), the ETag with which a listing showed it while showing that
   * `<key>.instruction` did not exist (see `ObjectBatch`); undefined where unknown. An
   * object read with that ETag is classified without looking its instruction file up.
   */
  readonly listedWithoutInstructionFile?: readonly (string | undefined)[];
  readonly config: BucketEncryption;
  /** Objects migrated at a time (default 16). */
  readonly concurrency?: number;
  readonly dryRun?: boolean;
  readonly maxRecordsPerSecond?: number;
  /** A limiter shared with other batches of the same process (instead of `maxRecordsPerSecond`). */
  readonly limiter?: RateLimiter;
  readonly maxConflictRetries?: number;
  readonly bufferBytes?: number;
  /** Aborts the multipart uploads in flight. */
  readonly signal?: AbortSignal;
  /**
   * Stops before the next object: the objects in flight finish, the rest are not visited and
   * the report says `complete: false` (run the batch again; migrated objects are then skipped).
   * The CLI's workers stop so on the run's KMS budget.
   */
  readonly stop?: AbortSignal;
};

/**
 * A batch of S3 objects through the per-object unit (see `migrateObject`), `concurrency` at a
 * time: the unit of a worker process or a Lambda invocation with many keys. Never throws for
 * a record; every key is counted once in the report (every key started, when `stop` fired).
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION`, `INVALID_ARGUMENT` (ids or listedWithoutInstructionFile of another length).
 * @example
 * ```ts
 * const report = await migrateObjects({ client, bucket: 'scans', keys, config: { envelope }, concurrency: 32 });
 * ```
 */
export async function migrateObjects(options: MigrateObjectsOptions): Promise<MigrationReport> {
  const listed = options.listedWithoutInstructionFile;
  const run = objectRunOf(options, 'migrateObjects', () => {
    if (options.ids !== undefined && options.ids.length !== options.keys.length) throw new PhisealError('INVALID_ARGUMENT', 'ids must have one entry per key.');
    if (listed !== undefined && listed.length !== options.keys.length) throw new PhisealError('INVALID_ARGUMENT', 'listedWithoutInstructionFile must have one entry per key.');
  });
  const limiter = options.limiter ?? createRateLimiter(options.maxRecordsPerSecond);
  const report = emptyReport();
  if (run.dryRun) report.dryRun = true;
  const started = await forEachLimited(options.keys, options.concurrency ?? 16, async (key, i) => {
    await limiter.take();
    const id = options.ids?.[i] ?? recordId(`obj-${i}`, key, options);
    const etag = listed?.[i];
    addOutcome(report, await migrateStoredObject(run, key, id, etag === undefined ? undefined : { etag }));
  }, () => options.stop?.aborted === true);
  report.complete = started === options.keys.length;
  return report;
}
