import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/guard';
import { trackAttempts } from '@phiseal/core';
import type { UploadInput, UploadOutput } from '../types.js';
import { auditS3 } from './audit.js';
import { bodyBytes, bodyChunks, destroyBody, isBytesBody } from './body-input.js';
import { MAX_GCM_PLAINTEXT_BYTES, MAX_PARTS } from './constants.js';
import { createContentCipher } from './content-cipher.js';
import { progressReporter } from './decrypt-stream.js';
import { awsRequestFailed, leftBehind, outcomeUnknown } from './errors.js';
import { putInstructionFile, removeInstructionFile } from './instruction-file-store.js';
import { writeMaterials } from './materials.js';
import { plaintextStreamRefused, putPlaintext } from './plaintext-object.js';
import { encodeContentMetadata, placeMetadata } from './metadata-encode.js';
import { encryptParts, type EncryptedPart } from './part-encryptor.js';
import type { S3Context } from './s3-context.js';
import { checkWrite } from './write-request.js';

function limit(message: string): PhisealError {
  return new PhisealError('LIMIT_EXCEEDED', message);
}

/** Cancellation rejects with the signal's reason (an `AbortError` by default), as fetch and the AWS SDK do. */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The upload was aborted.', 'AbortError');
}

/**
 * Encrypts a body of any length in constant memory. One GCM cipher runs over the whole
 * object in order (spec client.md#optional-api-operations: "Each part MUST be encrypted in
 * sequence"); each plaintext part becomes a ciphertext part of the same length and the
 * 16-byte tag is appended to the last part, so the stored object is exactly what PutObject
 * would have stored. Up to `queueSize` parts are in flight, in `queueSize + 1` reused
 * buffers. A body that fits one part is stored with one PutObject. On any failure the
 * multipart upload is aborted (after the parts in flight settle) and the instruction file
 * removed.
 */
