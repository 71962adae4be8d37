import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';
import { PhisealError, type EncryptionContext, type Envelope, type WrappedKey } from '@phiseal/core';
import { decryptionFailed } from '../failures.js';
import { derivedCaches } from './derived-cache.js';
import type { HeaderDataKey } from './header.js';
import { hkdfExpand, hkdfExtract } from './hkdf.js';
import { destroyHmacKey, hmacKey, type HmacKey } from './hmac.js';
import { IV_BYTES, KEY_BYTES, TAG_BYTES } from './suites.js';
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
 * root keys) and the recipient tags' padded signing key (the same for every recipient: they
 * all wrap one intermediate key). Lent to a synchronous callback: never kept, never destroyed
 * by the borrower.
 */
export type EncryptionMaterials = { readonly prk: HmacKey; readonly dataKeys: HeaderDataKey[]; readonly tagKey: HmacKey; readonly keyId: string };

/** What decrypting one record needs; lent like {@link EncryptionMaterials}. */
export type DecryptionMaterials = { readonly prk: HmacKey; readonly tagKey: HmacKey; readonly keyId: string };

/** What one intermediate key gives: the same for every item encrypted under that cached key and context. */
type Derived = { readonly aad: Buffer; readonly prk: HmacKey; readonly wrappedPdk: Buffer; readonly tagKey: HmacKey };

/** What one unwrapped intermediate key, wrapped data key and context (`aad`) give a reader. */
type Unwrapped = { readonly ikm: Uint8Array; readonly aad: Buffer; readonly prk: HmacKey; readonly tagKey: HmacKey };

const MAX_DERIVED = 256;

// The writer's: per cached envelope data key (the envelope hands out the same `wrappedKeys`
// array for every cache hit), so a hit skips the HKDFs and the GCM wrap.
function destroyDerived(d: Derived): void {
  destroyHmacKey(d.prk);
  destroyHmacKey(d.tagKey);
}

const derivedOf = derivedCaches<readonly WrappedKey[], Derived>(destroyDerived, MAX_DERIVED);

// A data key handed out for the first time (an envelope cache miss: every distinct item) is
// rarely handed out again, so its derivation is used once and zeroized, not kept: keeping
// every one cost an insert, an eviction and retained buffers per distinct item. The second
// time the envelope hands out the same wrappings (a cache hit), the derivation is kept for
// the hits after it. Weak: an array is remembered only while the envelope's cache holds it.
const seenOnce = new WeakSet<readonly WrappedKey[]>();

const destroyUnwrapped = (u: Unwrapped): void => {
  u.ikm.fill(0);
  destroyHmacKey(u.prk);
  destroyHmacKey(u.tagKey);
};

// The reader's: keyed by the wrapped data key, and used only for the same context and when
// the envelope unwrapped the same intermediate key (compared in constant time), so an entry
// is a pure memo of the derivation below; items written under one cached key skip the HKDFs
// and the GCM unwrap.
const unwrappedOf = derivedCaches<string, Unwrapped>(destroyUnwrapped, MAX_DERIVED);

/** An intermediate key's keys (algorithm-suites.md "Intermediate Key Wrapping"); the caller zeroizes them. */
export type IntermediateKeys = {
  /** Wraps the plaintext data key (info AWS_MPL_INTERMEDIATE_KEYWRAP_ENC). */
  readonly kek: Buffer;
  /** The recipient tags' HMAC-SHA384 key (info AWS_MPL_INTERMEDIATE_KEYWRAP_MAC), padded. */
  readonly tagKey: HmacKey;
  /** phiseal's plaintext data key under this intermediate key, when asked for (see the top of this file). */
  readonly dataKey: Buffer | undefined;
};

/**
 * The wrapping key and recipient-tag key of intermediate key `ikm` (one HKDF extraction for
 * both), and with `withDataKey` the plaintext data key a writer derives from it.
 * @throws never
 * @example
 * ```ts
 * const { kek, tagKey } = intermediateKeys(ikm);
 * ```
 */
