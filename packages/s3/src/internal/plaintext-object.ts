import { Readable } from 'node:stream';
import { PutObjectCommand, type GetObjectCommandOutput, type PutObjectCommandOutput } from '@aws-sdk/client-s3';
import { admitPlaintext, PhisealError, trackAttempts } from '@phiseal/core';
import type { GetObjectOutput } from '../types.js';
import { bodyBytes } from './body-input.js';
import { awsRequestFailed, decryptionFailed, outcomeUnknown } from './errors.js';
import type { HeldBody } from './held-body.js';
import type { PlainRange } from './ranged-read.js';
import type { S3Context } from './s3-context.js';
import { withSdkStreamMixin } from './sdk-stream-body.js';
import type { CheckedWrite } from './write-request.js';

// The switch-over stages (plaintextPolicy) on S3 objects. A read reaches here only for an
// object with no S3EC mapkey at all and no instruction file; a write only under
// 'write-plaintext', after the same guard as an encrypted write (checkWrite).

/** The context of a plaintext-read audit event: the bucket, by digest only. */
const readContext = (bucket: string) => ({ 'phiseal:s3-bucket': bucket });

async function* skipBytes(body: HeldBody, skip: number): AsyncGenerator<Uint8Array> {
  let left = skip;
  for await (const chunk of body) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}

/**
 * The GetObject output of a plaintext object, when the stage reads plaintext (audited every
 * time). A ranged read fetched from the 16-byte block below the requested start (the
 * ciphertext rule); the extra bytes are dropped here.
 * @throws PhisealError PLAINTEXT_REFUSED under 'encrypted-only'; DECRYPTION_FAILED for a range answer that does not parse.
 */
export function plaintextObject(ctx: S3Context, bucket: string, response: GetObjectCommandOutput, body: HeldBody, range: PlainRange | undefined): GetObjectOutput {
  admitPlaintext(ctx.envelope, { stage: ctx.plaintextPolicy, kind: 's3.object', operation: 's3.plaintextRead', context: readContext(bucket) });
  const { Body: _raw, ...rest } = response;
  if (range === undefined) {
    return { ...rest, Body: withSdkStreamMixin(Readable.from(body, { objectMode: false })), format: 'plaintext' };
  }
  const got = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.ContentRange ?? '');
  const from = Number(got?.[1]);
  const last = Number(got?.[2]);
  if (!got || from > range.start || last < range.start) throw decryptionFailed();
  const skip = range.start - from;
  return {
    ...rest,
    Body: withSdkStreamMixin(Readable.from(skipBytes(body, skip), { objectMode: false })),
    ContentLength: last - range.start + 1,
    ContentRange: `bytes ${range.start}-${last}/${got[3]}`,
    format: 'plaintext',
  };
}

/**
 * The refusal of a streamed or multipart write under 'write-plaintext': phiseal's multipart
 * paths encrypt, and ciphertext is what a first-stage writer must not produce.
 * @throws never (returns the error).
 * @example
 * ```ts
 * throw plaintextStreamRefused();
 * ```
 */
export function plaintextStreamRefused(): PhisealError {
  return new PhisealError(
    'UNSUPPORTED_OPERATION',
    "plaintextPolicy 'write-plaintext' writes in-memory bodies only (putObject, PutObjectCommand); send streams and multipart uploads through a client without phiseal, or move the writer to 'write-encrypted'.",
  );
}

/**
 * PutObject of an in-memory body as plaintext ('write-plaintext'): the guarded bucket, key,
 * metadata, tags and headers of `checked`, no S3EC metadata, no instruction file.
 * @throws PhisealError AWS_REQUEST_FAILED (no answer; `details.outcome: 'unknown'` when it may be stored); S3 errors as the SDK's.
 */
export async function putPlaintext(ctx: S3Context, checked: CheckedWrite, body: Uint8Array | string | undefined): Promise<PutObjectCommandOutput> {
  const bytes = body === undefined ? new Uint8Array(0) : bodyBytes(body);
  const command = new PutObjectCommand({
    Bucket: checked.bucket,
    Key: checked.key,
    Body: bytes,
    ContentLength: bytes.length,
    Metadata: checked.userMetadata,
    ...checked.passThrough,
  });
  const attempts = trackAttempts(command);
  try {
    return await ctx.client.send(command);
  } catch (error) {
    if (attempts.ambiguous()) throw outcomeUnknown('PutObject', error);
    throw awsRequestFailed('PutObject', error);
  }
}
