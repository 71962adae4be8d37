import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';
import { PhisealError, type EncryptionContext, type Envelope, type WrappedKey } from '@phiseal/core';
import { decryptionFailed } from '../failures.js';
import { derivedCaches, type DerivedCache } from './derived-cache.js';
import type { HeaderDataKey } from './header.js';
import { hkdfExpand, hkdfExtract } from './hkdf.js';
import { copyHmacKey, destroyHmacKey, hmacKey, type HmacKey } from './hmac.js';
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

/**
 * What encrypting one record needs: the extracted data key (HKDF PRK, for the commit and field
 * root keys) and one padded signing key per recipient. The caller destroys `prk` and `tagKeys`.
 */
export type EncryptionMaterials = { readonly prk: HmacKey; readonly dataKeys: HeaderDataKey[]; readonly tagKeys: HmacKey[]; readonly keyId: string };

/** What decrypting one record needs. The caller destroys both keys. */
export type DecryptionMaterials = { readonly prk: HmacKey; readonly tagKey: HmacKey; readonly keyId: string };

/** What one intermediate key gives: the same for every item encrypted under that cached key and context. */
type Derived = { readonly aad: Buffer; readonly prk: HmacKey; readonly wrappedPdk: Buffer; readonly tagKey: HmacKey };

/** What one unwrapped intermediate key, wrapped data key and context give a reader. */
type Unwrapped = { readonly ikm: Buffer; readonly prk: HmacKey; readonly tagKey: HmacKey };

const MAX_DERIVED = 256;

// The writer's: per cached envelope data key (the envelope hands out the same `wrappedKeys`
// array for every cache hit), so a hit skips the HKDFs and the GCM wrap.
const derivedOf = derivedCaches<readonly WrappedKey[], Derived>((d) => {
  destroyHmacKey(d.prk);
  destroyHmacKey(d.tagKey);
}, MAX_DERIVED);

// The reader's: keyed by wrapped data key and context, and used only when the envelope
// unwrapped the same intermediate key (compared in constant time), so an entry is a pure
// memo of the derivation below; items written under one cached key skip the HKDFs and the
// GCM unwrap.
const unwrappedOf = derivedCaches<string, Unwrapped>((u) => {
  u.ikm.fill(0);
  destroyHmacKey(u.prk);
  destroyHmacKey(u.tagKey);
}, MAX_DERIVED);

// The MAC key of an intermediate key, padded for the recipient tag's HMAC-SHA384.
function tagKeyOf(ikmPrk: HmacKey): HmacKey {
  const mac = hkdfExpand(ikmPrk, KEY_BYTES, MAC_INFO);
  try {
    return hmacKey('sha384', mac);
  } finally {
    mac.fill(0);
  }
}

function derive3(ikm: Uint8Array, aad: Buffer): Derived {
  const ikmPrk = hkdfExtract(ikm);
  const kek = hkdfExpand(ikmPrk, KEY_BYTES, ENC_INFO);
  const dataKey = hkdfExpand(ikmPrk, KEY_BYTES, PDK_INFO);
  try {
    const cipher = createCipheriv('aes-256-gcm', kek, ZERO_IV);
    cipher.setAAD(aad);
    const wrappedPdk = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
    return { aad, prk: hkdfExtract(dataKey), wrappedPdk, tagKey: tagKeyOf(ikmPrk) };
  } finally {
    kek.fill(0);
    dataKey.fill(0);
    destroyHmacKey(ikmPrk);
  }
}

/**
 * Generates (or takes from the cache) the data key for context `ec` and wraps it per
 * recipient; `aad` is contextAad(ec).
 * @throws {@link PhisealError} as `envelope.dataKey` (KMS_UNAVAILABLE, KMS_KEY_UNUSABLE, PHI_DETECTED).
 * @example
 * ```ts
 * const m = await encryptionMaterials(envelope, ec, contextAad(ec));
 * ```
 */
export async function encryptionMaterials(envelope: Envelope, ec: EncryptionContext, aad: Buffer): Promise<EncryptionMaterials> {
  const { key: ikm, wrappedKeys } = await envelope.dataKey(ec, { messages: 1 });
  const cache = derivedOf(envelope);
  let d = cache.get(wrappedKeys);
  try {
    if (!d || !d.aad.equals(aad)) {
      d = derive3(ikm, aad);
      cache.set(wrappedKeys, d);
    }
  } finally {
    ikm.fill(0);
  }
  const dataKeys = wrappedKeys.map((w) => toHeaderDataKey(w, d.wrappedPdk));
  // Copies: another item's cache miss may evict (and zeroize) `d` before the caller is done.
  return {
    prk: copyHmacKey(d.prk),
    dataKeys,
    tagKeys: dataKeys.map(() => copyHmacKey(d.tagKey)),
    keyId: wrappedKeys[0]?.keyId ?? 'unknown',
  };
}

