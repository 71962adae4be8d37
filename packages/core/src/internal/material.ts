import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CachedMaterial } from '../data-key-cache.js';
import type { WrappedKey } from '../key-provider.js';
import { deriveMessageKeys } from './derive.js';
import type { EsdkSealingFields } from './esdk/materials.js';
import { decryptionFailed } from './failures.js';
import { IV_LENGTH, TAG_LENGTH, type MessageLayout } from './message-format.js';

/** A cached data key with its derived content key and commitment. */
export type KeyMaterial = CachedMaterial & {
  dataKey: Buffer;
  encKey: Buffer;
  commitment: Buffer;
  keyId: string;
  /** The decoded context this key was unwrapped under (decryption entries), so cache hits skip decoding it. */
  context?: Readonly<Record<string, string>>;
};

/**
 * Encryption material also carries the wrapped keys and the ready-made compact header; the
 * ESDK fields are filled in when the same data key first writes an ESDK message.
 */
export type SealingMaterial = KeyMaterial & { wrapped: readonly WrappedKey[]; header: Buffer } & Omit<EsdkSealingFields, 'dataKey' | 'wrapped'>;

export function keyMaterial(dataKey: Uint8Array, keyId: string, context?: Readonly<Record<string, string>>): KeyMaterial {
  const own = Buffer.alloc(32);
  own.set(dataKey);
  const { encKey, commitment } = deriveMessageKeys(own);
  const material: KeyMaterial = { dataKey: own, encKey, commitment, keyId, secrets: [own, encKey] };
  if (context) material.context = Object.freeze({ ...context });
  return material;
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
  const { header } = material;
  const iv = fixedIv ?? nextIv();
  const cipher = createCipheriv('aes-256-gcm', material.encKey, iv);
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
  if (!timingSafeEqual(material.commitment, message.commitment)) throw decryptionFailed();
  try {
    const decipher = createDecipheriv('aes-256-gcm', material.encKey, message.iv, { authTagLength: TAG_LENGTH });
    decipher.setAAD(message.header);
    decipher.setAuthTag(message.tag);
    const body = decipher.update(message.ciphertext);
    decipher.final();
    return body;
  } catch {
    throw decryptionFailed();
  }
}
