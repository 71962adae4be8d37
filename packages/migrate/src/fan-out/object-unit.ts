// One S3 object through the fan-out handlers: find its bucket's configuration (by any name
// S3 accepts), refuse a PHI-like bucket or key before any request is sent, then hand it
// to the migration's per-object unit and turn whatever happens into an outcome.
import type { S3Client } from '@aws-sdk/client-s3';
import { bucketMatcher, type BucketEncryption } from '@phiseal/s3';
import { fromRecordOutcome, type UnitRecordOutcome } from './record-outcome.js';
import { classifyFailure, failed, type UnitOutcome } from './unit-outcome.js';

/** The object to migrate, with its bucket's configuration. */
export type ObjectRequest = {
  readonly client: S3Client;
  /** Bucket name or access point ARN, as the task named it. */
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly listedWithoutInstructionFile?: string;
  readonly config: BucketEncryption;
};

/** Migrates one object (the migration's per-object unit). May report a failure or throw it. */
export type ObjectMigrator = (request: ObjectRequest) => Promise<UnitRecordOutcome>;

/** The object a task or item names. */
export type ObjectTarget = {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  /** The ETag with which a live listing showed the object and no `<key>.instruction` (see rangeProofs). */
  readonly listedWithoutInstructionFile?: string;
};

/** Runs targets of the configured buckets through a migrator; `configFor` finds a bucket's configuration by any name S3 accepts. */
export type ObjectRunner = ((target: ObjectTarget) => Promise<UnitOutcome>) & { readonly configFor: (bucket: string) => BucketEncryption | undefined };

/**
 * Builds the per-object runner of the handlers.
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` for a bucket key that is neither a bucket name nor an access point ARN.
 * @example
 * ```ts
 * const run = objectRunner(client, { 'lab-results': { envelope } }, migrateObject);
 * const outcome = await run({ bucket: 'lab-results', key: 'r/1.json' });
 * ```
 */
export function objectRunner(client: S3Client, buckets: Readonly<Record<string, BucketEncryption>>, migrate: ObjectMigrator): ObjectRunner {
  const matcher = bucketMatcher(Object.keys(buckets));
  const configFor = (bucket: string): BucketEncryption | undefined => {
    try {
      const key = matcher.find(bucket);
      return key === undefined ? undefined : buckets[key];
    } catch {
      // An access point that is not configured may front a configured bucket: not ours to touch.
      return undefined;
    }
  };
  const run = async (target: ObjectTarget): Promise<UnitOutcome> => {
    const config = configFor(target.bucket);
    if (config === undefined) return failed('bucket-not-configured');
    try {
      // Checked here, before any request: a refused key must leave the object untouched.
      config.envelope.guard.check(target.key, 's3.key');
      return fromRecordOutcome(await migrate({ client, config, ...target }));
    } catch (error) {
      return classifyFailure(error);
    }
  };
  return Object.assign(run, { configFor });
}
