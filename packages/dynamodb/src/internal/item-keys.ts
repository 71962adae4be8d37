import { createHmac } from 'node:crypto';

// HKDF-SHA256 (RFC 5869) written out with createHmac: one HMAC for Extract per item and one
// per derived 32-byte key, which is what hkdfSync computes but without re-extracting for
// every attribute (a large share of the per-item cost). Tests check equality with hkdfSync.

const LABEL_SIGN = Buffer.from('phiseal.dynamodb.v1 sign', 'utf8');
const LABEL_ATTRIBUTE = Buffer.from('phiseal.dynamodb.v1 attr\0', 'utf8');
const ONE = Buffer.from([1]);

/**
 * HKDF-Extract with the item id as salt: the per-item pseudorandom key. The caller zeroizes it.
 * @throws never
 * @example
 * ```ts
 * const prk = itemPrk(dataKey, itemId); // use, then prk.fill(0)
 * ```
 */
export function itemPrk(dataKey: Uint8Array, itemId: Uint8Array): Buffer {
  return createHmac('sha256', itemId).update(dataKey).digest();
}

function expand32(prk: Uint8Array, ...info: Uint8Array[]): Buffer {
  const h = createHmac('sha256', prk);
  for (const part of info) h.update(part);
  return h.update(ONE).digest();
}

/**
 * The item's HMAC key: HKDF-Expand(prk, "phiseal.dynamodb.v1 sign", 32).
 * @throws never
 * @example
 * ```ts
 * const signKey = signingKey(itemPrk(dataKey, itemId));
 * ```
 */
export function signingKey(prk: Uint8Array): Buffer {
  return expand32(prk, LABEL_SIGN);
}

/**
 * An attribute's AES-256-GCM key: HKDF-Expand(prk, "phiseal.dynamodb.v1 attr" 0x00 name, 32).
 * @throws never
 * @example
 * ```ts
 * const key = attributeKey(prk, 'dateOfBirth');
 * ```
 */
export function attributeKey(prk: Uint8Array, name: string): Buffer {
  return expand32(prk, LABEL_ATTRIBUTE, Buffer.from(name, 'utf8'));
}

/**
 * The `info` bytes of an attribute key, for tests and the format document.
 * @throws never
 * @example
 * ```ts
 * hkdfSync('sha256', dataKey, itemId, attributeKeyInfo('name'), 32);
 * ```
 */
export function attributeKeyInfo(name: string): Buffer {
  return Buffer.concat([LABEL_ATTRIBUTE, Buffer.from(name, 'utf8')]);
}

/** The `info` bytes of the signing key. */
export const SIGNING_KEY_INFO: Uint8Array = LABEL_SIGN;
