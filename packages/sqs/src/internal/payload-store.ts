// Offloaded payloads in S3, always through @phiseal/s3: S3 Encryption Client V3 objects
// whose plaintext is the message body itself, so that an official extended client wired
// to an official S3 Encryption Client reads them as ordinary offloaded bodies.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/core';
import type { PayloadLocation } from '../types.js';
import { objectStateOf } from '@phiseal/s3';
import { awsRequestFailed, malformed, payloadMissing } from './errors.js';
import type { OpenContext, QueueContext } from './queue-context.js';
import { containsContext, storedContext } from './stored-context.js';

/** An opened payload: its bytes, whether they were encrypted, and (when encrypted) its authenticated context. */
export type OpenedPayload = { bytes: Uint8Array; encrypted: boolean; context: Readonly<Record<string, string>> };

function awsErrorName(error: unknown): string {
  if (PhisealError.is(error)) return typeof error.details['awsError'] === 'string' ? error.details['awsError'] : '';
  return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
}

function isNotFound(error: unknown): boolean {
  const name = awsErrorName(error);
  return name === 'NoSuchKey' || name === 'NotFound';
}

/**
 * Encrypts and stores a payload at `location` (the caller picks `<prefix><uuid>`).
 * @throws PhisealError from `@phiseal/s3` (`AWS_REQUEST_FAILED`, `KMS_UNAVAILABLE`, ...).
 */
export async function putPayload(
  ctx: QueueContext,
  location: PayloadLocation,
  body: Uint8Array,
  context: Readonly<Record<string, string>>,
): Promise<void> {
  try {
    await ctx.payloads.putObject({
      Bucket: location.bucket,
      Key: location.key,
      Body: body,
      context: { ...context },
    });
  } catch (error) {
    if (!PhisealError.is(error) || error.details['outcome'] !== 'unknown') throw error;
    // The answer was lost: the payload may exist, but no message will point to it. Remove it,
    // or say where it is; either way the send did not happen, so the outcome is known.
    const { outcome: _outcome, ...details } = error.details;
    const orphaned = await deletePayloadObject(ctx, location).then(
      () => ({}),
      () => ({ orphanedPayload: true, payloadBucket: location.bucket, payloadKey: location.key }),
    );
    throw new PhisealError(error.code, error.message, { cause: error.cause ?? error, retryable: error.retryable, details: { ...details, ...orphaned } });
  }
}

/**
 * Deletes a payload (and an instruction file, if any). Deleting a missing object succeeds.
 * @throws PhisealError `AWS_REQUEST_FAILED`.
 */
export async function deletePayloadObject(ctx: OpenContext, location: PayloadLocation): Promise<void> {
  await ctx.payloads.deleteObject({ Bucket: location.bucket, Key: location.key });
}

// After a decryption failure: an object with no S3EC metadata and no instruction file was
// never encrypted (a plain extended client wrote it); anything else really failed.
// The same rule as @phiseal/s3 objectState: plaintext only with no S3EC mapkey and no instruction file.
async function isPlainObject(ctx: OpenContext, location: PayloadLocation): Promise<boolean> {
  try {
    return (await objectStateOf(ctx.s3, { Bucket: location.bucket, Key: location.key })) === 'plaintext';
  } catch (error) {
    if (isNotFound(error)) throw payloadMissing({ bucket: location.bucket, key: location.key }, error);
    throw error;
  }
}

async function getPlain(ctx: OpenContext, location: PayloadLocation): Promise<Uint8Array> {
  try {
    const out = await ctx.s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    return out.Body ? await out.Body.transformToByteArray() : new Uint8Array(0);
  } catch (error) {
    if (isNotFound(error)) throw payloadMissing({ bucket: location.bucket, key: location.key }, error);
    throw awsRequestFailed('S3', 'GetObject', error);
  }
}

/**
 * Fetches and decrypts a payload. A plain (never encrypted) object is refused unless
 * `acceptUnencrypted`. `bound` holds the reserved pairs phiseal expects in the stored
 * context besides the caller's (tried first, so the common case is one request); the
 * context the payload was opened with is returned for the caller to check.
 * @throws PhisealError `PAYLOAD_MISSING`, `UNSUPPORTED_OPERATION` (unencrypted), `DECRYPTION_FAILED`,
 * `MALFORMED_CIPHERTEXT`, `CONTEXT_MISMATCH`, `AWS_REQUEST_FAILED`.
 */
export async function getPayload(
  ctx: OpenContext,
  location: PayloadLocation,
  context: Readonly<Record<string, string>> | undefined,
  bound: Readonly<Record<string, string>>,
  admitPlain: () => void,
): Promise<OpenedPayload> {
  const read = async (exact: Readonly<Record<string, string>>): Promise<OpenedPayload> => {
    const out = await ctx.payloads.getObject({ Bucket: location.bucket, Key: location.key, context: { ...exact } });
    return { bytes: await out.Body.transformToByteArray(), encrypted: true, context: exact };
  };
  try {
    // First with the caller's context (or none): one request in the common case.
    try {
      return await read({ ...(context ?? {}), ...bound });
    } catch (error) {
      if (!PhisealError.is(error) || error.code !== 'CONTEXT_MISMATCH') throw error;
      const stored = await storedContext(ctx, location);
      if (context !== undefined && !containsContext(stored, context)) throw error;
      return await read(stored);
    }
  } catch (error) {
    if (isNotFound(error)) throw payloadMissing({ bucket: location.bucket, key: location.key }, error);
    if (!PhisealError.is(error) || !['MALFORMED_CIPHERTEXT', 'DECRYPTION_FAILED', 'PLAINTEXT_REFUSED'].includes(error.code)) throw error;
    // Plaintext only with no S3EC mapkey and no instruction file (@phiseal/s3 objectState);
    // anything else that failed is tampering, refused in every stage.
    if (!(await isPlainObject(ctx, location))) throw error.code === 'PLAINTEXT_REFUSED' ? malformed({ part: 'payload' }) : error;
    admitPlain();
    return { bytes: await getPlain(ctx, location), encrypted: false, context: {} };
  }
}
