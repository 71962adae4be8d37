import type { ChecksumAlgorithm } from '@aws-sdk/client-s3';
import type { PutObjectInput } from '../types.js';
import { validateCallerContext } from './encryption-context.js';
import { checkContentDisposition, checkHeader, checkLocation, checkMetadata, checkTagging } from './guards.js';
import type { S3Context } from './s3-context.js';
import { invalidArgument } from './errors.js';

/**
 * S3 request fields passed to PutObject and CreateMultipartUpload as they are: server-side
 * encryption (SSE-KMS on top of client-side encryption), storage class, object lock, ACLs,
 * bucket-owner checks, the checksum algorithm the SDK computes over the stored (encrypted)
 * bytes, and conditional writes (`IfMatch` / `IfNoneMatch`, which a multipart upload sends on
 * CompleteMultipartUpload). None is about the plaintext's bytes or stored as free text.
 */
export const PASSED_FIELDS = [
  'ServerSideEncryption', 'SSEKMSKeyId', 'BucketKeyEnabled', 'StorageClass', 'ExpectedBucketOwner', 'ObjectLockMode',
  'ObjectLockRetainUntilDate', 'ObjectLockLegalHoldStatus', 'ACL', 'Expires', 'RequestPayer',
  'GrantFullControl', 'GrantRead', 'GrantReadACP', 'GrantWriteACP', 'ChecksumAlgorithm', 'IfMatch', 'IfNoneMatch',
] as const;

/** Fields about the plaintext's bytes, which the stored ciphertext would contradict: refused, never dropped. */
const BROKEN_BY_ENCRYPTION = ['ContentMD5', 'ContentEncoding', 'ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumCRC64NVME', 'ChecksumSHA1', 'ChecksumSHA256'];

/** A write request after every check: nothing is sent to AWS before this succeeds. */
export type CheckedWrite = {
  bucket: string;
  key: string;
  userMetadata: Record<string, string>;
  /** Plain S3 parameters passed through (ContentType, ContentDisposition, CacheControl, Tagging). */
  passThrough: {
    ContentType?: string; ContentDisposition?: string; CacheControl?: string; Tagging?: string;
    IfMatch?: string; IfNoneMatch?: string; ChecksumAlgorithm?: ChecksumAlgorithm;
  } & Record<string, unknown>;
  context: Record<string, string>;
  useInstructionFile: boolean;
};

/**
 * Validates a put/upload request and runs the PHI guard over every surface S3 stores in
 * the clear: bucket, key, user metadata, tags and the Content-Disposition filename.
 * @throws PhisealError `INVALID_ARGUMENT`, `PHI_DETECTED`.
 */
export function checkWrite(ctx: S3Context, input: PutObjectInput): CheckedWrite {
  if (typeof input !== 'object' || input === null) throw invalidArgument('The request must be an object.');
  const guard = ctx.envelope.guard;
  const { bucket, key } = checkLocation(guard, input.Bucket, input.Key);
  const userMetadata = checkMetadata(guard, input.Metadata);
  checkTagging(guard, input.Tagging);
  checkContentDisposition(guard, input.ContentDisposition);
  // Content-Type (its legacy `name=` parameter is a filename) and Cache-Control are stored
  // and returned in the clear on every read, like user metadata.
  checkHeader(guard, input.ContentType, 'ContentType');
  checkHeader(guard, input.CacheControl, 'CacheControl');
  const context = validateCallerContext(input.context);
  const passThrough: CheckedWrite['passThrough'] = {};
  if (input.ContentType !== undefined) passThrough.ContentType = input.ContentType;
  if (input.ContentDisposition !== undefined) passThrough.ContentDisposition = input.ContentDisposition;
  if (input.CacheControl !== undefined) passThrough.CacheControl = input.CacheControl;
  if (input.Tagging !== undefined) passThrough.Tagging = input.Tagging;
  const fields = input as Record<string, unknown>;
  for (const field of BROKEN_BY_ENCRYPTION) {
    if (fields[field] !== undefined) {
      throw invalidArgument(`${field} describes the plaintext, but S3 stores ciphertext: it would fail or mislead every reader. Leave it out (the SDK's own checksums cover the ciphertext).`, { field });
    }
  }
  const passed = passThrough as Record<string, unknown>;
  for (const field of PASSED_FIELDS) if (fields[field] !== undefined) passed[field] = fields[field];
  const useInstructionFile = input.instructionFile ?? ctx.instructionFile;
  if (useInstructionFile && (fields['IfMatch'] !== undefined || fields['IfNoneMatch'] !== undefined)) {
    // The instruction file is written first and removed if the object write fails: with a
    // condition, that removal could take away the instruction file of the object that won.
    throw invalidArgument('A conditional write (IfMatch / IfNoneMatch) cannot cover an instruction file: write this object with instructionFile: false.', { field: fields['IfMatch'] !== undefined ? 'IfMatch' : 'IfNoneMatch' });
  }
  return {
    bucket,
    key,
    userMetadata,
    passThrough,
    context,
    useInstructionFile,
  };
}
