import { hkdfSync, timingSafeEqual } from 'node:crypto';
import { DATA_KEY_BYTES, V3_COMMITMENT_BYTES, V3_MESSAGE_ID_BYTES, V3_SUITE_ID_BYTES } from './constants.js';
import { decryptionFailed } from './errors.js';

/** The V3 derived encryption key and key commitment of one object. The caller zeroizes `encryptionKey`. */
export type DerivedKeys = {
  encryptionKey: Buffer;
  commitment: Buffer;
};

function info(label: string): Buffer {
  return Buffer.concat([V3_SUITE_ID_BYTES, Buffer.from(label, 'utf8')]);
}

/**
 * HKDF-SHA512 for ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY (spec key-derivation.md#hkdf-operation):
 * extract with salt = the 28-byte message id and IKM = the 32-byte data key; expand with
 * info = suite id bytes || "DERIVEKEY" (32 bytes) and suite id bytes || "COMMITKEY" (28 bytes).
 * Because every object draws a fresh random message id, every object gets its own content
 * key, which is what makes reusing a cached data key across objects safe in V3.
 */
export function deriveV3Keys(dataKey: Uint8Array, messageId: Uint8Array): DerivedKeys {
  if (dataKey.length !== DATA_KEY_BYTES || messageId.length !== V3_MESSAGE_ID_BYTES) throw decryptionFailed();
  const encryptionKey = Buffer.from(hkdfSync('sha512', dataKey, messageId, info('DERIVEKEY'), DATA_KEY_BYTES));
  const commitment = Buffer.from(hkdfSync('sha512', dataKey, messageId, info('COMMITKEY'), V3_COMMITMENT_BYTES));
  return { encryptionKey, commitment };
}

/**
 * Derives the V3 keys and checks the stored commitment in constant time before the
 * content key is used (spec decryption.md#decrypting-with-commitment).
 * @throws PhisealError `DECRYPTION_FAILED` when the commitment does not match.
 */
export function deriveAndVerifyV3Keys(dataKey: Uint8Array, messageId: Uint8Array, storedCommitment: Uint8Array): Buffer {
  const derived = deriveV3Keys(dataKey, messageId);
  const ok =
    storedCommitment.length === derived.commitment.length && timingSafeEqual(storedCommitment, derived.commitment);
  if (!ok) {
    derived.encryptionKey.fill(0);
    throw decryptionFailed();
  }
  return derived.encryptionKey;
}
