import { hash } from 'node:crypto';

// HMAC-SHA384/512 (RFC 2104) from the one-shot `crypto.hash`: HMAC(K, m) = H((K ^ opad) ||
// H((K ^ ipad) || m)). `createHmac` sets up an OpenSSL context per call (~4x a one-shot hash);
// an item needs up to a dozen HMACs (HKDF, commitment, recipient tag), most under keys that
// repeat across items, so the padded keys are built once per key and reused. The output is
// HMAC's, byte for byte (hmac.test.ts checks it against createHmac).

/** The hashes the DB-ESDK suites use; both have 128-byte blocks. */
export type HmacHash = 'sha384' | 'sha512';

/** A key padded for HMAC. Holds key material: the owner calls {@link destroyHmacKey}. */
export type HmacKey = { readonly hash: HmacHash; readonly inner: Buffer; readonly outer: Buffer };

const BLOCK = 128;
const DIGEST_BYTES: Record<HmacHash, number> = { sha384: 48, sha512: 64 };
const EMPTY = new Uint8Array(0);

// One scratch buffer for the padded messages: a call is synchronous, and the bytes it held
// (padded key, message) are zeroized before it returns.
let scratch = Buffer.alloc(1024);

// The pads of hmacOnce's key (zero between calls).
const onceInner = Buffer.alloc(BLOCK);
const onceOuter = Buffer.alloc(BLOCK);
const onceKey: Record<HmacHash, HmacKey> = {
  sha384: { hash: 'sha384', inner: onceInner, outer: onceOuter },
  sha512: { hash: 'sha512', inner: onceInner, outer: onceOuter },
};

/**
 * Pads `key` for HMAC with `algorithm` (a key longer than a block is hashed first, RFC 2104).
 * @throws never
 * @example
 * ```ts
 * const k = hmacKey('sha384', signingKey);
 * ```
 */
export function hmacKey(algorithm: HmacHash, key: Uint8Array): HmacKey {
  const k = key.length > BLOCK ? hash(algorithm, key, 'buffer') : key;
  // One allocation for both pads (a slice of Node's pool, not two ArrayBuffers of their own);
  // every byte is written here and zeroized by destroyHmacKey.
  const pads = Buffer.allocUnsafe(2 * BLOCK);
  const inner = pads.fill(0x36, 0, BLOCK).subarray(0, BLOCK);
  const outer = pads.fill(0x5c, BLOCK).subarray(BLOCK);
  for (let i = 0; i < k.length; i++) {
    inner[i]! ^= k[i]!;
    outer[i]! ^= k[i]!;
  }
  if (k !== key) k.fill(0);
  return { hash: algorithm, inner, outer };
}

/**
 * HMAC under a key used once (`key` at most one block): the pads go to a reused scratch
 * buffer, zeroized before it returns, instead of a padded key allocated per call.
 * @throws RangeError when `key` is longer than a block.
 * @example
 * ```ts
 * const commitment = hmacOnce('sha512', commitKey, partialHeader);
 * ```
 */
export function hmacOnce(algorithm: HmacHash, key: Uint8Array, message: Uint8Array): Buffer {
  if (key.length > BLOCK) throw new RangeError('key');
  onceInner.fill(0x36);
  onceOuter.fill(0x5c);
  for (let i = 0; i < key.length; i++) {
    onceInner[i]! ^= key[i]!;
    onceOuter[i]! ^= key[i]!;
  }
  try {
    return hmac(onceKey[algorithm], message);
  } finally {
    onceInner.fill(0);
    onceOuter.fill(0);
  }
}

/**
 * A copy the caller owns (and destroys), e.g. of a cached key that may be evicted meanwhile.
 * @throws never
 * @example
 * ```ts
 * const mine = copyHmacKey(cached);
 * ```
 */
export function copyHmacKey(k: HmacKey): HmacKey {
  const pads = Buffer.allocUnsafe(2 * BLOCK);
  k.inner.copy(pads, 0);
  k.outer.copy(pads, BLOCK);
  return { hash: k.hash, inner: pads.subarray(0, BLOCK), outer: pads.subarray(BLOCK) };
}

/**
 * Zeroizes a padded key.
 * @throws never
 * @example
 * ```ts
 * destroyHmacKey(k);
 * ```
 */
export function destroyHmacKey(k: HmacKey): void {
  k.inner.fill(0);
  k.outer.fill(0);
}

/**
 * HMAC under `k` of `a`, followed by `b` and `c` when given (fixed arity: no rest array per call).
 * @throws never
 * @example
 * ```ts
 * const tag = hmac(k, hash);
 * ```
 */
export function hmac(k: HmacKey, a: Uint8Array, b: Uint8Array = EMPTY, c: Uint8Array = EMPTY): Buffer {
  const length = BLOCK + a.length + b.length + c.length;
  const digestEnd = BLOCK + DIGEST_BYTES[k.hash];
  if (scratch.length < length) scratch = Buffer.alloc(Math.max(length, 2 * scratch.length));
  const buf = scratch;
  try {
    // TypedArray#set, not Buffer#copy: no argument checks and no view per copy.
    buf.set(k.inner, 0);
    buf.set(a, BLOCK);
    buf.set(b, BLOCK + a.length);
    buf.set(c, BLOCK + a.length + b.length);
    const innerDigest = hash(k.hash, buf.subarray(0, length), 'buffer');
    buf.set(k.outer, 0);
    buf.set(innerDigest, BLOCK);
    innerDigest.fill(0);
    return hash(k.hash, buf.subarray(0, digestEnd), 'buffer');
  } finally {
    buf.fill(0, 0, Math.max(length, digestEnd));
  }
}
