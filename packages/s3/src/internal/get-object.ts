import { GetObjectCommand, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/guard';
import type { Readable } from 'node:stream';
import type { GetObjectInput, GetObjectOutput } from '../types.js';
import { auditS3 } from './audit.js';
import { GCM_TAG_BYTES, INSTRUCTION_FILE_SUFFIX, S3EC_METADATA_KEYS } from './constants.js';
import { decryptStream, limitExceeded, progressReporter } from './decrypt-stream.js';
import { validateCallerContext } from './encryption-context.js';
import { awsRequestFailed, decryptionFailed, invalidArgument, malformed } from './errors.js';
import { checkLocation } from './guards.js';
import { holdBody, type HeldBody } from './held-body.js';
import { findInstructionFile } from './instruction-file-store.js';
import { mergeInstructionFile, parseInstructionFile } from './instruction-file.js';
import { readMaterials } from './materials.js';
import { decodeContentMetadata, needsInstructionFile, s3ecEntries } from './metadata-decode.js';
import { cipherRange, parseRange, plaintextLengthFromContentRange, rangedDecryptStream, type PlainRange } from './ranged-read.js';
import type { S3Context } from './s3-context.js';
import { plaintextObject } from './plaintext-object.js';
import { withSdkStreamMixin } from './sdk-stream-body.js';

function refuseRange(): PhisealError {
  return new PhisealError(
    'UNSUPPORTED_OPERATION',
    'Ranged reads of encrypted objects cannot be authenticated (the GCM tag covers the whole object). Enable unauthenticatedRangedReads to accept unauthenticated plaintext, or read the whole object.',
  );
}

function userMetadata(metadata: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) if (!S3EC_METADATA_KEYS.has(key.toLowerCase())) out[key] = value;
  return out;
}

type ContentKey = Awaited<ReturnType<typeof readMaterials>>;
type Progress = ReturnType<typeof progressReporter>;

/** The request's checks, before anything is sent: location and suffix guarded, context, progress callback and range valid. */
function checkGetInput(ctx: S3Context, input: GetObjectInput): { bucket: string; key: string; requested: Record<string, string>; onProgress: Progress; range: PlainRange | undefined; suffix: string } {
  if (typeof input !== 'object' || input === null) throw invalidArgument('The request must be an object.');
  const { bucket, key } = checkLocation(ctx.envelope.guard, input.Bucket, input.Key);
  const requested = validateCallerContext(input.context);
  const onProgress = progressReporter(input.onProgress);
  let range: PlainRange | undefined;
  if (input.Range !== undefined) {
    if (!ctx.unauthenticatedRangedReads) throw refuseRange();
    range = parseRange(input.Range);
  }
  const suffix = input.instructionFileSuffix ?? INSTRUCTION_FILE_SUFFIX;
  if (typeof suffix !== 'string' || suffix.length === 0) throw invalidArgument('instructionFileSuffix must be a non-empty string.');
  // The suffix becomes part of an object key sent to S3 (and its logs) in the clear.
  ctx.envelope.guard.check(suffix, 's3.key');
  return { bucket, key, requested, onProgress, range, suffix };
}

/**
 * The plaintext stream over `body` and its length: a ranged read (unauthenticated, opted in),
 * or the whole object, buffered up to the limit or (opted in) released early. The content key is
 * zeroized when no stream takes it.
 */
function plaintextStream(
  ctx: S3Context,
  input: GetObjectInput,
  content: ContentKey,
  body: HeldBody,
  response: GetObjectCommandOutput,
  range: PlainRange | undefined,
  onProgress: Progress,
): { stream: Readable; plaintextLength: number } {
  if (range !== undefined) {
    const length = plaintextLengthFromContentRange(response.ContentRange);
    if (length === undefined || length < 0) {
      content.key.fill(0);
      throw decryptionFailed();
    }
    return { stream: rangedDecryptStream(content, body, range, length, onProgress), plaintextLength: length };
  }
  const stored = response.ContentLength;
  if (stored === undefined || stored < GCM_TAG_BYTES) {
    content.key.fill(0);
    throw decryptionFailed();
  }
  const plaintextLength = stored - GCM_TAG_BYTES;
  const delayed = input.delayedAuthentication ?? ctx.delayedAuthentication;
  if (!delayed && plaintextLength > ctx.bufferLimitBytes) {
    content.key.fill(0);
    throw limitExceeded(ctx.bufferLimitBytes);
  }
  const stream = decryptStream(content, body, {
    mode: delayed ? 'delayed' : 'buffered',
    bufferLimit: ctx.bufferLimitBytes,
    storedBytes: stored,
    totalBytes: plaintextLength,
    ...(onProgress === undefined ? {} : { onProgress }),
  });
  return { stream, plaintextLength };
}

