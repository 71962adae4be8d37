import { GetObjectTaggingCommand, HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';

/** What the migration keeps of an object besides its body (read before the body, so the ETag binds them). */
export type ObjectHead = {
  etag: string;
  versionId: string | undefined;
  size: number;
  metadata: Record<string, string>;
  /** PutObject fields to write back as they were. */
  keep: Record<string, unknown>;
  /** Headers the encrypted object cannot keep truthfully (see README): the object is left as it is. */
  unsupported: string | undefined;
};

const CHECKSUMS = [
  ['ChecksumSHA256', 'SHA256'],
  ['ChecksumSHA1', 'SHA1'],
  ['ChecksumCRC32C', 'CRC32C'],
  ['ChecksumCRC32', 'CRC32'],
  ['ChecksumCRC64NVME', 'CRC64NVME'],
] as const;

function kept(head: HeadObjectCommandOutput): Record<string, unknown> {
  const keep: Record<string, unknown> = {};
  const copy = ['ContentType', 'ContentDisposition', 'CacheControl', 'Expires', 'ServerSideEncryption', 'SSEKMSKeyId', 'BucketKeyEnabled', 'ObjectLockMode', 'ObjectLockRetainUntilDate', 'ObjectLockLegalHoldStatus'] as const;
  for (const field of copy) if (head[field] !== undefined) keep[field] = head[field];
  // An expired retention cannot be set again (S3 refuses a past date): it no longer binds.
  const until = head.ObjectLockRetainUntilDate;
  if (until !== undefined && until.getTime() <= Date.now()) {
    delete keep['ObjectLockMode'];
    delete keep['ObjectLockRetainUntilDate'];
  }
  // HeadObject leaves StorageClass out for STANDARD.
  if (head.StorageClass !== undefined) keep['StorageClass'] = head.StorageClass;
  // The algorithm carries over; the value is the SDK's, over the encrypted bytes.
  const checksum = CHECKSUMS.find(([field]) => head[field] !== undefined);
  if (checksum) keep['ChecksumAlgorithm'] = checksum[1];
  return keep;
}

function unsupportedHeader(head: HeadObjectCommandOutput): string | undefined {
  // Content-Encoding describes the plaintext's bytes (the S3 adapter refuses it on encrypted
  // objects); Content-Language and a website redirect are not carried by the adapter. Dropping
  // any of them would lose what the object said, so such objects are reported, not changed.
  if (head.ContentEncoding !== undefined && head.ContentEncoding !== '' && head.ContentEncoding !== 'identity') return 'ContentEncoding';
  if (head.ContentLanguage !== undefined && head.ContentLanguage !== '') return 'ContentLanguage';
  if (head.WebsiteRedirectLocation !== undefined) return 'WebsiteRedirectLocation';
  if (head.SSECustomerAlgorithm !== undefined) return 'SSECustomerAlgorithm';
  return undefined;
}

/** HeadObject with checksums; `versionId` pins one version. */
export async function headObject(client: S3Client, bucket: string, key: string, versionId: string | undefined): Promise<ObjectHead> {
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, ChecksumMode: 'ENABLED' }));
  return {
    etag: head.ETag ?? '',
    versionId: head.VersionId,
    size: head.ContentLength ?? 0,
    metadata: head.Metadata ?? {},
    keep: kept(head),
    unsupported: unsupportedHeader(head),
  };
}

/** The object's tag set as the URL-encoded `Tagging` string PutObject takes (undefined when none). */
export async function objectTagging(client: S3Client, bucket: string, key: string, versionId: string | undefined): Promise<string | undefined> {
  const out = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  const tags = out.TagSet ?? [];
  if (tags.length === 0) return undefined;
  return tags.map((t) => `${encodeURIComponent(t.Key ?? '')}=${encodeURIComponent(t.Value ?? '')}`).join('&');
}
