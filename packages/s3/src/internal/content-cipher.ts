import { createCipheriv, createDecipheriv, type CipherGCM, type DecipherGCM } from 'node:crypto';
import { GCM_TAG_BYTES, V3_CONTENT_IV, V3_SUITE_ID_BYTES } from './constants.js';

/** The content algorithm of an object: V2 = ALG_AES_256_GCM_IV12_TAG16_NO_KDF, V3 = ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY. */
export type ContentFormat = 'v2' | 'v3';

/** What the content cipher needs: the key actually fed to AES (the data key for V2, the derived key for V3) and the IV. */
export type ContentKey = {
  format: ContentFormat;
  key: Uint8Array;
  iv: Uint8Array;
};

/**
 * An AES-256-GCM encryptor for the object body. V2 uses no AAD (spec encryption.md
 * #alg-aes-256-gcm-iv12-tag16-no-kdf); V3 uses the fixed all-0x01 IV and the suite id as
 * AAD (spec key-derivation.md#hkdf-operation). The body on S3 is ciphertext || 16-byte tag.
 */
export function createContentCipher(content: ContentKey): CipherGCM {
  const cipher = createCipheriv('aes-256-gcm', content.key, content.iv, { authTagLength: GCM_TAG_BYTES });
  if (content.format === 'v3') cipher.setAAD(V3_SUITE_ID_BYTES);
  return cipher;
}

/** The matching decryptor; the caller sets the tag (the body's last 16 bytes) before `final()`. */
export function createContentDecipher(content: ContentKey): DecipherGCM {
  const decipher = createDecipheriv('aes-256-gcm', content.key, content.iv, { authTagLength: GCM_TAG_BYTES });
  if (content.format === 'v3') decipher.setAAD(V3_SUITE_ID_BYTES);
  return decipher;
}

/** V3's content IV is fixed; V2's is the stored random IV. */
export function contentIv(format: ContentFormat, storedIv: Uint8Array | undefined): Uint8Array {
  return format === 'v3' ? V3_CONTENT_IV : (storedIv ?? new Uint8Array(0));
}
