import type { WrappedKey } from '@phiseal/core';
import type { HeaderDataKey } from './header.js';

// Encrypted data keys between the header (provider id, provider info, ciphertext) and phiseal's
// WrappedKey. Under the DBE suites every EDK ciphertext is the MPL's intermediate-key-wrapping
// layout (algorithm-suites.md "Intermediate Key Wrapping"): 48 bytes of AES-GCM-wrapped
// plaintext data key, then what the keyring wrapped (the intermediate key): a KMS
// CiphertextBlob, a raw AES keyring's ciphertext+tag, a hierarchical keyring's
// salt+IV+version+ciphertext+tag.

/** A WrappedKey (with the exact ESDK provider-info bytes when they are not the key id's UTF-8). */
export type InfoWrappedKey = WrappedKey;

/** Length of the wrapped plaintext data key at the start of every EDK ciphertext. */
export const WRAPPED_PDK_BYTES = 48;

const KMS = 'aws-kms';
const HIERARCHY = 'aws-kms-hierarchy';
const RAW_AES_INFO_TAIL = 4 + 4 + 12; // tag length (bits), IV length, IV

/**
 * The key id a header data key names: the KMS key ARN, the branch key id, or a raw AES
 * keyring's key name (provider info = name, u32 tag bits 128, u32 IV length 12, IV).
 * @throws never
 * @example
 * ```ts
 * keyIdOf({ providerId: 'aws-kms', providerInfo: Buffer.from(arn), ciphertext }); // arn
 * ```
 */
export function keyIdOf(k: HeaderDataKey): string {
  const info = k.providerInfo;
  if (k.providerId !== KMS && k.providerId !== HIERARCHY && info.length >= RAW_AES_INFO_TAIL) {
    const at = info.length - RAW_AES_INFO_TAIL;
    if (info.readUInt32BE(at) === 128 && info.readUInt32BE(at + 4) === 12) return info.subarray(0, at).toString('utf8');
  }
  return info.toString('utf8');
}

/**
 * The header form of one provider wrapping, behind the wrapped plaintext data key.
 * @throws never
 * @example
 * ```ts
 * const edk = toHeaderDataKey(wrapped, encryptedPdk);
 * ```
 */
export function toHeaderDataKey(w: InfoWrappedKey, wrappedPdk: Buffer): HeaderDataKey {
  return {
    providerId: w.provider,
    providerInfo: w.providerInfo ? Buffer.from(w.providerInfo) : Buffer.from(w.keyId, 'utf8'),
    ciphertext: Buffer.concat([wrappedPdk, w.ciphertext]),
  };
}

/**
 * The provider wrapping inside a header data key, or undefined when it is too short to hold one.
 * @throws never
 * @example
 * ```ts
 * const w = fromHeaderDataKey(edk);
 * ```
 */
export function fromHeaderDataKey(k: HeaderDataKey): { wrapped: InfoWrappedKey; wrappedPdk: Buffer } | undefined {
  if (k.ciphertext.length <= WRAPPED_PDK_BYTES) return undefined;
  const keyId = keyIdOf(k);
  const info = k.providerInfo;
  // A raw AES key name is shorter than its provider info: no UTF-8 copy of it to compare.
  const sameAsKeyId = Buffer.byteLength(keyId, 'utf8') === info.length && Buffer.from(keyId, 'utf8').equals(info);
  const provider = k.providerId;
  const ciphertext = k.ciphertext.subarray(WRAPPED_PDK_BYTES);
  const wrapped: InfoWrappedKey = sameAsKeyId ? { provider, keyId, ciphertext } : { provider, keyId, ciphertext, providerInfo: info };
  return { wrapped, wrappedPdk: k.ciphertext.subarray(0, WRAPPED_PDK_BYTES) };
}