export function intermediateKeys(ikm: Uint8Array, withDataKey = false): IntermediateKeys {
  const prk = hkdfExtract(ikm);
  const mac = hkdfExpand(prk, KEY_BYTES, MAC_INFO);
  try {
    return {
      kek: hkdfExpand(prk, KEY_BYTES, ENC_INFO),
      tagKey: hmacKey('sha384', mac),
      dataKey: withDataKey ? hkdfExpand(prk, KEY_BYTES, PDK_INFO) : undefined,
    };
  } finally {
    mac.fill(0);
    destroyHmacKey(prk);
  }
}

/**
 * The 48-byte wrapped plaintext data key: AES-256-GCM under `kek`, IV 0, AAD = the context.
 * IV 0 is the MPL's; it is safe because one `kek` never wraps two different data keys.
 * @throws never
 * @example
 * ```ts
 * const wrappedPdk = wrapDataKey(kek, dataKey, aad);
 * ```
 */
export function wrapDataKey(kek: Buffer, dataKey: Buffer, aad: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', kek, ZERO_IV);
  cipher.setAAD(aad);
  const out = Buffer.allocUnsafe(KEY_BYTES + TAG_BYTES); // every byte written below
  cipher.update(dataKey).copy(out, 0);
  cipher.final();
  cipher.getAuthTag().copy(out, KEY_BYTES);
  return out;
}

/**
 * The plaintext data key inside `wrappedPdk` (the caller zeroizes it).
 * @throws Error when the tag does not verify (callers map it to their one decryption failure).
 * @example
 * ```ts
 * const dataKey = unwrapDataKey(kek, wrappedPdk, aad);
 * ```
 */
export function unwrapDataKey(kek: Buffer, wrappedPdk: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', kek, ZERO_IV);
  decipher.setAAD(aad);
  decipher.setAuthTag(wrappedPdk.subarray(KEY_BYTES));
  const dataKey = decipher.update(wrappedPdk.subarray(0, KEY_BYTES));
  try {
    decipher.final();
  } catch (error) {
    dataKey.fill(0);
    throw error;
  }
  return dataKey;
}

function derive3(ikm: Uint8Array, aad: Buffer): Derived {
  const { kek, tagKey, dataKey } = intermediateKeys(ikm, true);
  try {
    return { aad, prk: hkdfExtract(dataKey!), wrappedPdk: wrapDataKey(kek, dataKey!, aad), tagKey };
  } finally {
    kek.fill(0);
    dataKey!.fill(0);
  }
}

/**
 * Generates (or takes from the cache) the data key for context `ec` (`aad` = contextAad(ec)),
 * wraps it per recipient, and lends the materials to `use`, which must be synchronous: the
 * keys are the cache's own (no copy per item), and nothing can evict them while `use` runs.
 * @throws {@link PhisealError} as `envelope.dataKey` (KMS_UNAVAILABLE, KMS_KEY_UNUSABLE,
 * PHI_DETECTED), and what `use` throws.
 * @example
 * ```ts
 * const header = await withEncryptionMaterials(envelope, ec, contextAad(ec), (m) => headerOf(m));
 * ```
 */
export async function withEncryptionMaterials<T>(envelope: Envelope, ec: EncryptionContext, aad: Buffer, use: (m: EncryptionMaterials) => T): Promise<T> {
  const { key: ikm, wrappedKeys } = await envelope.dataKey(ec, { messages: 1 });
  const cache = derivedOf(envelope);
  let d = cache.get(wrappedKeys);
  let transient: Derived | undefined;
  try {
    if (!d || !d.aad.equals(aad)) {
      d = derive3(ikm, aad);
      if (seenOnce.has(wrappedKeys)) cache.set(wrappedKeys, d);
      else {
        seenOnce.add(wrappedKeys);
        transient = d;
      }
    }
  } finally {
    ikm.fill(0);
  }
  try {
    const { prk, tagKey, wrappedPdk } = d;
    return use({ prk, tagKey, dataKeys: wrappedKeys.map((w) => toHeaderDataKey(w, wrappedPdk)), keyId: wrappedKeys[0]?.keyId ?? 'unknown' });
  } finally {
    if (transient) destroyDerived(transient);
  }
}