/**
 * Audits the read once the body has been read and (unless ranged) its tag verified, not when
 * the stream is handed out: a tampered object must never be logged as read.
 */
function auditWhenRead(ctx: S3Context, stream: Readable, requested: Record<string, string>): void {
  let audited = false;
  const finish = (error?: unknown): void => {
    if (audited) return;
    audited = true;
    auditS3(ctx.envelope, 's3.getObject', requested, '', error);
  };
  stream.once('end', () => finish());
  stream.once('error', (error: unknown) => finish(error ?? new Error('stream failed')));
}

/** Lengths of what the caller reads: the plaintext's, or the range's within it. */
function plaintextLengths(output: GetObjectOutput, range: PlainRange | undefined, plaintextLength: number): void {
  if (range === undefined) output.ContentLength = plaintextLength;
  else {
    const last = Math.min(range.end ?? plaintextLength - 1, plaintextLength - 1);
    output.ContentLength = Math.max(0, last - range.start + 1);
    output.ContentRange = `bytes ${range.start}-${last}/${plaintextLength}`;
  }
}

/**
 * GetObject and decrypt: content metadata from the object or its instruction file, the
 * commitment policy, the exact-context check, the key unwrap and (V3) the commitment
 * check all happen before any plaintext exists. Whole-object reads are authenticated:
 * buffered up to `bufferLimitBytes` (released after the tag verifies), or — opted in —
 * released early with the stream erroring at the end on a bad tag.
 */
export async function getObject(ctx: S3Context, input: GetObjectInput): Promise<GetObjectOutput> {
  const { bucket, key, requested, onProgress, range, suffix } = checkGetInput(ctx, input);
  let response: GetObjectCommandOutput;
  try {
    response = await ctx.client.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(input.VersionId === undefined ? {} : { VersionId: input.VersionId }),
        ...(range === undefined ? {} : { Range: cipherRange(range) }),
      }),
    );
  } catch (error) {
    const wrapped = awsRequestFailed('GetObject', error);
    auditS3(ctx.envelope, 's3.getObject', requested, '', wrapped);
    throw wrapped;
  }
  // Held at once: the awaits below (instruction file, KMS) must not leave it without a listener.
  const body: HeldBody | undefined = response.Body ? holdBody(response.Body as Readable & AsyncIterable<Uint8Array>) : undefined;
  try {
    if (!body) throw decryptionFailed();
    let entries = s3ecEntries(response.Metadata);
    if (needsInstructionFile(entries)) {
      const file = await findInstructionFile(ctx, bucket, key + suffix);
      if (file === null) {
        // Plaintext only with no S3EC mapkey at all; some of them without the rest is tampering.
        if (Object.keys(entries).length > 0) throw malformed();
        return plaintextObject(ctx, bucket, response, body, range);
      }
      entries = mergeInstructionFile(parseInstructionFile(file), entries);
    }
    const meta = decodeContentMetadata(entries);
    const content = await readMaterials(ctx.envelope, ctx.commitmentPolicy, meta, requested);
    const { Body: _ignored, ...rest } = response;
    const { stream, plaintextLength } = plaintextStream(ctx, input, content, body, response, range, onProgress);
    auditWhenRead(ctx, stream, requested);
    const output: GetObjectOutput = {
      ...rest,
      Metadata: userMetadata(response.Metadata),
      Body: withSdkStreamMixin(stream),
      format: meta.format,
    };
    plaintextLengths(output, range, plaintextLength);
    return output;
  } catch (error) {
    body?.discard();
    auditS3(ctx.envelope, 's3.getObject', requested, '', error);
    throw error;
  }
}
