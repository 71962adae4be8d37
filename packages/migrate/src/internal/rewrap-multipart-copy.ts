import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCopyCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/core';
import { objectTagging } from './object-read.js';
import { forEachLimited } from './pool.js';
import type { StoredHead } from './rewrap-head.js';
import { copySource } from './rewrap-write.js';

/** How large objects are copied: bytes per copied part (default 1 GiB; S3: 5 MiB to 5 GiB, at most 10,000 parts). */
export type CopyParts = { readonly partBytes: number; readonly concurrency: number };

export const DEFAULT_COPY_PARTS: CopyParts = { partBytes: 1024 ** 3, concurrency: 4 };

const MAX_PARTS = 10_000;

const CHECKSUM_FIELDS = ['ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumSHA1', 'ChecksumSHA256', 'ChecksumCRC64NVME'] as const;

/**
 * Replaces the user metadata of an object too large for one CopyObject (over 5 GiB): a
 * multipart upload onto the same key whose parts are server-side copies of the version read
 * (UploadPartCopy, `CopySourceIfMatch` on the ETag read; the body is never downloaded),
 * created with the new metadata and every header and tag of the object, completed only if the
 * object is still the one read (`IfMatch`). Anything that fails aborts the upload, so no
 * parts are left behind. The checksum algorithm carries over; S3 stores a multipart object's
 * checksum as a checksum of part checksums, and its ETag is a multipart ETag.
 */
export async function multipartCopyWithMetadata(client: S3Client, bucket: string, key: string, head: StoredHead, metadata: Record<string, string>, parts: CopyParts = DEFAULT_COPY_PARTS): Promise<void> {
  const tagging = await objectTagging(client, bucket, key, head.versionId);
  const created = await client.send(
    new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, Metadata: metadata, ...head.fields, ...(tagging === undefined ? {} : { Tagging: tagging }) }),
  );
  const uploadId = created.UploadId;
  if (uploadId === undefined) throw new PhisealError('AWS_REQUEST_FAILED', 'S3 CreateMultipartUpload returned no upload id.', { retryable: true });
  try {
    const size = Math.max(parts.partBytes, Math.ceil(head.size / MAX_PARTS));
    const count = Math.max(1, Math.ceil(head.size / size));
    const completed: CompletedPart[] = new Array<CompletedPart>(count);
    // Every lane settles before the upload is completed or aborted (no part still in flight after an abort).
    let failure: { error: unknown } | undefined;
    await forEachLimited(Array.from({ length: count }, (_, i) => i), parts.concurrency, async (i) => {
      const first = i * size;
      const last = Math.min(head.size, first + size) - 1;
      try {
        const out = await client.send(
          new UploadPartCopyCommand({
            Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: i + 1,
            CopySource: copySource(bucket, key, head.versionId), CopySourceIfMatch: head.etag, CopySourceRange: `bytes=${first}-${last}`,
          }),
        );
        const result = out.CopyPartResult ?? {};
        const part: CompletedPart = { PartNumber: i + 1, ETag: result.ETag };
        for (const field of CHECKSUM_FIELDS) if (result[field] !== undefined) part[field] = result[field];
        completed[i] = part;
      } catch (error) {
        failure ??= { error };
      }
    }, () => failure !== undefined);
    if (failure !== undefined) throw failure.error;
    await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: completed }, IfMatch: head.etag }));
  } catch (error) {
    // Never leave parts behind (they are billed): best effort, the original error is what counts.
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
    throw error;
  }
}
