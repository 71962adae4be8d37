import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/core';
import { carriedSettings, type CarriedHeader, type ObjectHeaders } from './carried-settings.js';
import { isMissing } from './failure.js';

/** One stored object as a key-only rewrite needs it: what identifies it and every header a rewrite must set again. */
export type StoredHead = {
  etag: string;
  versionId: string | undefined;
  size: number;
  metadata: Record<string, string>;
  /** The object's headers as CopyObject / PutObject fields (see carriedSettings). */
  fields: Record<string, unknown>;
};

// The headers a rewrite sets again, every one a PutObject / CopyObject takes. A CopyObject with
// `MetadataDirective: 'REPLACE'` takes the content headers from the request (S3 CopyObject API:
// "the metadata is replaced by the metadata provided in the request"), and storage class,
// server-side encryption and object lock from the request or the bucket's defaults, never from
// the source: so every one is passed as the source has it. Tags are copied by S3
// (TaggingDirective COPY); ACLs are not (as with migrate). Unlike migrate (which re-encrypts
// the body), a key-only change keeps Content-Encoding, Content-Language and a website
// redirect, since the body is the same bytes.
const HEADERS: readonly CarriedHeader[] = [
  'ContentType', 'ContentEncoding', 'ContentLanguage', 'ContentDisposition', 'CacheControl', 'Expires', 'WebsiteRedirectLocation',
  'ServerSideEncryption', 'SSEKMSKeyId', 'BucketKeyEnabled', 'ObjectLockMode', 'ObjectLockRetainUntilDate', 'ObjectLockLegalHoldStatus',
];

function storedHeadOf(head: ObjectHeaders): StoredHead {
  return {
    etag: head.ETag ?? '',
    versionId: head.VersionId,
    size: head.ContentLength ?? 0,
    metadata: head.Metadata ?? {},
    fields: carriedSettings(head, HEADERS),
  };
}

/** HeadObject (with checksums) of the current version. */
export async function storedHead(client: S3Client, bucket: string, key: string): Promise<StoredHead> {
  return storedHeadOf(await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' })));
}

// The @phiseal/s3 reader's limit: an instruction file is a few hundred bytes.
const MAX_INSTRUCTION_FILE_BYTES = 64 * 1024;

/** An instruction file as read: its head (for the conditional rewrite) and body. */
export type StoredInstructionFile = { head: StoredHead; key: string; body: Uint8Array; tagCount: number };

/**
 * `<key>.instruction`, or null when it does not exist: one GetObject, whose headers are the
 * head of the very version whose body is read. A body over 64 KiB is not read (the response
 * is cut off).
 * @throws PhisealError `MALFORMED_CIPHERTEXT` (too large); S3 errors as the SDK's.
 */
export async function storedInstructionFile(client: S3Client, bucket: string, key: string): Promise<StoredInstructionFile | null> {
  const instructionKey = `${key}.instruction`;
  try {
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: instructionKey, ChecksumMode: 'ENABLED' }));
    const head = storedHeadOf(got);
    if (got.ContentLength === undefined || head.size > MAX_INSTRUCTION_FILE_BYTES) {
      // Whoever can write the bucket must not make a read buffer gigabytes.
      (got.Body as { destroy?: () => void } | undefined)?.destroy?.();
      throw new PhisealError('MALFORMED_CIPHERTEXT', 'The instruction file is too large to be one.');
    }
    const body = (await got.Body?.transformToByteArray()) ?? new Uint8Array(0);
    if (body.length > MAX_INSTRUCTION_FILE_BYTES) throw new PhisealError('MALFORMED_CIPHERTEXT', 'The instruction file is too large to be one.');
    return { head, key: instructionKey, body, tagCount: got.TagCount ?? 0 };
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}
