import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  type GetObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { carriedSettings, type CarriedHeader, type ObjectHeaders } from './carried-settings.js';

/** What the migration keeps of an object besides its body (from the same response as the body, so the ETag binds them). */
export type ObjectHead = {
  etag: string;
  versionId: string | undefined;
  size: number;
  metadata: Record<string, string>;
  /** Tags on the object (`x-amz-tagging-count`); only then is its tag set read. */
  tagCount: number;
  /** PutObject fields to write back as they were. */
  keep: Record<string, unknown>;
  /** Headers the encrypted object cannot keep truthfully (see README): the object is left as it is. */
  unsupported: string | undefined;
};

/** The object's headers and, unless only its headers were asked for, its body (to be read or released). */
export type ObjectRead = { head: ObjectHead; body: GetObjectCommandOutput['Body'] | undefined };

// What the encrypted object keeps; Content-Encoding, Content-Language and a website redirect are
// not among them (see unsupportedHeader).
const KEPT: readonly CarriedHeader[] = ['ContentType', 'ContentDisposition', 'CacheControl', 'Expires', 'ServerSideEncryption', 'SSEKMSKeyId', 'BucketKeyEnabled', 'ObjectLockMode', 'ObjectLockRetainUntilDate', 'ObjectLockLegalHoldStatus'];

function unsupportedHeader(head: ObjectHeaders): string | undefined {
  // Content-Encoding describes the plaintext's bytes (the S3 adapter refuses it on encrypted
  // objects); Content-Language and a website redirect are not carried by the adapter. Dropping
  // any of them would lose what the object said, so such objects are reported, not changed.
  if (head.ContentEncoding !== undefined && head.ContentEncoding !== '' && head.ContentEncoding !== 'identity') return 'ContentEncoding';
  if (head.ContentLanguage !== undefined && head.ContentLanguage !== '') return 'ContentLanguage';
  if (head.WebsiteRedirectLocation !== undefined) return 'WebsiteRedirectLocation';
  if (head.SSECustomerAlgorithm !== undefined) return 'SSECustomerAlgorithm';
  return undefined;
}

function headOf(out: ObjectHeaders): ObjectHead {
  return {
    etag: out.ETag ?? '',
    versionId: out.VersionId,
    size: out.ContentLength ?? 0,
    metadata: out.Metadata ?? {},
    tagCount: out.TagCount ?? 0,
    keep: carriedSettings(out, KEPT),
    unsupported: unsupportedHeader(out),
  };
}

/**
 * The current version of an object in ONE request: GetObject (with checksums), whose headers
 * classify it and whose body is what gets encrypted, so state, headers and bytes all belong
 * to the one ETag the conditional write names. `headOnly` (a dry run) sends HeadObject and
 * reads no body.
 */
export async function readObject(client: S3Client, bucket: string, key: string, headOnly: boolean): Promise<ObjectRead> {
  if (headOnly) {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
    return { head: headOf(head), body: undefined };
  }
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
  return { head: headOf(got), body: got.Body };
}

/**
 * Lets go of a body the migration will not use (the object is skipped): a small one is read
 * to the end so that its connection goes back to the pool; a large one is cut off.
 */
export async function releaseBody(body: ObjectRead['body'], size: number, bufferBytes: number): Promise<void> {
  if (body === undefined) return;
  try {
    // Read already (the failure came later), transformToByteArray refuses: nothing is left to release.
    if (size <= bufferBytes) await body.transformToByteArray();
    else (body as { destroy?: () => void }).destroy?.();
  } catch {
    (body as { destroy?: () => void }).destroy?.();
  }
}

/** The object's tag set as the URL-encoded `Tagging` string PutObject takes (undefined when none). */
export async function objectTagging(client: S3Client, bucket: string, key: string, versionId: string | undefined): Promise<string | undefined> {
  const out = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  const tags = out.TagSet ?? [];
  if (tags.length === 0) return undefined;
  return tags.map((t) => `${encodeURIComponent(t.Key ?? '')}=${encodeURIComponent(t.Value ?? '')}`).join('&');
}
