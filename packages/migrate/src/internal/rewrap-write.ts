import { CopyObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { objectTagging } from './object-read.js';
import type { StoredHead, StoredInstructionFile } from './rewrap-head.js';

/** S3 copies at most 5 GiB in one CopyObject (larger objects need a multipart copy). */
export const MAX_COPY_BYTES = 5 * 1024 ** 3;

/** The `CopySource` of one version: `bucket/key` (or `<access point ARN>/object/key`), URL-encoded, pinned to the version read. */
export function copySource(bucket: string, key: string, versionId: string | undefined): string {
  const encoded = encodeURIComponent(key).replace(/%2F/g, '/');
  // An access point ARN names its objects as <ARN>/object/<key> (CopyObject API reference).
  const base = bucket.startsWith('arn:') ? `${bucket}/object/${encoded}` : `${bucket}/${encoded}`;
  return versionId === undefined ? base : `${base}?versionId=${encodeURIComponent(versionId)}`;
}

/**
 * Replaces an object's user metadata with `metadata` by copying the object onto itself:
 * S3 copies the body server-side (it is not read, not re-encrypted, not sent). Only if the
 * object is still the version read: `CopySourceIfMatch` pins the source to the ETag read,
 * `IfMatch` makes the write itself conditional on the current object (a write by the
 * application in between wins: 412 PreconditionFailed or 409 ConditionalRequestConflict).
 */
export async function copyWithMetadata(client: S3Client, bucket: string, key: string, head: StoredHead, metadata: Record<string, string>): Promise<void> {
  await client.send(
    new CopyObjectCommand({
      Bucket: bucket,
      Key: key,
      CopySource: copySource(bucket, key, head.versionId),
      CopySourceIfMatch: head.etag,
      IfMatch: head.etag,
      MetadataDirective: 'REPLACE',
      TaggingDirective: 'COPY',
      Metadata: metadata,
      ...head.fields,
    }),
  );
}

/**
 * Writes a new body for an instruction file, keeping its metadata (the
 * `x-amz-crypto-instr-file` marker), headers and tags, only if it is still the one read
 * (If-Match on its ETag). The object it describes is not touched.
 */
export async function rewriteInstructionFile(client: S3Client, bucket: string, file: StoredInstructionFile, body: string): Promise<void> {
  const tagging = file.tagCount > 0 ? await objectTagging(client, bucket, file.key, file.head.versionId) : undefined;
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: file.key,
      Body: body,
      Metadata: file.head.metadata,
      ...file.head.fields,
      ...(tagging === undefined ? {} : { Tagging: tagging }),
      IfMatch: file.head.etag,
    }),
  );
}
