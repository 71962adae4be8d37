import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RecordState } from '@phiseal/core';
import { instructionFileNeeded, objectState, objectStateOf } from '@phiseal/s3';
import { isMissing } from './failure.js';

// What a stored object is for the migration. The record state is @phiseal/s3's rule (the one
// its reads and the switch-over stages use), so the migration never encrypts what a reader
// would refuse or decrypt: plaintext only when the object carries none of the S3 Encryption
// Client's metadata AND has no instruction file; anything in between is tampering.

/** A record state, or an S3 Encryption Client instruction file (never migrated itself). */
export type ObjectKind = RecordState | 'instruction-file';

const SUFFIX = '.instruction';
// The (empty) metadata entry the official clients set on an instruction file object.
const MARKER = 'x-amz-crypto-instr-file';

/**
 * What a listing proved about an object: it was listed with this ETag, and the same listing
 * showed that `<key>.instruction` did not exist. Valid for the object read only if the read
 * answers the same ETag (else the object changed since, and its instruction file is looked up).
 */
export type ListingProof = { readonly etag: string };

function hasMarker(metadata: Readonly<Record<string, string>>): boolean {
  return Object.keys(metadata).some((name) => {
    const n = name.toLowerCase();
    return n === MARKER || n === `x-amz-meta-${MARKER}`;
  });
}

/**
 * Classifies an object from the metadata of the read that also fetched its body. The
 * instruction file decides only when the metadata holds no S3EC data key; then it is looked
 * up unless `proof` shows the listing saw no instruction file for this very ETag. The lookup
 * is a HeadObject of `<key>.instruction` (usually a 404: a plaintext object); only a file that
 * exists is read and judged by `@phiseal/s3`'s objectStateOf.
 */
export async function objectKind(client: S3Client, bucket: string, key: string, metadata: Record<string, string>, etag: string, proof: ListingProof | undefined): Promise<ObjectKind> {
  if (hasMarker(metadata)) return 'instruction-file';
  if (!instructionFileNeeded(metadata)) return objectState(metadata, null);
  if (proof !== undefined && proof.etag === etag && etag !== '') return objectState(metadata, null);
  if (!(await exists(client, bucket, `${key}${SUFFIX}`))) return objectState(metadata, null);
  return objectStateOf(client, { Bucket: bucket, Key: key, metadata });
}

// A HEAD's 404 carries no body: cheaper for both sides than a GET's NoSuchKey error document,
// and the lookup is made for every plaintext object the run cannot prove has none.
async function exists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

/**
 * A `<name>.instruction` key with a `<name>` object beside it is that object's instruction
 * file (a client that does not set the marker): never encrypted itself. One HeadObject, for
 * such keys only.
 */
export async function isUnmarkedInstructionFile(client: S3Client, bucket: string, key: string): Promise<boolean> {
  return key.endsWith(SUFFIX) && exists(client, bucket, key.slice(0, -SUFFIX.length));
}
