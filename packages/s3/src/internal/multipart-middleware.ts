import { completeMultipart } from './multipart-complete.js';
import { createMultipart } from './multipart-create.js';
import { uploadPart } from './multipart-part.js';
import { forget, type Bypass, type Next, type OpenUploads } from './multipart-state.js';
import type { S3Context } from './s3-context.js';

/**
 * Multipart uploads through the middleware (what `@aws-sdk/lib-storage`'s `Upload` sends for a
 * body above one part). The S3 Encryption Client format is one AES-GCM stream over the whole
 * object (spec client.md#optional-api-operations: "Each part MUST be encrypted in sequence"),
 * so parts are encrypted strictly in part-number order: an UploadPart that arrives before its
 * predecessor (Upload sends `queueSize` parts at once) waits until the predecessor is
 * encrypted — not uploaded — so uploads still overlap. Each ciphertext part has its plaintext's
 * length; at Complete the 16-byte tag goes after the last part: as an extra part when the last
 * part is at least S3's 5 MiB minimum, else by re-sending the last part with the tag appended
 * (its ciphertext is kept for that). Content metadata goes on CreateMultipartUpload (or in the
 * instruction file, written just before Complete). State is per UploadId and dropped on
 * Complete, Abort, or after an hour idle.
 */
export function multipartUploads(bypass: Bypass): {
  create: (ctx: S3Context, context: Record<string, string> | undefined, input: Record<string, unknown>, next: Next) => Promise<{ output: unknown }>;
  uploadPart: (input: Record<string, unknown>, next: Next) => Promise<{ output: unknown }>;
  complete: (input: Record<string, unknown>, next: Next) => Promise<{ output: unknown }>;
  abort: (input: Record<string, unknown>, next: Next) => Promise<{ output: unknown }>;
} {
  const open: OpenUploads = new Map();
  return {
    create: (ctx, context, input, next) => createMultipart(open, ctx, context, input, next),
    uploadPart: (input, next) => uploadPart(open, input, next),
    complete: (input, next) => completeMultipart(open, bypass, input, next),
    async abort(input, next) {
      const id = input['UploadId'];
      const state = typeof id === 'string' ? open.get(id) : undefined;
      if (state !== undefined && typeof id === 'string') forget(open, id, state);
      return next({ input });
    },
  };
}
