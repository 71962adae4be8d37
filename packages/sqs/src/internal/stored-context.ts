// @phiseal/s3 (like the official S3 Encryption Clients) decrypts an object only when given
// its exact encryption context, but a consumer of a queue need not know the context a
// producer chose. The context is stored in the clear with the object (V3 `x-amz-t`, V2
// `x-amz-matdesc`, in its metadata or instruction file), so it can be read back and the
// phiseal rule applied instead: the caller's pairs must be contained in it.
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { PayloadLocation } from '../types.js';
import { awsRequestFailed, malformed } from './errors.js';
import type { OpenContext } from './queue-context.js';

const CONTEXT_KEYS = ['x-amz-t', 'x-amz-matdesc'] as const;
// Keys the S3EC format adds to the context itself; callers never pass them.
const FORMAT_KEYS: ReadonlySet<string> = new Set(['aws:x-amz-cek-alg', 'kms_cmk_id']);

function parse(json: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw malformed({ part: 'payloadContext' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformed({ part: 'payloadContext' });
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof value !== 'string') throw malformed({ part: 'payloadContext' });
    if (!FORMAT_KEYS.has(key)) out[key] = value;
  }
  return out;
}

function pick(entries: Readonly<Record<string, unknown>> | undefined): string | undefined {
  for (const key of CONTEXT_KEYS) {
    const value = entries?.[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * The caller-visible encryption context stored with a payload object.
 * @throws PhisealError `MALFORMED_CIPHERTEXT`, `AWS_REQUEST_FAILED`.
 */
export async function storedContext(ctx: OpenContext, location: PayloadLocation): Promise<Record<string, string>> {
  try {
    const head = await ctx.s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
    const inMetadata = pick(head.Metadata);
    if (inMetadata !== undefined) return parse(inMetadata);
    const instruction = await ctx.s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: `${location.key}.instruction` }));
    const text = instruction.Body ? await instruction.Body.transformToString() : '{}';
    let entries: unknown;
    try {
      entries = JSON.parse(text);
    } catch {
      throw malformed({ part: 'payloadContext' });
    }
    const inFile = typeof entries === 'object' && entries !== null ? pick(entries as Record<string, unknown>) : undefined;
    return inFile === undefined ? {} : parse(inFile);
  } catch (error) {
    throw awsRequestFailed('S3', 'HeadObject', error);
  }
}

/** True when every pair of `wanted` is in `stored`. */
export function containsContext(stored: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): boolean {
  return Object.entries(wanted).every(([key, value]) => Object.hasOwn(stored, key) && stored[key] === value);
}
