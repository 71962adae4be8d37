/**
 * Client-side encrypted Amazon S3 objects in the S3 Encryption Client on-object format
 * (V3 key-committing by default, V2 on request), interoperable with the official S3
 * Encryption Clients for Java, Python, Go and .NET. Streaming multipart uploads in
 * constant memory, authenticated streaming reads, instruction files and PHI guards.
 *
 * @example
 * ```ts
 * import { encryptedS3 } from '@phiseal/s3';
 * const s3 = encryptedS3({ client, envelope });
 * await s3.upload({ Bucket: 'scans', Key: 'study-8812/series-1.dcm', Body: fs.createReadStream(path) });
 * ```
 *
 * @packageDocumentation
 * @module @phiseal/s3
 */
export { encryptedS3 } from './encrypted-s3.js';
export { withEncryption } from './with-encryption.js';
export type { BucketEncryption, S3EncryptionOptions } from './with-encryption.js';
export { bucketMatcher, parseBucketReference } from './bucket-reference.js';
export { instructionFileNeeded, objectState, objectStateOf } from './object-state.js';
export type { BucketMatcher, BucketReference } from './bucket-reference.js';
export { readStoredDataKey, replaceStoredDataKey, verifyStoredDataKey } from './stored-data-key.js';
export type { StoredDataKey } from './stored-data-key.js';

export type {
  BodyInput,
  CommitmentPolicy,
  DecryptedBody,
  DeleteObjectInput,
  EncryptedS3,
  EncryptedS3Config,
  GetObjectInput,
  GetObjectOutput,
  ProgressEvent,
  PutObjectInput,
  ReadContextInput,
  S3Format,
  UploadInput,
  UploadOutput,
} from './types.js';

// Re-exported so callers can branch on errors without importing @phiseal/core.
export { PhisealError } from '@phiseal/core';
export type { PhisealErrorCode, PlaintextPolicy, RecordState } from '@phiseal/core';
