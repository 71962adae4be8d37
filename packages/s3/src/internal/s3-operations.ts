import type { EncryptedS3 } from '../types.js';
import { deleteObject } from './delete-object.js';
import { getObject } from './get-object.js';
import { putObject } from './put-object.js';
import { readContext } from './read-context.js';
import type { S3Context } from './s3-context.js';
import { upload } from './upload.js';

/** The explicit API over resolved settings (one set shared with the middleware's multipart uploads). */
export function s3Operations(ctx: S3Context): EncryptedS3 {
  return {
    putObject: (input) => putObject(ctx, input),
    getObject: (input) => getObject(ctx, input),
    upload: (input) => upload(ctx, input),
    deleteObject: (input) => deleteObject(ctx, input),
    readContext: (input) => readContext(ctx, input),
    format: ctx.format,
    commitmentPolicy: ctx.commitmentPolicy,
  };
}
