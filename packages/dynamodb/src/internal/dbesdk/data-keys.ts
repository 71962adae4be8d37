import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { PhisealError, type EncryptionContext, type Envelope } from '@phiseal/core';
import { decryptionFailed } from '../failures.js';
import { contextAad } from './encryption-context.js';
import type { HeaderDataKey } from './header.js';
import { IV_BYTES, KEY_BYTES } from './suites.js';
import { fromHeaderDataKey, toHeaderDataKey, type InfoWrappedKey } from './wrapped-keys.js';

// Data keys of one item through the envelope (cache, single flight, guard, audit), in the MPL's
// intermediate key wrapping (algorithm-suites.md): the envelope's data key is the
// *intermediate* key; from it HKDF-SHA512 derives the key that wraps the plaintext data key
// (info AWS_MPL_INTERMEDIATE_KEYWRAP_ENC, AES-GCM, IV 0, AAD = the context) and the footer's
// symmetric signing key (info AWS_MPL_INTERMEDIATE_KEYWRAP_MAC).
//
// The plaintext data key is derived from the intermediate key too. The MPL draws it at random;
// deriving it keeps the IV-0 wrap safe when the envelope's cache hands out the same
// intermediate key again for the same context: same key, same IV, same plaintext, same AAD
// gives the same bytes and leaks nothing, where a second random data key would reuse a GCM
// nonce. Readers cannot tell the difference (they unwrap whatever was wrapped).

const ENC_INFO = Buffer.from('AWS_MPL_INTERMEDIATE_KEYWRAP_ENC', 'ascii');
const MAC_INFO = Buffer.from('AWS_MPL_INTERMEDIATE_KEYWRAP_MAC', 'ascii');
const PDK_INFO = Buffer.from('phiseal DB-ESDK plaintext data key', 'ascii');
const ZERO_IV = Buffer.alloc(IV_BYTES);
const NO_SALT = Buffer.alloc(0);

const derive = (ikm: Uint8Array, info: Buffer): Buffer => Buffer.from(hkdfSync('sha512', ikm, NO_SALT, info, KEY_BYTES));

/** What encrypting one record needs. The caller zeroizes `dataKey` and `signingKeys`. */
export type EncryptionMaterials = { readonly dataKey: Buffer; readonly dataKeys: HeaderDataKey[]; readonly signingKeys: Buffer[]; readonly keyId: string };

/** What decrypting one record needs. The caller zeroizes both keys. */
export type DecryptionMaterials = { readonly dataKey: Buffer; readonly signingKey: Buffer; readonly keyId: string };

/**
 * Generates (or takes from the cache) the data key for context `ec` and wraps it per recipient.
 * @throws {@link PhisealError} as `envelope.dataKey` (KMS_UNAVAILABLE, KMS_KEY_UNUSABLE, PHI_DETECTED).
 * @example
 * ```ts
 * const m = await encryptionMaterials(envelope, ec);
 * ```
 */
export async function encryptionMaterials(envelope: Envelope, ec: EncryptionContext): Promise<EncryptionMaterials> {
  const { key: ikm, wrappedKeys } = await envelope.dataKey(ec, { messages: 1 });
  const kek = derive(ikm, ENC_INFO);
  const signingKey = derive(ikm, MAC_INFO);
  const dataKey = derive(ikm, PDK_INFO);
  ikm.fill(0);
  try {
    const cipher = createCipheriv('aes-256-gcm', kek, ZERO_IV);
    cipher.setAAD(contextAad(ec));
    const wrappedPdk = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
    const dataKeys = (wrappedKeys as readonly InfoWrappedKey[]).map((w) => toHeaderDataKey(w, wrappedPdk));
    return { dataKey, dataKeys, signingKeys: dataKeys.map(() => Buffer.from(signingKey)), keyId: wrappedKeys[0]?.keyId ?? 'unknown' };
  } finally {
    kek.fill(0);
    signingKey.fill(0);
  }
}

const SKIPPABLE: ReadonlySet<string> = new Set(['KEY_NOT_ALLOWED', 'DECRYPTION_FAILED', 'CONTEXT_MISMATCH']);

/**
 * Unwraps the first header data key the envelope's provider may use, under context `ec`.
 * @throws {@link PhisealError} DECRYPTION_FAILED (no usable or valid data key), KEY_NOT_ALLOWED
 * (no data key under an allowed key), KMS_UNAVAILABLE, KMS_KEY_UNUSABLE.
 * @example
 * ```ts
 * const m = await decryptionMaterials(envelope, header.dataKeys, ec);
 * ```
 */
export async function decryptionMaterials(envelope: Envelope, dataKeys: readonly HeaderDataKey[], ec: EncryptionContext): Promise<DecryptionMaterials> {
  let last: unknown;
  for (const k of dataKeys) {
    const parts = fromHeaderDataKey(k);
    if (!parts) continue;
    let ikm: Uint8Array;
    try {
      ikm = await envelope.unwrapDataKey([parts.wrapped], ec);
    } catch (error) {
      // Another recipient's key, or a wrapping that fails under this context: try the next one.
      if (PhisealError.is(error) && SKIPPABLE.has(error.code)) {
        last = error;
        continue;
      }
      throw error;
    }
    const kek = derive(ikm, ENC_INFO);
    const signingKey = derive(ikm, MAC_INFO);
    ikm.fill(0);
    try {
      const decipher = createDecipheriv('aes-256-gcm', kek, ZERO_IV);
      decipher.setAAD(contextAad(ec));
      decipher.setAuthTag(parts.wrappedPdk.subarray(KEY_BYTES));
      const dataKey = Buffer.concat([decipher.update(parts.wrappedPdk.subarray(0, KEY_BYTES)), decipher.final()]);
      return { dataKey, signingKey, keyId: parts.wrapped.keyId };
    } catch (error) {
      signingKey.fill(0);
      throw decryptionFailed(error);
    } finally {
      kek.fill(0);
    }
  }
  if (PhisealError.is(last) && last.code === 'KEY_NOT_ALLOWED') throw last;
  throw decryptionFailed();
}
