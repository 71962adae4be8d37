import { UploadPartCommand, type CompletedPart } from '@aws-sdk/client-s3';
import { isAwsServiceError } from '@phiseal/core';
import { PhisealError } from '@phiseal/guard';
import { auditS3 } from './audit.js';
import { MAX_PARTS, MIN_PART_SIZE } from './constants.js';
import { awsRequestFailed, outcomeUnknown } from './errors.js';
import { putInstructionFile, removeInstructionFile } from './instruction-file-store.js';
import { COMPLETE_REFUSED, refuseFields } from './multipart-refusals.js';
import { find, type Bypass, type Next, type OpenUpload, type OpenUploads } from './multipart-state.js';

/**
 * CompleteMultipartUpload through the middleware: checks the part list, puts the tag after
 * the last part, writes the instruction file (the old object stays readable until now) and
 * completes. The instruction file is removed again on a failure that surely did not store
 * the object.
 */
export async function completeMultipart(open: OpenUploads, bypass: Bypass, input: Record<string, unknown>, next: Next): Promise<{ output: unknown }> {
  const [id, state] = find(open, 'CompleteMultipartUpload', input);
  refuseFields('CompleteMultipartUpload', input, COMPLETE_REFUSED);
  const { ctx, bucket, key } = state;
  let instructionWritten = false;
  try {
    const parts = await finalParts(state, input, bypass);
    // Complete once: a second Complete of the same id cannot re-run the cipher.
    open.delete(id);
    if (state.instructionFile) {
      await bypass(() => putInstructionFile(ctx, bucket, key, state.instructionFile ?? {}));
      instructionWritten = true;
    }
    const result = await completeOnce(next, { ...input, MultipartUpload: { Parts: parts } });
    auditS3(ctx.envelope, 's3.upload', state.context, state.keyId);
    return result;
  } catch (error) {
    const unknown = PhisealError.is(error) && error.details['outcome'] === 'unknown';
    if (instructionWritten && !unknown) await bypass(() => removeInstructionFile(ctx, bucket, key));
    auditS3(ctx.envelope, 's3.upload', state.context, state.keyId, error);
    throw error;
  }
}

/**
 * Sends CompleteMultipartUpload. A service answer (InvalidPart, AccessDenied…) reaches the caller
 * as the SDK's object; no answer may mean the object was stored, so it is reported as
 * `outcome: 'unknown'` and the instruction file is kept.
 */
async function completeOnce(next: Next, input: Record<string, unknown>): Promise<{ output: unknown }> {
  return next({ input }).catch((error: unknown) => {
    throw isAwsServiceError(error) || PhisealError.is(error) ? error : outcomeUnknown('CompleteMultipartUpload', error);
  });
}

function partListError(): PhisealError {
  return new PhisealError(
    'UNSUPPORTED_OPERATION',
    'CompleteMultipartUpload must list every part sent through this client, 1 to N, once each: the object is one encrypted stream and a missing or extra part would make it unreadable. Abort the upload and start again.',
    { details: { command: 'CompleteMultipartUpload', reason: 'part-list' } },
  );
}

/**
 * Checks the caller's part list against what was encrypted (exactly 1..N, N the newest part)
 * and puts the tag after part N; returns the part list to complete with.
 */
async function finalParts(state: OpenUpload, input: Record<string, unknown>, bypass: Bypass): Promise<CompletedPart[]> {
  const given = (input['MultipartUpload'] as { Parts?: unknown } | undefined)?.Parts;
  const newest = state.newest;
  if (!Array.isArray(given) || newest === undefined || given.length !== newest.partNumber || state.turn.failed()) throw partListError();
  const parts = (given as unknown[]).map((part) => ({ ...(part as CompletedPart) }));
  parts.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
  if (parts.some((part, index) => part.PartNumber !== index + 1)) throw partListError();
  // Every part must have settled before the last one is replaced or followed.
  await Promise.all([...state.sends]);
  state.cipher.final();
  const tag = state.cipher.getAuthTag();
  const extra = newest.data.length >= MIN_PART_SIZE;
  const partNumber = extra ? newest.partNumber + 1 : newest.partNumber;
  if (partNumber > MAX_PARTS) throw new PhisealError('LIMIT_EXCEEDED', `The object needs more than ${MAX_PARTS} parts with its tag; use larger parts.`);
  const body = extra ? tag : Buffer.concat([newest.data, tag]);
  const command = new UploadPartCommand({
    Bucket: state.bucket, Key: state.key, UploadId: input['UploadId'] as string, PartNumber: partNumber, Body: body, ContentLength: body.length,
    ...(typeof state.checksumAlgorithm === 'string' ? { ChecksumAlgorithm: state.checksumAlgorithm as 'CRC32' } : {}),
    ...pick(input, ['ExpectedBucketOwner', 'RequestPayer']),
  });
  const out = await bypass(() => state.ctx.client.send(command)).catch((error: unknown) => Promise.reject(awsRequestFailed('UploadPart', error)));
  const entry: CompletedPart = { PartNumber: partNumber, ETag: out.ETag };
  for (const field of ['ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumCRC64NVME', 'ChecksumSHA1', 'ChecksumSHA256'] as const) {
    if (out[field] !== undefined) entry[field] = out[field];
  }
  if (extra) parts.push(entry);
  else parts[parts.length - 1] = entry;
  return parts;
}

function pick(input: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (input[field] !== undefined) out[field] = input[field];
  return out;
}
