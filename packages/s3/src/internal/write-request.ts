import type { PutObjectInput } from '../types.js';
import { validateCallerContext } from './encryption-context.js';
import { checkContentDisposition, checkHeader, checkLocation, checkMetadata, checkTagging } from './guards.js';
import type { S3Context } from './s3-context.js';
import { invalidArgument } from './errors.js';

/** A write request after every check: nothing is sent to AWS before this succeeds. */
export type CheckedWrite = {
  bucket: string;
  key: string;
  userMetadata: Record<string, string>;
  /** Plain S3 parameters passed through (ContentType, ContentDisposition, CacheControl, Tagging). */
  passThrough: { ContentType?: string; ContentDisposition?: string; CacheControl?: string; Tagging?: string };
  context: Record<string, string>;
  useInstructionFile: boolean;
};

/**
 * Validates a put/upload request and runs the PHI guard over every surface S3 stores in
 * the clear: bucket, key, user metadata, tags and the Content-Disposition filename.
 * @throws PhisealError `INVALID_ARGUMENT`, `PHI_DETECTED`.
 */
export function checkWrite(ctx: S3Context, input: PutObjectInput): CheckedWrite {
  if (typeof input !== 'object' || input === null) throw invalidArgument('The request must be an object.');
  const guard = ctx.envelope.guard;
  const { bucket, key } = checkLocation(guard, input.Bucket, input.Key);
  const userMetadata = checkMetadata(guard, input.Metadata);
  checkTagging(guard, input.Tagging);
  checkContentDisposition(guard, input.ContentDisposition);
  // Content-Type (its legacy `name=` parameter is a filename) and Cache-Control are stored
  // and returned in the clear on every read, like user metadata.
  checkHeader(guard, input.ContentType, 'ContentType');
  checkHeader(guard, input.CacheControl, 'CacheControl');
  const context = validateCallerContext(input.context);
  const passThrough: CheckedWrite['passThrough'] = {};
  if (input.ContentType !== undefined) passThrough.ContentType = input.ContentType;
  if (input.ContentDisposition !== undefined) passThrough.ContentDisposition = input.ContentDisposition;
  if (input.CacheControl !== undefined) passThrough.CacheControl = input.CacheControl;
  if (input.Tagging !== undefined) passThrough.Tagging = input.Tagging;
  return {
    bucket,
    key,
    userMetadata,
    passThrough,
    context,
    useInstructionFile: input.instructionFile ?? ctx.instructionFile,
  };
}
