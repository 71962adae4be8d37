import type { S3Client } from '@aws-sdk/client-s3';
import type { BucketEncryption } from '@phiseal/s3';
import { migrateStoredObject, type ObjectRun } from './internal/object-migration.js';
import { objectRunOf } from './internal/object-run-of.js';
import { recordId } from './internal/record-id.js';
import type { RecordIdOptions, RecordOutcome } from './types.js';

export { DEFAULT_BUFFER_BYTES } from './internal/object-run-of.js';

/**
 * Options of {@link migrateObject}.
 * @example
 * ```ts
 * const options: MigrateObjectOptions = { client, bucket: 'scans', key: 'study-1/a.dcm', config: { envelope } };
 * ```
 */
export type MigrateObjectOptions = RecordIdOptions & {
  /** A plain S3Client; not one wrapped by `withEncryption`. */
  readonly client: S3Client;
  /** Bucket name or access point ARN. */
  readonly bucket: string;
  readonly key: string;
  /** The version a manifest listed. The current version is what is migrated (it may be newer). */
  readonly versionId?: string;
  /**
   * The ETag with which a live listing of this run showed the object while showing that
   * `<key>.instruction` did not exist (see `ObjectBatch`). Read with that ETag, the object is
   * classified without looking its instruction file up; read with another, it is looked up.
   */
  readonly listedWithoutInstructionFile?: string;
  /** The bucket's configuration, as `withEncryption(s3Client, { buckets })` takes it. */
  readonly config: BucketEncryption;
  /** Position shown in the report (default `object`). */
  readonly id?: string;
  readonly dryRun?: boolean;
  /** Conflicts tolerated before the object is reported failed (`CONFLICT`, retryable); default 10. */
  readonly maxConflictRetries?: number;
  /** Objects larger than this stream through a multipart upload; default 16 MiB. */
  readonly bufferBytes?: number;
  readonly signal?: AbortSignal;
};

/**
 * The unit of work for one S3 object (an S3 Batch Operations task, a Distributed Map item, one
 * listed key): if it is plaintext, it is read and written back in the S3 Encryption Client
 * format of `config` (what `withEncryption(s3Client)` and `encryptedS3` write), keeping key,
 * user metadata, tags, content type, disposition, cache control, expiry, storage class, object
 * lock retention and legal hold, the checksum algorithm and server-side encryption settings,
 * only if its ETag is unchanged since the read (If-Match). Never throws for the record.
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` (a client wrapped by withEncryption, no envelope).
 * @example
 * ```ts
 * const outcome = await migrateObject({ client, bucket: 'scans', key: 'study-1/a.dcm', config: { envelope } });
 * ```
 */
export async function migrateObject(options: MigrateObjectOptions): Promise<RecordOutcome> {
  return migrateWith(objectRunOf(options, 'migrateObject'), options);
}

function migrateWith(run: ObjectRun, options: MigrateObjectOptions): Promise<RecordOutcome> {
  const etag = options.listedWithoutInstructionFile;
  return migrateStoredObject(run, options.key, recordId(options.id ?? 'object', options.key, options), etag === undefined ? undefined : { etag });
}

/**
 * {@link migrateObject} for a handler that migrates object after object with one client: the
 * client is checked (its middleware listed, ~0.2 ms of CPU) and a bucket's run built on the
 * first object of that bucket and configuration, then reused. Calls with run options of their
 * own (dry run, retries, buffer size, signal) build theirs.
 * @internal
 */
export function objectMigrator(): (options: MigrateObjectOptions) => Promise<RecordOutcome> {
  const runs = new WeakMap<S3Client, WeakMap<BucketEncryption, Map<string, ObjectRun>>>();
  return async (options) => {
    const { client, config, bucket } = options;
    const own = options.dryRun !== undefined || options.maxConflictRetries !== undefined || options.bufferBytes !== undefined || options.signal !== undefined;
    if (own || typeof client !== 'object' || client === null || typeof config !== 'object' || config === null) return migrateObject(options);
    let byConfig = runs.get(client);
    if (byConfig === undefined) runs.set(client, (byConfig = new WeakMap<BucketEncryption, Map<string, ObjectRun>>()));
    let byBucket = byConfig.get(config);
    if (byBucket === undefined) byConfig.set(config, (byBucket = new Map<string, ObjectRun>()));
    let run = byBucket.get(bucket);
    if (run === undefined) byBucket.set(bucket, (run = objectRunOf(options, 'migrateObject')));
    return migrateWith(run, options);
  };
}
