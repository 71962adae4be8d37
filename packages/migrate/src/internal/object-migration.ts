import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { encryptedS3, type BucketEncryption, type EncryptedS3 } from '@phiseal/s3';
import type { RecordOutcome } from '../types.js';
import { describeFailure, isConditionFailure, isMissing } from './failure.js';
import { headObject, objectTagging, type ObjectHead } from './object-read.js';
import { objectState } from './object-state.js';

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

async function isInstructionFile(run: ObjectRun, key: string): Promise<boolean> {
  if (!key.endsWith('.instruction')) return false;
  try {
    await run.client.send(new HeadObjectCommand({ Bucket: run.bucket, Key: key.slice(0, -'.instruction'.length) }));
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

async function attempt(run: ObjectRun, key: string, id: string, conflicts: number): Promise<Step> {
  const done = (outcome: RecordOutcome['outcome'], code?: string, retryable?: boolean): RecordOutcome => ({
    outcome, id, conflictsRetried: conflicts, ...(code === undefined ? {} : { code }), ...(retryable === undefined ? {} : { retryable }),
  });
  let head: ObjectHead;
  try {
    head = await headObject(run.client, run.bucket, key, undefined);
  } catch (error) {
    if (isMissing(error)) return done('skipped', 'GONE');
    const failure = describeFailure(error);
    return done('failed', failure.code, failure.retryable);
  }
  const state = await objectState(run.client, run.bucket, key, head.metadata);
  if (state === 'instruction-file') return done('skipped', 'INSTRUCTION_FILE');
  if (state === 'encrypted') return done('skipped', 'ENCRYPTED');
  if (state === 'tampered') return done('failed', 'DECRYPTION_FAILED', false);
  if (await isInstructionFile(run, key)) return done('skipped', 'INSTRUCTION_FILE');
  if (head.unsupported !== undefined) return done('failed', 'UNSUPPORTED_OPERATION', false);
  if (run.dryRun) return done('migrated');
  // The body of exactly the version whose metadata was read; its tags only when it has some.
  const got = await run.client.send(new GetObjectCommand({ Bucket: run.bucket, Key: key, VersionId: head.versionId, IfMatch: head.etag }));
  const tagging = (got.TagCount ?? 0) > 0 ? await objectTagging(run.client, run.bucket, key, head.versionId) : undefined;
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
    const body = (await got.Body?.transformToByteArray()) ?? new Uint8Array(0);
    await run.s3.putObject({ ...input, Body: body });
  } else {
    const stream = got.Body instanceof Readable ? got.Body : Readable.fromWeb((got.Body as { transformToWebStream(): ReadableStream<Uint8Array> }).transformToWebStream() as never);
    await run.s3.upload({ ...input, Body: stream, ...(run.signal === undefined ? {} : { abortSignal: run.signal }) });
  }
  return done('migrated');
}

/**
 * Migrates one object: a plaintext object is read and written back encrypted under the
 * bucket's configuration, with the same key, user metadata, tags and headers, only if its
 * ETag is still the one read (If-Match); on a conflict it is looked at again. Always the
 * current version: that is what readers get (older versions are for the versions pass).
 */
export async function migrateStoredObject(run: ObjectRun, key: string, id: string): Promise<RecordOutcome> {
  // A key the guard refuses stays in the clear whatever is encrypted: refused before any read.
  try {
    run.config.envelope.guard.check(key, 's3.key');
  } catch (error) {
    return { outcome: 'refused', id, conflictsRetried: 0, ...describeFailure(error) };
  }
  for (let conflicts = 0; ; conflicts++) {
    let step: Step;
    try {
      step = await attempt(run, key, id, conflicts);
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
