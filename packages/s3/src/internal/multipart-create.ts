import type { PutObjectInput } from '../types.js';
import { auditS3 } from './audit.js';
import { awsRequestFailed } from './errors.js';
import { writeMaterials } from './materials.js';
import { sweep, type Next, type OpenUploads } from './multipart-state.js';
import { turnstile } from './part-turnstile.js';
import type { S3Context } from './s3-context.js';
import { startStreamCipher } from './stream-cipher.js';
import { checkWrite } from './write-request.js';

/**
 * CreateMultipartUpload through the middleware: the same checks as a put, a data key and the
 * cipher for the whole object, the content metadata on the request (or kept for the
 * instruction file, written at Complete); the upload is open once S3 names its UploadId.
 */
export async function createMultipart(
  open: OpenUploads,
  ctx: S3Context,
  context: Record<string, string> | undefined,
  input: Record<string, unknown>,
  next: Next,
): Promise<{ output: unknown }> {
  sweep(open);
  const { ContentLength: _plainLength, ChecksumAlgorithm, ChecksumType, ...rest } = input;
  const checked = checkWrite(ctx, { ...(rest as PutObjectInput), ...(context === undefined ? {} : { context }) });
  let keyId = '';
  try {
    const materials = await writeMaterials(ctx.envelope, ctx.format, checked.context, undefined);
    keyId = materials.keyId;
    const { cipher, placed } = startStreamCipher(materials, ctx.format, checked.useInstructionFile);
    const request: Record<string, unknown> = {
      Bucket: checked.bucket,
      Key: checked.key,
      Metadata: { ...checked.userMetadata, ...placed.objectMetadata },
      ...checked.passThrough,
    };
    if (ChecksumAlgorithm !== undefined) request['ChecksumAlgorithm'] = ChecksumAlgorithm;
    if (ChecksumType !== undefined) request['ChecksumType'] = ChecksumType;
    const result = await next({ input: request });
    const uploadId = (result.output as { UploadId?: unknown }).UploadId;
    if (typeof uploadId !== 'string' || uploadId === '') throw awsRequestFailed('CreateMultipartUpload', new Error('no UploadId'));
    open.set(uploadId, {
      ctx, bucket: checked.bucket, key: checked.key, context: checked.context, keyId, cipher,
      instructionFile: placed.instructionFile, checksumAlgorithm: ChecksumAlgorithm, turn: turnstile(),
      plainBytes: 0, newest: undefined, sends: new Set(), touched: Date.now(),
    });
    return result;
  } catch (error) {
    auditS3(ctx.envelope, 's3.upload', checked.context, keyId, error);
    throw error;
  }
}
