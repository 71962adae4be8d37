import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Guard } from '@phiseal/guard';
import type { CachedMaterial } from '../data-key-cache.js';
import { copyPairs } from './context-text.js';
import type { EncryptionContext, WrappedKey } from '../key-provider.js';
import { deriveMessageKeys, type MessageKeys } from './derive.js';
import type { EsdkSealingFields } from './esdk/materials.js';
import { decryptionFailed } from './failures.js';
import { IV_LENGTH, TAG_LENGTH, buildHeader, type MessageLayout } from './message-format.js';

/**
 * A cached data key. The compact format's content key and commitment (docs/format.md §4) are
 * derived on first compact use, not on the cache miss: adapters that only take data keys
 * (`envelope.dataKey`, DB-ESDK items, S3 objects) and ESDK messages never use them, and the
 * two HKDFs were the largest single cost of a miss.
 */
export type KeyMaterial = CachedMaterial & {
  dataKey: Buffer;
  keyId: string;
  /** Zeroized when the entry leaves the cache; the compact content key joins it once derived. */
  readonly secrets: Uint8Array[];
  /** The compact format's keys, once {@link compactKeys} derived them. */
  messageKeys?: MessageKeys;
  /** The decoded context this key was unwrapped under (decryption entries), so cache hits skip decoding it. */
  context?: Readonly<Record<string, string>>;
};

/**
 * Encryption material also carries the wrapped keys and the context they were generated under
 * (a frozen copy: the caller may change its object after the call). The compact header is
 * built on first compact use; the ESDK fields are filled in when the same data key first
 * writes an ESDK message.
 */
export type SealingMaterial = KeyMaterial & {
  wrapped: readonly WrappedKey[];
  storedContext: Readonly<EncryptionContext>;
  /** The guard that checked the context when this entry was loaded. */
  guardedBy?: Guard;
  /** Guards of other envelopes sharing the cache that passed the context on a hit (see guardHit). */
  alsoGuardedBy?: WeakSet<Guard>;
  header?: Buffer;
} & Omit<EsdkSealingFields, 'dataKey' | 'wrapped'>;

/** A frozen copy of `context` (a frozen object is shared as it is: it cannot change). */
export const frozenContext = (context: EncryptionContext): Readonly<EncryptionContext> =>
  Object.isFrozen(context) ? context : Object.freeze(copyPairs(context));

export function keyMaterial(dataKey: Uint8Array, keyId: string, context?: EncryptionContext): KeyMaterial {
  const own = Buffer.alloc(32);
  own.set(dataKey);
  // One literal per shape: a context added afterwards took an out-of-object property store.
  if (context) return { dataKey: own, keyId, secrets: [own], context: frozenContext(context) };
  return { dataKey: own, keyId, secrets: [own] };
}

/**
 * The compact format's content key and commitment, derived once per cached data key. Called
 * only while the entry is reserved (synchronously, inside the cache's `consume`), so the data
 * key has not been zeroized, and the content key is zeroized with the entry.
 */
export function compactKeys(material: KeyMaterial): MessageKeys {
  let keys = material.messageKeys;
  if (!keys) {
    keys = deriveMessageKeys(material.dataKey);
    material.secrets.push(keys.encKey);
    material.messageKeys = keys;
  }
  return keys;
}

/** The compact header of a cached data key (docs/format.md §2), built on first compact use. */
export function compactHeader(material: SealingMaterial): Buffer {
  material.header ??= buildHeader(material.wrapped, material.storedContext, compactKeys(material).commitment);
  return material.header;
}

// IVs come from a pooled CSPRNG buffer: one randomBytes call per 512 messages instead of
// one per message. Each IV is used once and copied before the pool is refilled.
let pool = Buffer.alloc(0);
let poolOffset = 0;
function nextIv(): Buffer {
  if (poolOffset + IV_LENGTH > pool.length) {
    pool = randomBytes(IV_LENGTH * 512);
    poolOffset = 0;
  }
  const iv = pool.subarray(poolOffset, poolOffset + IV_LENGTH);
  poolOffset += IV_LENGTH;
  return iv;
}

/** `fixedIv` exists only for known-answer vectors; production calls never pass it. */
export function seal(material: SealingMaterial, plaintext: Uint8Array, fixedIv?: Buffer): Buffer {
  const header = compactHeader(material);
  const iv = fixedIv ?? nextIv();
  const cipher = createCipheriv('aes-256-gcm', compactKeys(material).encKey, iv);
  cipher.setAAD(header);
  const body = cipher.update(plaintext);
  cipher.final();
  const out = Buffer.allocUnsafe(header.length + IV_LENGTH + body.length + TAG_LENGTH);
  header.copy(out, 0);
  iv.copy(out, header.length);
  body.copy(out, header.length + IV_LENGTH);
  cipher.getAuthTag().copy(out, header.length + IV_LENGTH + body.length);
  return out;
}

export function open(material: KeyMaterial, message: MessageLayout): Buffer {
  // Commitment first, in constant time: a ciphertext crafted to decrypt under two keys
  // fails here, before GCM (whose tag alone does not commit to the key).
  const { encKey, commitment } = compactKeys(material);
  if (!timingSafeEqual(commitment, message.commitment)) throw decryptionFailed();
  try {
    const decipher = createDecipheriv('aes-256-gcm', encKey, message.iv, { authTagLength: TAG_LENGTH });
    decipher.setAAD(message.header);
    decipher.setAuthTag(message.tag);
    const body = decipher.update(message.ciphertext);
    decipher.final();
    return body;
  } catch {
    throw decryptionFailed();
  }
}
