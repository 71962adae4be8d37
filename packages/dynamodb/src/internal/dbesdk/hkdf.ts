import { hmac, hmacKey, type HmacKey } from './hmac.js';

// HKDF-SHA512 (RFC 5869) without salt, as every DB-ESDK derivation uses it (Crypt.dfy,
// algorithm-suites.md "Intermediate Key Wrapping"), split in its two steps so that one
// extraction serves every key derived from the same input key: the commit key and the field
// root key of a record, the wrapping and MAC keys of an intermediate key.

// An empty salt is HashLen zero bytes (RFC 5869 2.2), which pads to the same block as no key.
const NO_SALT = hmacKey('sha512', new Uint8Array(0));
const ONE = Uint8Array.of(1);
const EMPTY = new Uint8Array(0);
const HASH_BYTES = 64;

/**
 * HKDF-Extract without salt: the pseudorandom key of `ikm`, padded for HMAC. The caller
 * destroys it (destroyHmacKey).
 * @throws never
 * @example
 * ```ts
 * const prk = hkdfExtract(dataKey);
 * ```
 */
export function hkdfExtract(ikm: Uint8Array): HmacKey {
  const prk = hmac(NO_SALT, ikm);
  try {
    return hmacKey('sha512', prk);
  } finally {
    prk.fill(0);
  }
}

/**
 * HKDF-Expand of at most one hash length (T(1) = HMAC(PRK, info || 0x01)); `info` is `label`
 * followed by `suffix`. The caller zeroizes the result.
 * @throws RangeError when `length` exceeds 64.
 * @example
 * ```ts
 * const commitKey = hkdfExpand(prk, 32, LABEL_COMMIT, messageId);
 * ```
 */
export function hkdfExpand(prk: HmacKey, length: number, label: Uint8Array, suffix: Uint8Array = EMPTY): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > HASH_BYTES) throw new RangeError('length');
  const t = hmac(prk, label, suffix, ONE);
  // The digest is this call's own buffer: hand out its first `length` bytes (no copy) and
  // zeroize the rest, so zeroizing the result zeroizes everything derived.
  t.fill(0, length);
  return t.subarray(0, length);
}
