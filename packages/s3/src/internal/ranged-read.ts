import { createDecipheriv } from 'node:crypto';
import { Readable } from 'node:stream';
import { GCM_TAG_BYTES } from './constants.js';
import type { ContentKey } from './content-cipher.js';
import { typedErrors, type ProgressEvent } from './decrypt-stream.js';
import { invalidArgument } from './errors.js';

/** A plaintext byte range, inclusive; `end` undefined = to the end of the object. */
export type PlainRange = { start: number; end?: number };

/**
 * Parses `bytes=a-b` or `bytes=a-` (suffix ranges need the size first and are refused).
 * @throws PhisealError `INVALID_ARGUMENT`.
 */
export function parseRange(range: string): PlainRange {
  const match = /^bytes=(\d+)-(\d*)$/.exec(range.trim());
  if (!match) throw invalidArgument('Range must be bytes=start-end or bytes=start-.');
  const start = Number(match[1]);
  const end = match[2] === '' || match[2] === undefined ? undefined : Number(match[2]);
  if (!Number.isSafeInteger(start) || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw invalidArgument('Range must be bytes=start-end with start <= end.');
  }
  return end === undefined ? { start } : { start, end };
}

/** The ciphertext range to fetch: widened to whole 16-byte AES blocks. */
export function cipherRange(range: PlainRange): string {
  const from = Math.floor(range.start / 16) * 16;
  return range.end === undefined ? `bytes=${from}-` : `bytes=${from}-${range.end}`;
}

/**
 * GCM encrypts block i of the plaintext with AES-CTR under counter inc32(J0) + i, where
 * J0 = IV || 0x00000001 for a 12-byte IV (NIST SP 800-38D section 7.1): block i uses
 * IV || (i + 2). Decrypting a range this way skips the tag — it is NOT authenticated.
 */
export function rangedDecryptStream(
  content: ContentKey,
  source: AsyncIterable<Uint8Array>,
  range: PlainRange,
  plaintextLength: number,
  onProgress?: (event: ProgressEvent) => void,
): Readable {
  const firstBlock = Math.floor(range.start / 16);
  const counter = Buffer.alloc(16);
  Buffer.from(content.iv).copy(counter, 0);
  counter.writeUInt32BE((firstBlock + 2) >>> 0, 12);
  const decipher = createDecipheriv('aes-256-ctr', content.key, counter);
  content.key.fill(0);
  const lastByte = Math.min(range.end ?? plaintextLength - 1, plaintextLength - 1);
  const wanted = Math.max(0, lastByte - range.start + 1);
  let skip = range.start - firstBlock * 16;
  let remaining = wanted;
  async function* run(): AsyncGenerator<Buffer> {
    let done = 0;
    for await (const chunk of source) {
      if (remaining === 0) continue;
      let plain = decipher.update(chunk);
      if (skip > 0) {
        const dropped = Math.min(skip, plain.length);
        plain = plain.subarray(dropped);
        skip -= dropped;
      }
      // Bytes past the plaintext are the tag (or past the requested end): never released.
      if (plain.length > remaining) plain = plain.subarray(0, remaining);
      remaining -= plain.length;
      done += plain.length;
      if (plain.length > 0) {
        onProgress?.({ loadedBytes: done, totalBytes: wanted });
        yield plain;
      }
    }
  }
  return Readable.from(typedErrors(run()));
}

/** The plaintext length of an object from a Content-Range header (`bytes a-b/total`). */
export function plaintextLengthFromContentRange(contentRange: string | undefined): number | undefined {
  const match = /\/(\d+)$/.exec(contentRange ?? '');
  if (!match) return undefined;
  return Number(match[1]) - GCM_TAG_BYTES;
}
