import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { trackAttempts } from '@phiseal/core';
import type { UploadInput, UploadOutput } from '../types.js';
import { auditS3 } from './audit.js';
import { bodyBytes, bodyChunks, isBytesBody } from './body-input.js';
import { MAX_GCM_PLAINTEXT_BYTES } from './constants.js';
import { progressReporter } from './decrypt-stream.js';
import { awsRequestFailed, leftBehind, outcomeUnknown, tooLargeForGcm } from './errors.js';
import { putInstructionFile } from './instruction-file-store.js';
import { writeMaterials } from './materials.js';
import { plaintextStreamRefused, putPlaintext } from './plaintext-object.js';
import { encryptParts, type EncryptedPart } from './part-encryptor.js';
import type { S3Context } from './s3-context.js';
import { startStreamCipher } from './stream-cipher.js';
import { failedUpload } from './upload-failure.js';
import { sendParts, type SentParts, type UploadProgress } from './upload-parts.js';
import { abortReason, type UploadRun } from './upload-run.js';
import { checkWrite, type CheckedWrite } from './write-request.js';

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
  if (ctx.plaintextPolicy === 'write-plaintext') return uploadPlaintext(ctx, checked, input.Body);
  const onProgress = progressReporter(input.onProgress);
  const body: unknown = input.Body;
  const progress: UploadProgress = { onProgress, totalBytes: isBytesBody(body) ? bodyBytes(body).length : undefined };
  const signal = input.abortSignal;
  const run: UploadRun = {
    ctx, checked, body, signal, sendOptions: signal === undefined ? {} : { abortSignal: signal },
    keyId: '', parts: undefined, uploadId: undefined, instructionWritten: false, inFlight: new Set(),
  };
  try {
    const { parts, first, metadata } = await startUpload(run, progress.totalBytes);
    if (first.last) return await putOnlyPart(run, first, metadata, progress);
    const uploadId = await createUpload(run, metadata);
    return await completeUpload(run, uploadId, await sendParts(run, parts, first, uploadId, progress));
  } catch (caught) {
    throw await failedUpload(run, caught);
  }
}

/** 'write-plaintext': a plaintext stream would need its own multipart path; in-memory bodies are written by putObject. */
async function uploadPlaintext(ctx: S3Context, checked: CheckedWrite, body: UploadInput['Body']): Promise<UploadOutput> {
  if (!(isBytesBody(body) || body === undefined)) throw plaintextStreamRefused();
  const out = await putPlaintext(ctx, checked, body);
  const bytes = body === undefined ? 0 : bodyBytes(body).length;
  return withVersion({ Bucket: checked.bucket, Key: checked.key, parts: 1, bytes }, out.ETag, out.VersionId);
}

/**
 * Gets the data key, starts the cipher and encrypts the first part; writes the instruction
 * file (if any) once a part exists, before the object can.
 */
async function startUpload(
  run: UploadRun,
  totalBytes: number | undefined,
): Promise<{ parts: AsyncIterator<EncryptedPart>; first: EncryptedPart; metadata: Record<string, string> }> {
  const { ctx, checked, signal } = run;
  if (signal?.aborted) throw abortReason(signal);
  if (totalBytes !== undefined && totalBytes > MAX_GCM_PLAINTEXT_BYTES) throw tooLargeForGcm();
  const materials = await writeMaterials(ctx.envelope, ctx.format, checked.context, totalBytes);
  run.keyId = materials.keyId;
  const { cipher, placed } = startStreamCipher(materials, ctx.format, checked.useInstructionFile);
  const metadata = { ...checked.userMetadata, ...placed.objectMetadata };
  const parts = encryptParts(bodyChunks(run.body), cipher, ctx.partSize, ctx.queueSize + 1)[Symbol.asyncIterator]();
  run.parts = parts;
  const first = await parts.next();
  if (first.done) throw awsRequestFailed('UploadPart', new Error('no part produced'));
  if (placed.instructionFile) {
    await putInstructionFile(ctx, checked.bucket, checked.key, placed.instructionFile);
    run.instructionWritten = true;
  }
  return { parts, first: first.value, metadata };
}