// The plaintext data key inside `wrappedPdk`, as the reader's keys. They keep `ikm` (the
// envelope's copy, owned by the caller: zeroized with the entry), and `aad` (read-only).
function unwrap(ikm: Uint8Array, wrappedPdk: Buffer, aad: Buffer): Unwrapped {
  const { kek, tagKey } = intermediateKeys(ikm);
  try {
    const dataKey = unwrapDataKey(kek, wrappedPdk, aad);
    const prk = hkdfExtract(dataKey);
    dataKey.fill(0);
    return { ikm, aad, prk, tagKey };
  } catch (error) {
    destroyHmacKey(tagKey);
    ikm.fill(0);
    throw decryptionFailed(error);
  } finally {
    kek.fill(0);
  }
}

// Which wrapped data keys the reader has seen (ids only, no key material). An item's keys are
// kept from its second read on: reads of distinct items never repeat, and an entry per read
// kept key material, and a few hundred bytes that outlive the young generation, for nothing.
const seenOf = derivedCaches<string, true>(() => undefined, 4 * MAX_DERIVED);

// The reader's keys from the cache when it holds this exact derivation, else derived (and kept
// when this wrapped data key was seen before); not `kept`: the caller destroys them after use.
function unwrappedKeys(envelope: Envelope, ikm: Uint8Array, wrappedPdk: Buffer, aad: Buffer): { keys: Unwrapped; kept: boolean } {
  const cache = unwrappedOf(envelope);
  // The wrapped data key alone names an entry; the context and the intermediate key must match too.
  const id = wrappedPdk.toString('latin1');
  const u = cache.get(id);
  if (u && u.aad.equals(aad) && u.ikm.length === ikm.length && timingSafeEqual(u.ikm, ikm)) {
    ikm.fill(0);
    return { keys: u, kept: true };
  }
  const fresh = unwrap(ikm, wrappedPdk, aad);
  const seen = seenOf(envelope);
  if (!seen.get(id)) {
    seen.set(id, true);
    return { keys: fresh, kept: false };
  }
  cache.set(id, fresh);
  return { keys: fresh, kept: true };
}

/**
 * Unwraps the first header data key the envelope's provider may use, under context `ec`
 * (`aad` = contextAad(ec)), and lends the reader's keys to `use`, which must be synchronous
 * (as {@link withEncryptionMaterials}).
 * @throws {@link PhisealError} DECRYPTION_FAILED (no usable or valid data key), KEY_NOT_ALLOWED
 * (no data key under an allowed key), KMS_UNAVAILABLE, KMS_KEY_UNUSABLE, and what `use` throws.
 * @example
 * ```ts
 * const item = await withDecryptionMaterials(envelope, header.dataKeys, ec, contextAad(ec), (m) => open(m));
 * ```
 */
export async function withDecryptionMaterials<T>(
  envelope: Envelope,
  dataKeys: readonly HeaderDataKey[],
  ec: EncryptionContext,
  aad: Buffer,
  use: (m: DecryptionMaterials) => T,
): Promise<T> {
  const { ikm, parts } = await firstUnwrapped(envelope, dataKeys, ec);
  const { keys, kept } = unwrappedKeys(envelope, ikm, parts.wrappedPdk, aad);
  try {
    return use({ prk: keys.prk, tagKey: keys.tagKey, keyId: parts.wrapped.keyId });
  } finally {
    if (!kept) destroyUnwrapped(keys);
  }
}

const SKIPPABLE: ReadonlySet<string> = new Set(['KEY_NOT_ALLOWED', 'DECRYPTION_FAILED', 'CONTEXT_MISMATCH']);

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
