import { Readable } from 'node:stream';
import { PhisealError } from '@phiseal/guard';
import { GCM_TAG_BYTES } from './constants.js';
import { createContentDecipher, type ContentKey } from './content-cipher.js';
import { decryptionFailed } from './errors.js';

/** Progress of a transfer: plaintext bytes done, and the total when known. */
export type ProgressEvent = { loadedBytes: number; totalBytes?: number };

/** How {@link decryptStream} releases plaintext. */
export type DecryptStreamOptions = {
  /**
   * `buffered`: plaintext is held until the tag verifies, then released (at most
   * `bufferLimit` bytes). `delayed`: plaintext is released as it is decrypted and the
   * stream errors at the end if the tag does not verify (spec client.md#enable-delayed-authentication).
   */
  mode: 'buffered' | 'delayed';
  bufferLimit: number;
  totalBytes?: number;
  onProgress?: (event: ProgressEvent) => void;
};

/**
 * Splits a ciphertext stream into body and trailing 16-byte tag without copying the body:
 * each chunk but its last 16 bytes is decrypted at once; only the 16-byte tail is carried.
 */
async function* decryptChunks(
  content: ContentKey,
  source: AsyncIterable<Uint8Array>,
  options: DecryptStreamOptions,
): AsyncGenerator<Buffer> {
  const decipher = createContentDecipher(content);
  content.key.fill(0);
  let tail = Buffer.alloc(0);
  let released = 0;
  const held: Buffer[] = [];
  const report = (n: number): void => {
    released += n;
    options.onProgress?.(
      options.totalBytes === undefined ? { loadedBytes: released } : { loadedBytes: released, totalBytes: options.totalBytes },
    );
  };
  let heldBytes = 0;
  const emit = function* (plain: Buffer): Generator<Buffer> {
    if (plain.length === 0) return;
    if (options.mode === 'delayed') {
      report(plain.length);
      yield plain;
      return;
    }
    heldBytes += plain.length;
    if (heldBytes > options.bufferLimit) throw limitExceeded(options.bufferLimit);
    held.push(plain);
  };
  for await (const raw of source) {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (chunk.length >= GCM_TAG_BYTES) {
      if (tail.length > 0) yield* emit(decipher.update(tail));
      yield* emit(decipher.update(chunk.subarray(0, chunk.length - GCM_TAG_BYTES)));
      tail = Buffer.from(chunk.subarray(chunk.length - GCM_TAG_BYTES));
    } else {
      const joined = Buffer.concat([tail, chunk]);
      const excess = joined.length - GCM_TAG_BYTES;
      if (excess > 0) yield* emit(decipher.update(joined.subarray(0, excess)));
      tail = excess > 0 ? joined.subarray(excess) : joined;
    }
  }
  if (tail.length !== GCM_TAG_BYTES) throw decryptionFailed();
  decipher.setAuthTag(tail);
  let last: Buffer;
  try {
    last = decipher.final();
  } catch (error) {
    held.length = 0;
    throw decryptionFailed(error);
  }
  yield* emit(last);
  // Buffered mode: the tag verified, only now is any plaintext released.
  for (const plain of held) {
    report(plain.length);
    yield plain;
  }
  held.length = 0;
  if (released === 0) report(0);
}

/** The error of a buffered read over the limit. */
export function limitExceeded(limit: number): PhisealError {
  return new PhisealError(
    'LIMIT_EXCEEDED',
    `The object is larger than the authenticated-read buffer limit (${limit} bytes). Raise bufferLimitBytes, or opt into delayedAuthentication and accept that plaintext is released before the tag is verified.`,
    { details: { bufferLimitBytes: limit } },
  );
}

/**
 * Decrypts an object body (ciphertext || tag) as a Node Readable. Any failure — a short
 * body, a bad tag, a source error — errors the stream; in buffered mode no plaintext is
 * released before the tag verifies.
 */
export function decryptStream(content: ContentKey, source: AsyncIterable<Uint8Array>, options: DecryptStreamOptions): Readable {
  return Readable.from(decryptChunks(content, source, options), { objectMode: false });
}
