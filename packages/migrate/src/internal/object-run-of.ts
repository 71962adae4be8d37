import type { S3Client } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/core';
import type { BucketEncryption } from '@phiseal/s3';
import { objectRun, type ObjectRun } from './object-migration.js';
import { rawS3Client } from './s3-client.js';

/**
 * Objects up to this size are migrated in memory with one PutObject; larger ones stream (multipart).
 *
 * @example
 * ```ts
 * import { DEFAULT_BUFFER_BYTES, migrateObject } from '@phiseal/migrate';
 * // Stream everything over 4 MiB instead of the default 16 MiB (a small Lambda's memory).
 * const bufferBytes = Math.min(DEFAULT_BUFFER_BYTES, 4 * 1024 * 1024);
 * await migrateObject({ client, bucket: 'scans', key: 'study-1/a.dcm', config: { envelope }, bufferBytes });
 * ```
 */
export const DEFAULT_BUFFER_BYTES = 16 * 1024 * 1024;

/** The options `migrateObject` and `migrateObjects` share for their run. */
export type ObjectRunOptions = {
  readonly client: S3Client;
  readonly bucket: string;
  readonly config: BucketEncryption;
  readonly dryRun?: boolean;
  readonly maxConflictRetries?: number;
  readonly bufferBytes?: number;
  readonly signal?: AbortSignal;
};

/**
 * The per-object run of `migrateObject` / `migrateObjects` (`caller` names it in errors), with
 * the defaults filled in. Checked in this order, before anything is built: the client is a
 * plain one, the config has an envelope, then `check` (the caller's own checks).
 * @throws PhisealError INVALID_CONFIGURATION (a client wrapped by withEncryption, no envelope); what `check` throws.
 */
export function objectRunOf(options: ObjectRunOptions, caller: string, check?: () => void): ObjectRun {
  const client = rawS3Client(options.client);
  if (typeof options.config?.envelope !== 'object') throw new PhisealError('INVALID_CONFIGURATION', `${caller} needs config: { envelope, ... }.`);
  check?.();
  return objectRun({
    client,
    bucket: options.bucket,
    config: options.config,
    dryRun: options.dryRun === true,
    maxConflictRetries: options.maxConflictRetries ?? 10,
    bufferBytes: options.bufferBytes ?? DEFAULT_BUFFER_BYTES,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}
