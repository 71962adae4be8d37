import { randomBytes } from 'node:crypto';
import { GCM_TAG_BYTES, V2_IV_BYTES, V3_CONTENT_IV, V3_MESSAGE_ID_BYTES } from './constants.js';
import { createContentCipher, createContentDecipher, type ContentFormat, type ContentKey } from './content-cipher.js';
import type { ContentMetadata, WrapAlgorithm } from './content-metadata.js';
import { decryptionFailed } from './errors.js';
import { deriveAndVerifyV3Keys, deriveV3Keys } from './key-derivation.js';

/** Inputs of {@link prepareEncryption}; `nonce` fixes the IV / message id (known-answer tests only). */
export type EncryptionInputs = {
  format: ContentFormat;
  dataKey: Uint8Array;
  wrapAlgorithm: WrapAlgorithm;
  encryptedDataKey: Uint8Array;
  context: Record<string, string>;
  nonce?: Uint8Array;
};

/**
 * The per-object content key and the content metadata to store. V2 uses the data key
 * directly with a fresh random 12-byte IV; V3 draws a fresh 28-byte message id and derives
 * the content key and commitment with HKDF (spec encryption.md#content-encryption). The
 * returned `content.key` is a new buffer the caller zeroizes; `dataKey` is not modified.
 */
export function prepareEncryption(inputs: EncryptionInputs): { meta: ContentMetadata; content: ContentKey } {
  const base = {
    wrapAlgorithm: inputs.wrapAlgorithm,
    encryptedDataKey: inputs.encryptedDataKey,
    context: inputs.context,
  };
  if (inputs.format === 'v2') {
    const iv = inputs.nonce ?? randomBytes(V2_IV_BYTES);
    return {
      meta: { format: 'v2', ...base, iv },
      content: { format: 'v2', key: Buffer.from(inputs.dataKey), iv },
    };
  }
  const messageId = inputs.nonce ?? randomBytes(V3_MESSAGE_ID_BYTES);
  const derived = deriveV3Keys(inputs.dataKey, messageId);
  return {
    meta: { format: 'v3', ...base, messageId, commitment: derived.commitment },
    content: { format: 'v3', key: derived.encryptionKey, iv: V3_CONTENT_IV },
  };
}

/**
 * The content key for decrypting an object, from its metadata and unwrapped data key. For
 * V3 the commitment is checked (constant time) before the derived key is released.
 * @throws PhisealError `DECRYPTION_FAILED`.
 */
export function prepareDecryption(meta: ContentMetadata, dataKey: Uint8Array): ContentKey {
  if (meta.format === 'v2') {
    if (!meta.iv) throw decryptionFailed();
    return { format: 'v2', key: Buffer.from(dataKey), iv: meta.iv };
  }
  if (!meta.messageId || !meta.commitment) throw decryptionFailed();
  return { format: 'v3', key: deriveAndVerifyV3Keys(dataKey, meta.messageId, meta.commitment), iv: V3_CONTENT_IV };
}

/** Encrypts a whole body in memory: ciphertext || 16-byte tag. Zeroizes `content.key`. */
export function sealBytes(content: ContentKey, plaintext: Uint8Array): Buffer {
  const cipher = createContentCipher(content);
  content.key.fill(0);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/**
 * Decrypts a whole body in memory. Zeroizes `content.key`.
 * @throws PhisealError `DECRYPTION_FAILED` for a short body or a tag that does not verify.
 */
export function openBytes(content: ContentKey, body: Uint8Array): Buffer {
  const decipher = createContentDecipher(content);
  content.key.fill(0);
  if (body.length < GCM_TAG_BYTES) throw decryptionFailed();
  const split = body.length - GCM_TAG_BYTES;
  decipher.setAuthTag(body.subarray(split));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, split)), decipher.final()]);
  } catch (error) {
    throw decryptionFailed(error);
  }
}
