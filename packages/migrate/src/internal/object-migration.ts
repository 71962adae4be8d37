import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { encryptedS3, type BucketEncryption, type EncryptedS3 } from '@phiseal/s3';
import type { RecordOutcome } from '../types.js';
import { describeFailure, isConditionFailure, isMissing } from './failure.js';
import { isUnmarkedInstructionFile, objectKind, type ListingProof } from './object-kind.js';
import { objectTagging, readObject, releaseBody, type ObjectRead } from './object-read.js';

/** Everything one object's migration needs (built once per run). */
export type ObjectRun = {
  readonly client: S3Client;
  readonly bucket: string;
  readonly config: BucketEncryption;
  readonly s3: EncryptedS3;
  readonly dryRun: boolean;
  readonly maxConflictRetries: number;
  /** Objects up to this size are read into memory and written with one PutObject; larger ones stream through a multipart upload. */
  readonly bufferBytes: number;
  readonly signal?: AbortSignal;
  /** Test seam: runs between the read and the conditional write (a concurrent writer's moment). */
  readonly beforeWrite?: () => Promise<void>;
};

/** The per-run state of the S3 migration of one bucket. */
export function objectRun(options: Omit<ObjectRun, 's3'>): ObjectRun {
  const { context: _context, ...config } = options.config;
  // Metadata mode always: a conditional write cannot cover an instruction file (see README).
  return { ...options, s3: encryptedS3({ ...config, instructionFile: false, client: options.client }) };
}

type Step = RecordOutcome | 'conflict';
type Done = (outcome: RecordOutcome['outcome'], code?: string, retryable?: boolean) => RecordOutcome;

// Requests per plaintext object: one GetObject (headers classify it, body is encrypted), the
// instruction-file lookup only when no listing proved there is none, GetObjectTagging only
// when the object has tags, and one PutObject conditional on the ETag read (If-Match).
async function attempt(run: ObjectRun, key: string, proof: ListingProof | undefined, done: Done): Promise<Step> {
  let read: ObjectRead;
  try {
    read = await readObject(run.client, run.bucket, key, run.dryRun);
  } catch (error) {
    if (isMissing(error)) return done('skipped', 'GONE');
    const failure = describeFailure(error);
    // An archived object (Glacier, Deep Archive) answers HEAD but not GET: one already
    // encrypted is still skipped, a plaintext one reported as S3 refused its read.
    if (failure.code === 'InvalidObjectState') return archived(run, key, proof, done, failure);
    return done('failed', failure.code, failure.retryable);
  }
  const { head, body } = read;
  try {
    const verdict = await decide(run, key, read, proof, done);
    if (verdict !== undefined) {
      await releaseBody(body, head.size, run.bufferBytes);
      return verdict;
    }
    await write(run, key, read);
    return done('migrated');
  } catch (error) {
    // Whatever failed, the response's connection is not left hanging on an unread body.
    await releaseBody(body, head.size, run.bufferBytes);
    throw error;
  }
}

async function write(run: ObjectRun, key: string, { head, body }: ObjectRead): Promise<void> {
  const tagging = head.tagCount > 0 ? await objectTagging(run.client, run.bucket, key, head.versionId) : undefined;
  const input = {
    Bucket: run.bucket,
    Key: key,
    Metadata: head.metadata,
    ...head.keep,
    ...(tagging === undefined ? {} : { Tagging: tagging }),
    ...(run.config.context === undefined ? {} : { context: run.config.context }),
    // Written only if the object is still the one read: a write by the application wins.
    IfMatch: head.etag,
  };
  await run.beforeWrite?.();
  if (head.size <= run.bufferBytes) {
    const bytes = (await body?.transformToByteArray()) ?? new Uint8Array(0);
    await run.s3.putObject({ ...input, Body: bytes });
  } else {
    const stream = body instanceof Readable ? body : Readable.fromWeb((body as { transformToWebStream(): ReadableStream<Uint8Array> }).transformToWebStream() as never);
    await run.s3.upload({ ...input, Body: stream, ...(run.signal === undefined ? {} : { abortSignal: run.signal }) });
  }
}

async function archived(run: ObjectRun, key: string, proof: ListingProof | undefined, done: Done, failure: { code: string; retryable: boolean }): Promise<Step> {
  const read = await readObject(run.client, run.bucket, key, true);
  return (await decide(run, key, read, proof, done)) ?? done('failed', failure.code, failure.retryable);
}

/** The outcome of an object that is not to be written (undefined: encrypt and write it). */
async function decide(run: ObjectRun, key: string, { head }: ObjectRead, proof: ListingProof | undefined, done: Done): Promise<RecordOutcome | undefined> {
  const kind = await objectKind(run.client, run.bucket, key, head.metadata, head.etag, proof);
  if (kind === 'instruction-file') return done('skipped', 'INSTRUCTION_FILE');
  if (kind === 'encrypted') return done('skipped', 'ENCRYPTED');
  if (kind === 'tampered') return done('failed', 'DECRYPTION_FAILED', false);
  if (await isUnmarkedInstructionFile(run.client, run.bucket, key)) return done('skipped', 'INSTRUCTION_FILE');
  if (head.unsupported !== undefined) return done('failed', 'UNSUPPORTED_OPERATION', false);
  if (run.dryRun) return done('migrated');
  return undefined;
}

/**
 * Migrates one object: a plaintext object is read and written back encrypted under the
 * bucket's configuration, with the same key, user metadata, tags and headers, only if its
 * ETag is still the one read (If-Match); on a conflict it is looked at again. Always the
 * current version: that is what readers get (older versions are for the versions pass).
 */
export async function migrateStoredObject(run: ObjectRun, key: string, id: string, proof?: ListingProof): Promise<RecordOutcome> {
  // A key the guard refuses stays in the clear whatever is encrypted: refused before any read.
  try {
    run.config.envelope.guard.check(key, 's3.key');
  } catch (error) {
    return { outcome: 'refused', id, conflictsRetried: 0, ...describeFailure(error) };
  }
  for (let conflicts = 0; ; conflicts++) {
    let step: Step;
    try {
      const done: Done = (outcome, code, retryable) => ({
        outcome, id, conflictsRetried: conflicts, ...(code === undefined ? {} : { code }), ...(retryable === undefined ? {} : { retryable }),
      });
      // After a conflict the object changed: the listing's proof is for another ETag.
      step = await attempt(run, key, conflicts === 0 ? proof : undefined, done);
    } catch (error) {
      if (isConditionFailure(error)) step = 'conflict';
      else if (isMissing(error)) step = { outcome: 'skipped', id, conflictsRetried: conflicts, code: 'GONE' };
      else {
        const failure = describeFailure(error);
        step = { outcome: failure.code === 'PHI_DETECTED' ? 'refused' : 'failed', id, conflictsRetried: conflicts, ...failure };
      }
    }
    if (step !== 'conflict') return step;
    if (conflicts >= run.maxConflictRetries) return { outcome: 'failed', id, conflictsRetried: conflicts, code: 'CONFLICT', retryable: true };
  }
}
