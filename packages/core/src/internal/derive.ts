import { hkdfSync } from 'node:crypto';

// Key separation and commitment (docs/format.md §4). The data key never touches AES
// directly: the content key and the commitment are independent HKDF-SHA256 outputs, so
// publishing the commitment reveals nothing about the content key, and a ciphertext
// cannot be made to decrypt under two different data keys (the "invisible salamanders"
// attack on plain GCM) because the commitment must match first.
const ENC_INFO = Buffer.from('phiseal/v1 AES-256-GCM content key', 'utf8');
const COMMIT_INFO = Buffer.from('phiseal/v1 key commitment', 'utf8');
const NO_SALT = Buffer.alloc(0);

export type MessageKeys = { encKey: Buffer; commitment: Buffer };

export function deriveMessageKeys(dataKey: Uint8Array): MessageKeys {
  return {
    encKey: Buffer.from(hkdfSync('sha256', dataKey, NO_SALT, ENC_INFO, 32)),
    commitment: Buffer.from(hkdfSync('sha256', dataKey, NO_SALT, COMMIT_INFO, 32)),
  };
}