// The plaintext data key inside `wrappedPdk`, as the reader's keys. Zeroizes `ikm`.
function unwrap(ikm: Uint8Array, wrappedPdk: Buffer, aad: Buffer): Unwrapped {
  const ikmPrk = hkdfExtract(ikm);
  const kek = hkdfExpand(ikmPrk, KEY_BYTES, ENC_INFO);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, ZERO_IV);
    decipher.setAAD(aad);
    decipher.setAuthTag(wrappedPdk.subarray(KEY_BYTES));
    const dataKey = Buffer.concat([decipher.update(wrappedPdk.subarray(0, KEY_BYTES)), decipher.final()]);
    const prk = hkdfExtract(dataKey);
    dataKey.fill(0);
    return { ikm: Buffer.from(ikm), prk, tagKey: tagKeyOf(ikmPrk) };
  } catch (error) {
    throw decryptionFailed(error);
  } finally {
    kek.fill(0);
    destroyHmacKey(ikmPrk);
    ikm.fill(0);
  }
}

// The reader's keys from the cache when it holds this exact derivation, else derived (and kept).
function unwrappedKeys(cache: DerivedCache<string, Unwrapped>, ikm: Uint8Array, wrappedPdk: Buffer, aad: Buffer, keyId: string): DecryptionMaterials {
  // wrappedPdk has a fixed length, so the pair is unambiguous.
  const id = wrappedPdk.toString('latin1') + aad.toString('latin1');
  let u = cache.get(id);
  if (u && u.ikm.length === ikm.length && timingSafeEqual(u.ikm, ikm)) {
    ikm.fill(0);
  } else {
    u = unwrap(ikm, wrappedPdk, aad);
    cache.set(id, u);
  }
  // Copies: another item may evict (and zeroize) the entry before the caller is done.
  return { prk: copyHmacKey(u.prk), tagKey: copyHmacKey(u.tagKey), keyId };
}

const SKIPPABLE: ReadonlySet<string> = new Set(['KEY_NOT_ALLOWED', 'DECRYPTION_FAILED', 'CONTEXT_MISMATCH']);

/**
 * Unwraps the first header data key the envelope's provider may use, under context `ec`
 * (`aad` = contextAad(ec)).
 * @throws {@link PhisealError} DECRYPTION_FAILED (no usable or valid data key), KEY_NOT_ALLOWED
 * (no data key under an allowed key), KMS_UNAVAILABLE, KMS_KEY_UNUSABLE.
 * @example
 * ```ts
 * const m = await decryptionMaterials(envelope, header.dataKeys, ec, contextAad(ec));
 * ```
 */
export async function decryptionMaterials(envelope: Envelope, dataKeys: readonly HeaderDataKey[], ec: EncryptionContext, aad: Buffer): Promise<DecryptionMaterials> {
  const { ikm, parts } = await firstUnwrapped(envelope, dataKeys, ec);
  return unwrappedKeys(unwrappedOf(envelope), ikm, parts.wrappedPdk, aad, parts.wrapped.keyId);
}

/**
 * The intermediate key of the first header data key the envelope's provider may unwrap under
 * `ec`, with that data key's parts; the caller zeroizes `ikm`.
 * @throws {@link PhisealError} DECRYPTION_FAILED (no usable data key), KEY_NOT_ALLOWED (none
 * under an allowed key), KMS_UNAVAILABLE, KMS_KEY_UNUSABLE.
 * @example
 * ```ts
 * const { ikm, parts } = await firstUnwrapped(envelope, header.dataKeys, ec);
 * ```
 */
export async function firstUnwrapped(
  envelope: Envelope,
  dataKeys: readonly HeaderDataKey[],
  ec: EncryptionContext,
): Promise<{ ikm: Uint8Array; parts: NonNullable<ReturnType<typeof fromHeaderDataKey>> }> {
  let last: unknown;
  for (const k of dataKeys) {
    const parts = fromHeaderDataKey(k);
    if (!parts) continue;
    try {
      return { ikm: await envelope.unwrapDataKey([parts.wrapped], ec), parts };
    } catch (error) {
      // Another recipient's key, or a wrapping that fails under this context: try the next one.
      if (PhisealError.is(error) && SKIPPABLE.has(error.code)) {
        last = error;
        continue;
      }
      throw error;
    }
  }
  if (PhisealError.is(last) && last.code === 'KEY_NOT_ALLOWED') throw last;
  throw decryptionFailed();
}
