import type { S3Client } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/core';
import { instructionFileNeeded, objectState, readStoredDataKey, replaceStoredDataKey } from '@phiseal/s3';
import type { RecordOutcome } from '../types.js';
import { describeFailure, isConditionFailure, isMissing } from './failure.js';
import type { KeyRotation } from './key-rotation.js';
import { storedHead, storedInstructionFile, type StoredHead, type StoredInstructionFile } from './rewrap-head.js';
import { multipartCopyWithMetadata, type CopyParts } from './rewrap-multipart-copy.js';
import { copyWithMetadata, MAX_COPY_BYTES, rewriteInstructionFile } from './rewrap-write.js';

/** Everything one object's key rotation needs (built once per run). */
export type RewrapRun = {
  readonly client: S3Client;
  readonly bucket: string;
  readonly rotation: KeyRotation;
  readonly dryRun: boolean;
  readonly maxConflictRetries: number;
  /** Objects larger than this (default 5 GiB, CopyObject's limit) are copied in parts. */
  readonly maxCopyBytes?: number;
  readonly copyParts?: CopyParts;
  /**
   * Called after a rewrite that left the version it replaced behind (a versioned bucket): that
   * version (of the object, or of its instruction file) still holds the old wrapping.
   */
  readonly onReplaced?: (key: string, versionId: string) => Promise<void>;
  /** Test seam: runs between the read and the conditional write (a concurrent writer's moment). */
  readonly beforeWrite?: () => Promise<void>;
};

type Step = RecordOutcome | 'conflict';

const INSTRUCTION_MARKER = 'x-amz-crypto-instr-file';
const hasMarker = (metadata: Record<string, string>): boolean => Object.keys(metadata).some((k) => k.toLowerCase().replace(/^x-amz-meta-/, '') === INSTRUCTION_MARKER);

async function instructionFileOf(run: RewrapRun, key: string, head: StoredHead): Promise<StoredInstructionFile | null> {
  return instructionFileNeeded(head.metadata) ? storedInstructionFile(run.client, run.bucket, key) : null;
}

/**
 * A V3 commitment that fails in instruction-file mode may only mean the object was replaced
 * between its head and its instruction file were read (they are two objects): if its ETag
 * moved, that is a conflict, not tampering.
 */
async function stillSame(run: RewrapRun, key: string, head: StoredHead): Promise<boolean> {
  try {
    return (await storedHead(run.client, run.bucket, key)).etag === head.etag;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

async function attempt(run: RewrapRun, key: string, done: (outcome: RecordOutcome['outcome'], code?: string, retryable?: boolean) => RecordOutcome): Promise<Step> {
  const head = await storedHead(run.client, run.bucket, key);
  // Instruction files are rotated with the object they belong to.
  if (hasMarker(head.metadata)) return done('skipped', 'INSTRUCTION_FILE');
  const file = await instructionFileOf(run, key, head);
  const state = objectState(head.metadata, file?.body ?? null);
  if (state === 'plaintext') return done('skipped', key.endsWith('.instruction') ? 'INSTRUCTION_FILE' : 'PLAINTEXT');
  if (state === 'tampered') return done('failed', 'DECRYPTION_FAILED', false);
  const stored = readStoredDataKey(head.metadata, file?.body ?? null);
  let rotation;
  try {
    rotation = await run.rotation.rotate(stored, run.dryRun);
  } catch (error) {
    if (PhisealError.is(error) && error.code === 'DECRYPTION_FAILED' && file !== null && !(await stillSame(run, key, head))) return 'conflict';
    throw error;
  }
  if (rotation.kind === 'current') return done('skipped', 'REWRAPPED');
  if (run.dryRun || rotation.wrapped === undefined) return done('migrated');
  const next = replaceStoredDataKey(stored, { metadata: head.metadata, instructionFile: file?.body ?? null }, rotation.wrapped);
  await run.beforeWrite?.();
  if ('metadata' in next) {
    if (head.size > (run.maxCopyBytes ?? MAX_COPY_BYTES)) await multipartCopyWithMetadata(run.client, run.bucket, key, head, next.metadata, run.copyParts);
    else await copyWithMetadata(run.client, run.bucket, key, head, next.metadata);
  } else if (file !== null) await rewriteInstructionFile(run.client, run.bucket, file, next.instructionFile);
  const [replacedKey, replaced] = 'metadata' in next || file === null ? [key, head.versionId] : [file.key, file.head.versionId];
  // 'null' is the version of an unversioned write: a new write replaces it, nothing stays behind.
  if (replaced !== undefined && replaced !== 'null') await run.onReplaced?.(replacedKey, replaced);
  return done('migrated');
}

/**
 * Rotates one object's data key: unwrap with `from`, wrap with `to`, and replace only the
 * stored wrapping (the object's metadata by a conditional copy onto itself, or its instruction
 * file by a conditional put); the body is never read or rewritten. On a conflict the object is
 * looked at again. Never throws for the record.
 */
export async function rewrapStoredObject(run: RewrapRun, key: string, id: string): Promise<RecordOutcome> {
  for (let conflicts = 0; ; conflicts++) {
    const done = (outcome: RecordOutcome['outcome'], code?: string, retryable?: boolean): RecordOutcome => ({
      outcome, id, conflictsRetried: conflicts, ...(code === undefined ? {} : { code }), ...(retryable === undefined ? {} : { retryable }),
    });
    let step: Step;
    try {
      step = await attempt(run, key, done);
    } catch (error) {
      if (isConditionFailure(error)) step = 'conflict';
      else if (isMissing(error)) step = done('skipped', 'GONE');
      else {
        const failure = describeFailure(error);
        // One code for every way the stored key material fails to decode or verify.
        const code = failure.code === 'MALFORMED_CIPHERTEXT' ? 'DECRYPTION_FAILED' : failure.code;
        step = done('failed', code, failure.retryable);
      }
    }
    if (step !== 'conflict') return step;
    if (conflicts >= run.maxConflictRetries) return done('failed', 'CONFLICT', true);
  }
}
