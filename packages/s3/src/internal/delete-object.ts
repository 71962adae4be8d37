import { DeleteObjectCommand, type DeleteObjectCommandOutput } from '@aws-sdk/client-s3';
import type { DeleteObjectInput } from '../types.js';
import { auditS3 } from './audit.js';
import { INSTRUCTION_FILE_SUFFIX } from './constants.js';
import { awsRequestFailed, invalidArgument } from './errors.js';
import { checkLocation } from './guards.js';
import type { S3Context } from './s3-context.js';

/**
 * Deletes the object and then `<key>.instruction` (spec client.md#required-api-operations: "DeleteObject MUST delete
 * the associated instruction file using the default instruction file suffix"). S3 deletes
 * are idempotent, so deleting a missing instruction file is not an error.
 */
export async function deleteObject(ctx: S3Context, input: DeleteObjectInput): Promise<DeleteObjectCommandOutput> {
  if (typeof input !== 'object' || input === null) throw invalidArgument('The request must be an object.');
  const { bucket, key } = checkLocation(ctx.envelope.guard, input.Bucket, input.Key);
  try {
    const out = await ctx.client.send(
      new DeleteObjectCommand({ Bucket: bucket, Key: key, ...(input.VersionId === undefined ? {} : { VersionId: input.VersionId }) }),
    );
    // A versioned delete removes one old version; the instruction file (versioned on its own,
    // with no link between its versions and the object's) belongs to the current object, and
    // deleting it would leave the current version unreadable.
    if (input.VersionId === undefined) {
      await ctx.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key + INSTRUCTION_FILE_SUFFIX }));
    }
    auditS3(ctx.envelope, 's3.deleteObject', {}, '');
    return out;
  } catch (error) {
    const failure = awsRequestFailed('DeleteObject', error);
    auditS3(ctx.envelope, 's3.deleteObject', {}, '', failure);
    throw failure;
  }
}
