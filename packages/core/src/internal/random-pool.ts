// Random bytes for data keys and IVs from a pooled CSPRNG buffer. A `randomBytes` call costs
// about 2.5 µs whatever its size (a round trip into OpenSSL's DRBG), and a data-key cache miss
// of a LocalKeyProvider needed two (the key and its wrapping IV): filling one 4 KiB pool per
// ~90 misses is the same CSPRNG output at a fraction of the calls.
//
// Every byte is handed out once: the taken region is copied out and then overwritten with
// zeros in the pool, so a data key drawn from it leaves no copy behind that its owner cannot
// zeroize (the pool is a buffer of its own, never Node's shared allocation pool).
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafeSlow(POOL_BYTES);
// Starts exhausted: the first take fills it.
let offset = POOL_BYTES;

/**
 * Writes `length` fresh CSPRNG bytes into `out` at `at` (within bounds). Requests larger than a
 * quarter of the pool are filled directly, without touching it.
 */
export function randomInto(out: Uint8Array, at: number, length: number): void {
  if (length > POOL_BYTES / 4) {
    randomFillSync(out, at, length);
    return;
  }
  if (offset + length > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const end = offset + length;
  out.set(pool.subarray(offset, end), at);
  // Uint8Array#fill, not Buffer#fill: the same zeros, without Buffer's argument checks and C++ call.
  Uint8Array.prototype.fill.call(pool, 0, offset, end);
  offset = end;
}

/** A new buffer of `length` fresh CSPRNG bytes; the caller owns (and zeroizes) it. */
export function pooledRandomBytes(length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  randomInto(out, 0, length);
  return out;
}

/** The pool and how much of it was handed out, for tests only. */
export const randomPoolForTests = (): { pool: Buffer; offset: number } => ({ pool, offset });
