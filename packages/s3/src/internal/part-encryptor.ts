import type { CipherGCM } from 'node:crypto';
import { GCM_TAG_BYTES } from './constants.js';

/** One encrypted part, held in a pooled buffer until `release()` after its upload settles. */
export type EncryptedPart = {
  /** Ciphertext of the part (a view into a pooled buffer); the last part ends with the 16-byte tag. */
  data: Buffer;
  /** Plaintext bytes in this part. */
  plainBytes: number;
  last: boolean;
  release: () => void;
};

/**
 * A fixed set of part-sized buffers, reused for every part. Encrypted parts are written
 * into them rather than into fresh 8 MiB allocations: large short-lived buffers are only
 * reclaimed by V8's major GC, so allocating one per part makes RSS grow with the object
 * size; a pool keeps it at `size x (partSize + 16)` bytes whatever the object size.
 */
function bufferPool(size: number, bytes: number): { acquire: () => Promise<Buffer>; release: (buffer: Buffer) => void } {
  const free: Buffer[] = [];
  const waiting: ((buffer: Buffer) => void)[] = [];
  let created = 0;
  return {
    acquire(): Promise<Buffer> {
      const buffer = free.pop();
      if (buffer) return Promise.resolve(buffer);
      if (created < size) {
        created++;
        return Promise.resolve(Buffer.allocUnsafe(bytes));
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    release(buffer: Buffer): void {
      const next = waiting.shift();
      if (next) next(buffer);
      else free.push(buffer);
    },
  };
}

/**
 * Encrypts a plaintext stream into parts of exactly `partSize` ciphertext bytes (the last
 * holds the rest plus the tag), with one GCM cipher over the whole stream in order. Each
 * incoming chunk is encrypted as it arrives and copied into a pooled part buffer. A full
 * part is emitted only once more plaintext is known to follow, so the last part — the one
 * that carries the tag — is always recognised, even for a stream of unknown length.
 * At most `poolSize` parts exist at once: the generator waits for a `release()` before
 * filling another, which is what bounds memory and provides backpressure.
 */
export async function* encryptParts(
  source: AsyncIterable<Uint8Array>,
  cipher: CipherGCM,
  partSize: number,
  poolSize: number,
): AsyncGenerator<EncryptedPart> {
  const pool = bufferPool(poolSize, partSize + GCM_TAG_BYTES);
  let buffer = await pool.acquire();
  let filled = 0;
  const part = (data: Buffer, owner: Buffer, plainBytes: number, last: boolean): EncryptedPart => {
    let released = false;
    return {
      data,
      plainBytes,
      last,
      release: () => {
        if (released) return;
        released = true;
        pool.release(owner);
      },
    };
  };
  for await (const raw of source) {
    let chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    while (chunk.length > 0) {
      if (filled === partSize) {
        // More plaintext follows, so the full part is not the last one.
        yield part(buffer.subarray(0, partSize), buffer, partSize, false);
        buffer = await pool.acquire();
        filled = 0;
      }
      const take = Math.min(partSize - filled, chunk.length);
      filled += cipher.update(chunk.subarray(0, take)).copy(buffer, filled);
      chunk = chunk.subarray(take);
    }
  }
  filled += cipher.final().copy(buffer, filled);
  filled += cipher.getAuthTag().copy(buffer, filled);
  yield part(buffer.subarray(0, filled), buffer, filled - GCM_TAG_BYTES, true);
}