/** A body that fits one part is stored with one PutObject (the tag ends its only part). */
async function putOnlyPart(run: UploadRun, only: EncryptedPart, metadata: Record<string, string>, progress: UploadProgress): Promise<UploadOutput> {
  const { ctx, checked } = run;
  const put = new PutObjectCommand({ Bucket: checked.bucket, Key: checked.key, Body: only.data, ContentLength: only.data.length, Metadata: metadata, ...checked.passThrough });
  const attempts = trackAttempts(put);
  const out = await ctx.client
    .send(put, run.sendOptions)
    .catch((error: unknown) => Promise.reject(attempts.ambiguous() ? outcomeUnknown('PutObject', error) : awsRequestFailed('PutObject', error)))
    .finally(only.release);
  progress.onProgress?.({ loadedBytes: only.plainBytes, totalBytes: only.plainBytes });
  auditS3(ctx.envelope, 's3.upload', checked.context, run.keyId);
  return withVersion({ Bucket: checked.bucket, Key: checked.key, parts: 1, bytes: only.plainBytes }, out.ETag, out.VersionId);
}

/** CreateMultipartUpload with the content metadata; the conditions wait for Complete. */
async function createUpload(run: UploadRun, metadata: Record<string, string>): Promise<string> {
  const { ctx, checked: { bucket, key, passThrough } } = run;
  const { IfMatch: _ifMatch, IfNoneMatch: _ifNoneMatch, ...createFields } = passThrough;
  const create = new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, Metadata: metadata, ...createFields });
  const creating = trackAttempts(create);
  const created = await ctx.client.send(create, run.sendOptions).catch((error: unknown) => {
    const failure = awsRequestFailed('CreateMultipartUpload', error);
    // A lost answer may have created uploads whose ids no one knows: say where (no uploadId).
    return Promise.reject(creating.ambiguous() ? leftBehind(failure, 'CreateMultipartUpload', { incompleteUpload: { bucket, key } }) : failure);
  });
  run.uploadId = created.UploadId;
  if (!run.uploadId) throw awsRequestFailed('CreateMultipartUpload', new Error('no UploadId'));
  return run.uploadId;
}

/**
 * CompleteMultipartUpload, sent without the abort signal: the last chance to cancel was
 * before it (in sendParts); cancelling it in flight would only leave its outcome unknown.
 */
async function completeUpload(run: UploadRun, uploadId: string, sent: SentParts): Promise<UploadOutput> {
  const { ctx, checked: { bucket, key, passThrough, context } } = run;
  // A conditional write is decided when the object appears: on CompleteMultipartUpload.
  const { IfMatch, IfNoneMatch } = passThrough;
  const condition = { ...(IfMatch === undefined ? {} : { IfMatch }), ...(IfNoneMatch === undefined ? {} : { IfNoneMatch }) };
  const complete = new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: sent.completed }, ...condition });
  const attempts = trackAttempts(complete);
  const out = await ctx.client
    .send(complete)
    .catch((error: unknown) =>
      Promise.reject(attempts.ambiguous() ? outcomeUnknown('CompleteMultipartUpload', error) : awsRequestFailed('CompleteMultipartUpload', error)),
    );
  auditS3(ctx.envelope, 's3.upload', context, run.keyId);
  return withVersion({ Bucket: bucket, Key: key, parts: sent.count, bytes: sent.plainBytes }, out.ETag, out.VersionId);
}

function withVersion(out: UploadOutput, etag: string | undefined, versionId: string | undefined): UploadOutput {
  if (etag !== undefined) out.ETag = etag;
  if (versionId !== undefined) out.VersionId = versionId;
  return out;
}
