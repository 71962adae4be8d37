import type { GetObjectCommandOutput, HeadObjectCommandOutput } from '@aws-sdk/client-s3';

/** GetObject and HeadObject answer the same headers: either response describes the object. */
export type ObjectHeaders = HeadObjectCommandOutput | GetObjectCommandOutput;

/** A header of the response that the PutObject / CopyObject field of the same name sets again. */
export type CarriedHeader =
  | 'ContentType' | 'ContentEncoding' | 'ContentLanguage' | 'ContentDisposition' | 'CacheControl' | 'Expires' | 'WebsiteRedirectLocation'
  | 'ServerSideEncryption' | 'SSEKMSKeyId' | 'BucketKeyEnabled' | 'ObjectLockMode' | 'ObjectLockRetainUntilDate' | 'ObjectLockLegalHoldStatus';

// The response's checksum header -> the PutObject/CopyObject ChecksumAlgorithm that computes it.
const CHECKSUMS = [
  ['ChecksumSHA256', 'SHA256'],
  ['ChecksumSHA1', 'SHA1'],
  ['ChecksumCRC32C', 'CRC32C'],
  ['ChecksumCRC32', 'CRC32'],
  ['ChecksumCRC64NVME', 'CRC64NVME'],
] as const;

/**
 * The settings a rewrite of an object (migrate's encrypting PutObject, rewrap's CopyObject or
 * PutObject) sets again as the object has them: the `headers` named (those that are set and
 * not empty), then the rules both rewrites share:
 * - an object lock retention whose date has passed is left out: S3 refuses a past
 *   retain-until date, and the retention no longer binds;
 * - the storage class (HeadObject/GetObject leave it out for STANDARD, the default of a write);
 * - the checksum algorithm: the new value is the SDK's, over the bytes written (for a key-only
 *   rewrite the same bytes, so the same value).
 */
export function carriedSettings(head: ObjectHeaders, headers: readonly CarriedHeader[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const name of headers) if (head[name] !== undefined && head[name] !== '') fields[name] = head[name];
  const until = head.ObjectLockRetainUntilDate;
  if (until !== undefined && until.getTime() <= Date.now()) {
    delete fields['ObjectLockMode'];
    delete fields['ObjectLockRetainUntilDate'];
  }
  if (head.StorageClass !== undefined) fields['StorageClass'] = head.StorageClass;
  const checksum = CHECKSUMS.find(([field]) => head[field] !== undefined);
  if (checksum) fields['ChecksumAlgorithm'] = checksum[1];
  return fields;
}
