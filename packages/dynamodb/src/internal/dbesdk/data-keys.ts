import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { PhisealError, type EncryptionContext, type Envelope, type WrappedKey } from '@phiseal/core';
import { decryptionFailed } from '../failures.js';
import { contextAad } from './encryption-context.js';
import type { HeaderDataKey } from './header.js';
import { IV_BYTES, KEY_BYTES } from './suites.js';
import { fromHeaderDataKey, toHeaderDataKey } from './wrapped-keys.js';

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

/** What one intermediate key gives: the same for every item encrypted under that cached key and context. */
type Derived = { readonly aad: Buffer; readonly dataKey: Buffer; readonly wrappedPdk: Buffer; readonly signingKey: Buffer };

// Derived materials per cached envelope data key (the envelope hands out the same
// `wrappedKeys` array for every cache hit), so a hit skips three HKDFs and a GCM wrap. The keys
// live no longer than the envelope (zeroized by destroy()) and at most MAX_DERIVED at a time
// (the oldest zeroized first).
const MAX_DERIVED = 256;
const derivedByEnvelope = new WeakMap<Envelope, Map<readonly WrappedKey[], Derived>>();

function zeroize(d: Derived): void {
  d.dataKey.fill(0);
  d.signingKey.fill(0);
}

function derivedCache(envelope: Envelope): Map<readonly WrappedKey[], Derived> {
  let cache = derivedByEnvelope.get(envelope);
  if (!cache) {
    const created = new Map<readonly WrappedKey[], Derived>();
    cache = created;
    derivedByEnvelope.set(envelope, created);
    if (typeof envelope.onDestroy === 'function') {
      envelope.onDestroy(() => {
        for (const d of created.values()) zeroize(d);
        created.clear();
      });
    }
  }
  return cache;
}

function derive3(ikm: Uint8Array, aad: Buffer): Derived {
  const kek = derive(ikm, ENC_INFO);
  try {
    const dataKey = derive(ikm, PDK_INFO);
    const cipher = createCipheriv('aes-256-gcm', kek, ZERO_IV);
    cipher.setAAD(aad);
    const wrappedPdk = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
    return { aad, dataKey, wrappedPdk, signingKey: derive(ikm, MAC_INFO) };
  } finally {
    kek.fill(0);
  }
}

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
  const aad = contextAad(ec);
  const cache = derivedCache(envelope);
  let d = cache.get(wrappedKeys);
  try {
    if (!d || !d.aad.equals(aad)) {
      d = derive3(ikm, aad);
      cache.set(wrappedKeys, d);
      if (cache.size > MAX_DERIVED) {
        const [oldest, value] = cache.entries().next().value as [readonly WrappedKey[], Derived];
        cache.delete(oldest);
        zeroize(value);
      }
    }
  } finally {
    ikm.fill(0);
  }
  const dataKeys = wrappedKeys.map((w) => toHeaderDataKey(w, d.wrappedPdk));
  return {
    dataKey: Buffer.from(d.dataKey),
    dataKeys,
    signingKeys: dataKeys.map(() => Buffer.from(d.signingKey)),
    keyId: wrappedKeys[0]?.keyId ?? 'unknown',
  };
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
