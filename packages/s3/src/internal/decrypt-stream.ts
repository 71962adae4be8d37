import type { DecipherGCM } from 'node:crypto';
import { Readable } from 'node:stream';
import { PhisealError } from '@phiseal/guard';
import { GCM_TAG_BYTES } from './constants.js';
import { createContentDecipher, type ContentKey } from './content-cipher.js';
import { awsRequestFailed, decryptionFailed, invalidArgument } from './errors.js';

/**
 * Progress of a transfer: plaintext bytes done, and the total when known.
 *
 * @example
 * ```ts
 * await s3.upload({ Bucket, Key, Body, onProgress: ({ loadedBytes, totalBytes }) => bar.update(loadedBytes, totalBytes) });
 * ```
 */
export type ProgressEvent = { loadedBytes: number; totalBytes?: number };

/**
 * The caller's progress callback, checked up front and made unable to fail a transfer: a
 * throw from it after a successful write would otherwise report a failure and trigger the
 * clean-up of an object that was in fact stored.
 * @throws PhisealError `INVALID_ARGUMENT` when it is not a function.
 */
export function progressReporter(callback: unknown): ((event: ProgressEvent) => void) | undefined {
  if (callback === undefined) return undefined;
  if (typeof callback !== 'function') throw invalidArgument('onProgress must be a function.');
  return (event) => {
    try {
      (callback as (event: ProgressEvent) => void)(event);
    } catch {
      // Progress reporting is advisory.
    }
  };
}

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
 * Decrypts a body of known length (ciphertext || 16-byte tag). Knowing where the tag
 * starts, each chunk goes to the cipher in one call; only the chunk that straddles the
 * tag boundary is split, and the tag bytes are collected apart.
 */
async function* decryptChunks(
  decipher: DecipherGCM,
  source: AsyncIterable<Uint8Array>,
  options: DecryptStreamOptions & { storedBytes: number },
): AsyncGenerator<Buffer> {
  const tagStart = options.storedBytes - GCM_TAG_BYTES;
  if (tagStart < 0) throw decryptionFailed();
  const tag = Buffer.alloc(GCM_TAG_BYTES);
  let offset = 0;
  let released = 0;
  let heldBytes = 0;
  const held: Buffer[] = [];
  const report = (n: number): void => {
    released += n;
    options.onProgress?.(
      options.totalBytes === undefined ? { loadedBytes: released } : { loadedBytes: released, totalBytes: options.totalBytes },
    );
  };
  for await (const raw of source) {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const end = offset + chunk.length;
    // More bytes than the stored length said: the body was altered in transit or at rest.
    if (end > options.storedBytes) throw decryptionFailed();
    const bodyPart = end <= tagStart ? chunk : chunk.subarray(0, Math.max(0, tagStart - offset));
    if (bodyPart.length < chunk.length) chunk.subarray(bodyPart.length).copy(tag, Math.max(0, offset - tagStart));
    offset = end;
    if (bodyPart.length === 0) continue;
    const plain = decipher.update(bodyPart);
    if (options.mode === 'delayed') {
      report(plain.length);
      yield plain;
    } else {
      heldBytes += plain.length;
      if (heldBytes > options.bufferLimit) throw limitExceeded(options.bufferLimit);
      held.push(plain);
    }
  }
  if (offset !== options.storedBytes) throw decryptionFailed();
  decipher.setAuthTag(tag);
  try {
    decipher.final();
  } catch (error) {
    held.length = 0;
    throw decryptionFailed(error);
  }
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
 * Decrypts an object body (ciphertext || tag) of `storedBytes` bytes as a Node Readable. Any failure — a short
 * body, a bad tag, a source error — errors the stream; in buffered mode no plaintext is
 * released before the tag verifies.
 */
export function decryptStream(
  content: ContentKey,
  source: AsyncIterable<Uint8Array>,
  options: DecryptStreamOptions & { storedBytes: number },
): Readable {
  // The key is taken and zeroized now, not when (if ever) the caller starts reading.
  const decipher = createContentDecipher(content);
  content.key.fill(0);
  return Readable.from(typedErrors(decryptChunks(decipher, source, options)), { objectMode: false });
}

/**
 * Reports a failure of the source (a connection reset mid-body) as `AWS_REQUEST_FAILED`, like
 * every other failure of a read, instead of the transport's raw error.
 */
export async function* typedErrors(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (error) {
    throw awsRequestFailed('GetObject', error);
  }
}