export async function upload(ctx: S3Context, input: UploadInput): Promise<UploadOutput> {
  const checked = checkWrite(ctx, input);
  if (ctx.plaintextPolicy === 'write-plaintext') {
    // A plaintext stream would need its own multipart path; in-memory bodies are written by putObject.
    if (isBytesBody(input.Body) || input.Body === undefined) {
      const out = await putPlaintext(ctx, checked, input.Body);
      const bytes = input.Body === undefined ? 0 : bodyBytes(input.Body).length;
      return { Bucket: checked.bucket, Key: checked.key, parts: 1, bytes, ...(out.ETag === undefined ? {} : { ETag: out.ETag }), ...(out.VersionId === undefined ? {} : { VersionId: out.VersionId }) };
    }
    throw plaintextStreamRefused();
  }
  const onProgress = progressReporter(input.onProgress);
  const body: unknown = input.Body;
  const totalBytes = isBytesBody(body) ? bodyBytes(body).length : undefined;
  const signal = input.abortSignal;
  const sendOptions = signal === undefined ? {} : { abortSignal: signal };
  let parts: AsyncIterator<EncryptedPart> | undefined;
  let keyId = '';
  let uploadId: string | undefined;
  let instructionWritten = false;
  const inFlight = new Set<Promise<void>>();
  const { bucket, key } = checked;
  try {
    if (signal?.aborted) throw abortReason(signal);
    if (totalBytes !== undefined && totalBytes > MAX_GCM_PLAINTEXT_BYTES) throw limit('The object is larger than one AES-GCM message allows (about 64 GiB).');
    const materials = await writeMaterials(ctx.envelope, ctx.format, checked.context, totalBytes);
    keyId = materials.keyId;
    const cipher = createContentCipher(materials.content);
    materials.content.key.fill(0);
    const placed = placeMetadata(encodeContentMetadata(materials.meta), ctx.format, checked.useInstructionFile);
    const metadata = { ...checked.userMetadata, ...placed.objectMetadata };
    parts = encryptParts(bodyChunks(body), cipher, ctx.partSize, ctx.queueSize + 1)[Symbol.asyncIterator]();

    const first = await parts.next();
    if (first.done) throw awsRequestFailed('UploadPart', new Error('no part produced'));
    if (placed.instructionFile) {
      await putInstructionFile(ctx, bucket, key, placed.instructionFile);
      instructionWritten = true;
    }
    if (first.value.last) {
      const only = first.value;
      const put = new PutObjectCommand({ Bucket: bucket, Key: key, Body: only.data, ContentLength: only.data.length, Metadata: metadata, ...checked.passThrough });
      const attempts = trackAttempts(put);
      const out = await ctx.client
        .send(put, sendOptions)
        .catch((error: unknown) => Promise.reject(attempts.ambiguous() ? outcomeUnknown('PutObject', error) : awsRequestFailed('PutObject', error)))
        .finally(only.release);
      onProgress?.({ loadedBytes: only.plainBytes, totalBytes: only.plainBytes });
      auditS3(ctx.envelope, 's3.upload', checked.context, keyId);
      return withVersion({ Bucket: bucket, Key: key, parts: 1, bytes: only.plainBytes }, out.ETag, out.VersionId);
    }

    const { IfMatch: _ifMatch, IfNoneMatch: _ifNoneMatch, ...createFields } = checked.passThrough;
    const create = new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, Metadata: metadata, ...createFields });
    const partChecksum = checked.passThrough.ChecksumAlgorithm === undefined ? {} : { ChecksumAlgorithm: checked.passThrough.ChecksumAlgorithm };
    const creating = trackAttempts(create);
    const created = await ctx.client.send(create, sendOptions).catch((error: unknown) => {
      const failure = awsRequestFailed('CreateMultipartUpload', error);
      // A lost answer may have created uploads whose ids no one knows: say where (no uploadId).
      return Promise.reject(creating.ambiguous() ? leftBehind(failure, 'CreateMultipartUpload', { incompleteUpload: { bucket, key } }) : failure);
    });
    uploadId = created.UploadId;
    if (!uploadId) throw awsRequestFailed('CreateMultipartUpload', new Error('no UploadId'));
    const id = uploadId;

    const completed: CompletedPart[] = [];
    let failure: Error | undefined;
    let loaded = 0;
    let total = 0;
    let partNumber = 0;
    let current: EncryptedPart | undefined = first.value;
    while (current) {
      const part = current;
      if (signal?.aborted || failure !== undefined) {
        part.release();
        break;
      }
      partNumber++;
      total += part.plainBytes;
      if (partNumber > MAX_PARTS) throw limit(`The object needs more than ${MAX_PARTS} parts; raise partSize.`);
      if (total > MAX_GCM_PLAINTEXT_BYTES) throw limit('The object is larger than one AES-GCM message allows (about 64 GiB).');
      const n = partNumber;
      const sending = ctx.client
        .send(
          new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: id, PartNumber: n, Body: part.data, ContentLength: part.data.length, ...partChecksum }),
          sendOptions,
        )
        .then(
          (out) => {
            completed.push({ PartNumber: n, ETag: out.ETag });
            loaded += part.plainBytes;
            onProgress?.(totalBytes === undefined ? { loadedBytes: loaded } : { loadedBytes: loaded, totalBytes });
          },
          (error: unknown) => {
            failure ??= awsRequestFailed('UploadPart', error);
          },
        )
        .finally(part.release);
      const tracked: Promise<void> = sending.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (part.last) break;
      // Waits for a free buffer when queueSize parts are in flight: the backpressure.
      const next = await parts.next();
      current = next.done ? undefined : next.value;
    }
    await Promise.all(inFlight);
    if (signal?.aborted) throw abortReason(signal);
    if (failure !== undefined) throw failure;
    completed.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    // A conditional write is decided when the object appears: on CompleteMultipartUpload.
    const { IfMatch, IfNoneMatch } = checked.passThrough;
    const condition = { ...(IfMatch === undefined ? {} : { IfMatch }), ...(IfNoneMatch === undefined ? {} : { IfNoneMatch }) };
    const complete = new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: id, MultipartUpload: { Parts: completed }, ...condition });
    const attempts = trackAttempts(complete);
    const out = await ctx.client
      .send(complete)
      .catch((error: unknown) =>
        Promise.reject(attempts.ambiguous() ? outcomeUnknown('CompleteMultipartUpload', error) : awsRequestFailed('CompleteMultipartUpload', error)),
      );
    auditS3(ctx.envelope, 's3.upload', checked.context, keyId);
    return withVersion({ Bucket: bucket, Key: key, parts: partNumber, bytes: total }, out.ETag, out.VersionId);
  } catch (caught) {
    let error = signal?.aborted ? abortReason(signal) : caught;
    destroyBody(body, error);
    // Abort only after the parts in flight settle, so that none lands after the abort.
    await Promise.allSettled([...inFlight]);
    await parts?.return?.(undefined).catch(() => undefined);
    let unknown = PhisealError.is(error) && error.details['outcome'] === 'unknown';
    if (uploadId !== undefined) {
      const abort = await ctx.client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).then(
        () => 'aborted' as const,
        // NoSuchUpload: nothing is left (a lost CompleteMultipartUpload did complete).
        (failure: unknown) => ((failure as { name?: unknown } | null)?.name === 'NoSuchUpload' ? ('gone' as const) : ('failed' as const)),
      );
      const aborted = abort !== 'failed';
      if (abort === 'aborted' && unknown) {
        // A successful abort proves the lost CompleteMultipartUpload did not complete.
        unknown = false;
        error = awsRequestFailed('CompleteMultipartUpload', (error as PhisealError).cause);
      }
      if (!aborted) {
        // No client can clean up now: say what is left (an AbortIncompleteMultipartUpload
        // lifecycle rule reclaims it). A caller's own abort keeps its AbortError.
        auditS3(ctx.envelope, 's3.uploadIncomplete', checked.context, keyId, error);
        if (!signal?.aborted) error = leftBehind(error, 'UploadPart', { incompleteUpload: { bucket, key, uploadId } });
      }
    }
    // After an ambiguous write the object may exist and needs its instruction file.
    if (instructionWritten && !unknown) await removeInstructionFile(ctx, bucket, key);
    auditS3(ctx.envelope, 's3.upload', checked.context, keyId, error);
    throw error;
  }
}

function withVersion(out: UploadOutput, etag: string | undefined, versionId: string | undefined): UploadOutput {
  if (etag !== undefined) out.ETag = etag;
  if (versionId !== undefined) out.VersionId = versionId;
  return out;
}
