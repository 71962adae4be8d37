import { createCipheriv, hkdfSync } from 'node:crypto';
import { IV_BYTES, KEY_BYTES } from './suites.js';

// Key derivation of structured encryption (encrypt-path-structure.md "Calculate Cipherkey and
// Nonce", header.md "Commit Key"; Crypt.dfy): HKDF-SHA512 without salt from the plaintext data
// key, with info = label + message id, gives a commit key and a field root key. Each encrypted
// attribute's 32-byte key and 12-byte nonce are the first 44 bytes of AES-256-CTR under the
// root key, counter block "AwsDbeField" || 0x2c || u32(3 * ordinal).

const LABEL_COMMIT = Buffer.from('AWS_DBE_COMMIT_KEY', 'ascii');
const LABEL_DERIVE = Buffer.from('AWS_DBE_DERIVE_KEY', 'ascii');
const FIELD_LABEL = Buffer.from('AwsDbeField', 'ascii');
const FIELD_KEY_BYTES = KEY_BYTES + IV_BYTES; // 44
const ZERO_STREAM = Buffer.alloc(FIELD_KEY_BYTES);
const MAX_ORDINAL = 1431655765; // Crypt.dfy ONE_THIRD_MAX_INT

function hkdf(key: Uint8Array, label: Buffer, messageId: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha512', key, Buffer.alloc(0), Buffer.concat([label, messageId]), KEY_BYTES));
}

/**
 * The commit key of a record (header.md "Commit Key").
 * @throws never
 * @example
 * ```ts
 * const commitKey = commitKeyOf(dataKey, messageId);
 * ```
 */
export function commitKeyOf(dataKey: Uint8Array, messageId: Uint8Array): Buffer {
  return hkdf(dataKey, LABEL_COMMIT, messageId);
}

/**
 * The field root key of a record. The caller zeroizes it.
 * @throws never
 * @example
 * ```ts
 * const root = fieldRootKey(dataKey, messageId);
 * ```
 */
export function fieldRootKey(dataKey: Uint8Array, messageId: Uint8Array): Buffer {
  return hkdf(dataKey, LABEL_DERIVE, messageId);
}

/**
 * The AES-GCM key and nonce of the encrypted attribute at `ordinal` (its position among the
 * record's encrypted attributes sorted by canonical path). The caller zeroizes `key`.
 * @throws RangeError when ordinal is out of range.
 * @example
 * ```ts
 * const { key, nonce } = fieldKey(root, 0);
 * ```
 */
export function fieldKey(root: Uint8Array, ordinal: number): { key: Buffer; nonce: Buffer } {
  if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= MAX_ORDINAL) throw new RangeError('ordinal');
  const counter = Buffer.alloc(16);
  FIELD_LABEL.copy(counter, 0);
  counter[11] = FIELD_KEY_BYTES;
  counter.writeUInt32BE(ordinal * 3, 12);
  const stream = createCipheriv('aes-256-ctr', root, counter).update(ZERO_STREAM);
  return { key: stream.subarray(0, KEY_BYTES), nonce: stream.subarray(KEY_BYTES) };
}
