import { PutObjectCommand, type PutObjectCommandOutput } from '@aws-sdk/client-s3';
import { trackAttempts } from '@phiseal/core';
import type { PutObjectInput, UploadOutput } from '../types.js';
import { auditS3 } from './audit.js';
import { bodyBytes, isBytesBody } from './body-input.js';
import { MAX_GCM_PLAINTEXT_BYTES } from './constants.js';
import { sealBytes } from './content-seal.js';
import { awsRequestFailed, invalidArgument, outcomeUnknown } from './errors.js';
import { putInstructionFile, removeInstructionFile } from './instruction-file-store.js';
import { writeMaterials } from './materials.js';
import { encodeContentMetadata, placeMetadata } from './metadata-encode.js';
import type { S3Context } from './s3-context.js';
import { putPlaintext } from './plaintext-object.js';
import { upload } from './upload.js';
import { checkWrite } from './write-request.js';

/**
 * PutObject of an in-memory body: encrypt, then (with instruction files) write the
 * instruction file first and the object second, deleting the instruction file if the
 * object write fails. Stream bodies go through {@link upload}.
 */
export async function putObject(ctx: S3Context, input: PutObjectInput): Promise<PutObjectCommandOutput | UploadOutput> {
  const body: unknown = input?.Body;
  if (body !== undefined && !isBytesBody(body)) return upload(ctx, input);
  const checked = checkWrite(ctx, input);
  // 'write-plaintext': the same guard, then the body as it is (no S3EC metadata).
  if (ctx.plaintextPolicy === 'write-plaintext') return putPlaintext(ctx, checked, body);
  const plaintext = body === undefined ? new Uint8Array(0) : bodyBytes(body);
  if (plaintext.length > MAX_GCM_PLAINTEXT_BYTES) throw invalidArgument('Body is larger than one GCM message allows.');
  let keyId = '';
  try {
    const materials = await writeMaterials(ctx.envelope, ctx.format, checked.context, plaintext.length);
    keyId = materials.keyId;
    const sealed = sealBytes(materials.content, plaintext);
    const placed = placeMetadata(encodeContentMetadata(materials.meta), ctx.format, checked.useInstructionFile);
    if (placed.instructionFile) await putInstructionFile(ctx, checked.bucket, checked.key, placed.instructionFile);
    let out: PutObjectCommandOutput;
    const command = new PutObjectCommand({
      Bucket: checked.bucket,
      Key: checked.key,
      Body: sealed,
      ContentLength: sealed.length,
      Metadata: { ...checked.userMetadata, ...placed.objectMetadata },
      ...checked.passThrough,
    });
    const attempts = trackAttempts(command);
    try {
      out = await ctx.client.send(command);
    } catch (error) {
      // The object may exist: its instruction file must stay, or the object is unreadable.
      if (attempts.ambiguous()) throw outcomeUnknown('PutObject', error);
      if (placed.instructionFile) await removeInstructionFile(ctx, checked.bucket, checked.key);
      throw awsRequestFailed('PutObject', error);
    }
    auditS3(ctx.envelope, 's3.putObject', checked.context, keyId);
    return out;
  } catch (error) {
    auditS3(ctx.envelope, 's3.putObject', checked.context, keyId, error);
    throw error;
  }
}
