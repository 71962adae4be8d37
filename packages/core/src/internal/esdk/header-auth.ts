// Header authentication (data-format/message-header.md "Header Authentication";
// client-apis/encrypt.md "Construct the header", decrypt.md "Verify the header"): the
// AES-GCM tag of an empty plaintext under the derived key, with the header body (followed
// by the serialized "encryption context to only authenticate", which phiseal never uses,
// so empty) as AAD. v2 uses an all-zero IV and stores only the tag; v1 stores the IV too.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { decryptionFailed } from '../failures.js';
import { TAG_LENGTH } from './suites.js';

const cipherName = (key: Buffer): 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' =>
  key.length === 16 ? 'aes-128-gcm' : key.length === 24 ? 'aes-192-gcm' : 'aes-256-gcm';

export { cipherName };

/** The header authentication tag. */
export function headerTag(key: Buffer, iv: Buffer, body: Buffer): Buffer {
  const cipher = createCipheriv(cipherName(key), key, iv);
  cipher.setAAD(body);
  cipher.final();
  return cipher.getAuthTag();
}

/** Verifies the header tag (GCM's own check is constant time); DECRYPTION_FAILED otherwise. */
export function verifyHeader(key: Buffer, iv: Buffer, body: Buffer, tag: Buffer): void {
  try {
    const decipher = createDecipheriv(cipherName(key), key, iv, { authTagLength: TAG_LENGTH });
    decipher.setAAD(body);
    decipher.setAuthTag(tag);
    decipher.final();
  } catch {
    throw decryptionFailed();
  }
}
