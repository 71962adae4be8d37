// @phiseal/s3 (like the official S3 Encryption Clients) decrypts an object only when given
// its exact encryption context, but a consumer of a queue need not know the context a
// producer chose. The context is stored in the clear with the object (V3 `x-amz-t`, V2
// `x-amz-matdesc`, in its metadata or instruction file), so it is read back — through
// @phiseal/s3's own reader, with its 64 KiB instruction-file limit and strict parsing
// (issue 11, defects 12 and 13) — and the phiseal rule applied instead: the caller's pairs
// must be contained in it.
import type { PayloadLocation } from '../types.js';
import { awsRequestFailed } from './errors.js';
import type { OpenContext } from './queue-context.js';

/**
 * The caller-visible encryption context stored with a payload object (unauthenticated until
 * the payload is read with it).
 * @throws PhisealError `MALFORMED_CIPHERTEXT`, `UNSUPPORTED_OPERATION`, `AWS_REQUEST_FAILED`.
 */
export async function storedContext(ctx: OpenContext, location: PayloadLocation): Promise<Record<string, string>> {
  try {
    return await ctx.payloads.readContext({ Bucket: location.bucket, Key: location.key });
  } catch (error) {
    throw awsRequestFailed('S3', 'HeadObject', error);
  }
}

/** True when every pair of `wanted` is in `stored`. */
export function containsContext(stored: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): boolean {
  return Object.entries(wanted).every(([key, value]) => Object.hasOwn(stored, key) && stored[key] === value);
}
