import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/guard';
import { INSTRUCTION_FILE_MARKER, INSTRUCTION_FILE_SUFFIX } from './constants.js';
import { awsRequestFailed, malformed } from './errors.js';
import { serializeInstructionFile } from './metadata-encode.js';
import { parseInstructionFile } from './instruction-file.js';
import type { S3Context } from './s3-context.js';

/**
 * Writes `<key>.instruction`: the JSON content metadata as the whole body, with the
 * (empty) `x-amz-crypto-instr-file` marker the official clients set on instruction objects.
 * Always the default suffix: custom suffixes are only for re-encryption (spec
 * metadata-strategy.md#instruction-file).
 */
export async function putInstructionFile(
  ctx: S3Context,
  bucket: string,
  key: string,
  entries: Record<string, string>,
): Promise<void> {
  try {
    await ctx.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key + INSTRUCTION_FILE_SUFFIX,
        Body: serializeInstructionFile(entries),
        ContentType: 'application/json',
        Metadata: { [INSTRUCTION_FILE_MARKER]: '' },
      }),
    );
  } catch (error) {
    // The answer may have been lost after S3 stored it: best effort, leave no orphan.
    await removeInstructionFile(ctx, bucket, key);
    throw awsRequestFailed('PutObject (instruction file)', error);
  }
}

// An instruction file is a few hundred bytes; anything large is not one.
const MAX_INSTRUCTION_FILE_BYTES = 64 * 1024;

/** Best-effort removal after a failed write, so that no orphan is left behind. */
export async function removeInstructionFile(ctx: S3Context, bucket: string, key: string): Promise<void> {
  await ctx.client
    .send(new DeleteObjectCommand({ Bucket: bucket, Key: key + INSTRUCTION_FILE_SUFFIX }))
    .catch(() => undefined);
}

/**
 * Reads and parses an instruction file.
 * @throws PhisealError `MALFORMED_CIPHERTEXT` when it is missing or invalid; `AWS_REQUEST_FAILED` otherwise.
 */
export async function getInstructionFile(
  ctx: Pick<S3Context, 'client'>,
  bucket: string,
  instructionKey: string,
): Promise<Record<string, string>> {
  const body = await findInstructionFile(ctx, bucket, instructionKey);
  // No instruction file and no content metadata: not an S3EC object (or a deleted instruction file).
  if (body === null) throw malformed();
  return parseInstructionFile(body);
}

/**
 * The raw body of an instruction file, or `null` when it does not exist (how a plaintext
 * object is told from an instruction-file object with no S3EC metadata of its own).
 * @throws PhisealError `MALFORMED_CIPHERTEXT` (over 64 KiB); `AWS_REQUEST_FAILED` and S3 errors otherwise.
 */
export async function findInstructionFile(ctx: Pick<S3Context, 'client'>, bucket: string, instructionKey: string): Promise<Uint8Array | null> {
  let body: Uint8Array;
  try {
    const out = await ctx.client.send(new GetObjectCommand({ Bucket: bucket, Key: instructionKey }));
    if (!out.Body) throw malformed();
    // Refused before reading: whoever can write the bucket must not make a read buffer gigabytes.
    if (out.ContentLength === undefined || out.ContentLength > MAX_INSTRUCTION_FILE_BYTES) {
      (out.Body as { destroy?: () => void }).destroy?.();
      throw malformed();
    }
    body = await out.Body.transformToByteArray();
  } catch (error) {
    if (PhisealError.is(error)) throw error;
    const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
    if (name === 'NoSuchKey' || name === 'NotFound') return null;
    throw awsRequestFailed('GetObject (instruction file)', error);
  }
  if (body.length > MAX_INSTRUCTION_FILE_BYTES) throw malformed();
  return body;
}
