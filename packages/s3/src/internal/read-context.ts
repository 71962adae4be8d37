import { HeadObjectCommand, type HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import type { ReadContextInput } from '../types.js';
import { CEK_ALG_CONTEXT_KEY, INSTRUCTION_FILE_SUFFIX, KMS_V1_CONTEXT_KEY } from './constants.js';
import { awsRequestFailed, invalidArgument } from './errors.js';
import { checkLocation } from './guards.js';
import { getInstructionFile } from './instruction-file-store.js';
import { mergeInstructionFile } from './instruction-file.js';
import { decodeContentMetadata, needsInstructionFile, s3ecEntries } from './metadata-decode.js';
import type { S3Context } from './s3-context.js';

/**
 * The encryption context stored with an object (its metadata or instruction file), without
 * the format's reserved entries. The same strict path as a read: the instruction file's
 * 64 KiB limit (checked from Content-Length before any byte is read), strict JSON, no
 * stored text in errors. Unauthenticated until a getObject with it succeeds.
 * @throws PhisealError `MALFORMED_CIPHERTEXT`, `UNSUPPORTED_OPERATION`, `INVALID_ARGUMENT`, `PHI_DETECTED`, `AWS_REQUEST_FAILED`.
 */
export async function readContext(ctx: S3Context, input: ReadContextInput): Promise<Record<string, string>> {
  if (typeof input !== 'object' || input === null) throw invalidArgument('The request must be an object.');
  const { bucket, key } = checkLocation(ctx.envelope.guard, input.Bucket, input.Key);
  const suffix = input.instructionFileSuffix ?? INSTRUCTION_FILE_SUFFIX;
  if (typeof suffix !== 'string' || suffix.length === 0) throw invalidArgument('instructionFileSuffix must be a non-empty string.');
  ctx.envelope.guard.check(suffix, 's3.key');
  let head: HeadObjectCommandOutput;
  try {
    head = await ctx.client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, ...(input.VersionId === undefined ? {} : { VersionId: input.VersionId }) }),
    );
  } catch (error) {
    throw awsRequestFailed('HeadObject', error);
  }
  let entries = s3ecEntries(head.Metadata);
  if (needsInstructionFile(entries)) entries = mergeInstructionFile(await getInstructionFile(ctx, bucket, key + suffix), entries);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(decodeContentMetadata(entries).context)) {
    if (name !== CEK_ALG_CONTEXT_KEY && name !== KMS_V1_CONTEXT_KEY) out[name] = value;
  }
  return out;
}
