import { createCipheriv } from 'node:crypto';
import { hkdfExpand } from './hkdf.js';
import type { HmacKey } from './hmac.js';
import { IV_BYTES, KEY_BYTES } from './suites.js';

// Key derivation of structured encryption (encrypt-path-structure.md "Calculate Cipherkey and
// Nonce", header.md "Commit Key"; Crypt.dfy): HKDF-SHA512 without salt from the plaintext data
// key, with info = label + message id, gives a commit key and a field root key. Both expand
// the same extracted key (`prk` = hkdfExtract(data key)), which the data-key cache keeps. Each encrypted
// attribute's 32-byte key and 12-byte nonce are the first 44 bytes of AES-256-CTR under the
// root key, counter block "AwsDbeField" || 0x2c || u32(3 * ordinal).

const LABEL_COMMIT = Buffer.from('AWS_DBE_COMMIT_KEY', 'ascii');
const LABEL_DERIVE = Buffer.from('AWS_DBE_DERIVE_KEY', 'ascii');
const FIELD_LABEL = Buffer.from('AwsDbeField', 'ascii');
const FIELD_KEY_BYTES = KEY_BYTES + IV_BYTES; // 44
const ZERO_STREAM = Buffer.alloc(FIELD_KEY_BYTES);
const MAX_ORDINAL = 1431655765; // Crypt.dfy ONE_THIRD_MAX_INT
// Counter block of ordinal 0, and zeros to encrypt into keystream (both only ever read).
const FIRST_COUNTER = Buffer.concat([FIELD_LABEL, Buffer.of(FIELD_KEY_BYTES), Buffer.alloc(4)]);
const ZEROS = Buffer.alloc(64 * 48);
const BLOCKS_PER_FIELD = 48; // three AES blocks per attribute

/**
 * The commit key of a record (header.md "Commit Key"); `prk` is the extracted data key. The caller zeroizes it.
 * @throws never
 * @example
 * ```ts
 * const commitKey = commitKeyOf(hkdfExtract(dataKey), messageId);
 * ```
 */
export function commitKeyOf(prk: HmacKey, messageId: Uint8Array): Buffer {
  return hkdfExpand(prk, KEY_BYTES, LABEL_COMMIT, messageId);
}

/**
 * The field root key of a record; `prk` is the extracted data key. The caller zeroizes it.
 * @throws never
 * @example
 * ```ts
 * const root = fieldRootKey(hkdfExtract(dataKey), messageId);
 * ```
 */
export function fieldRootKey(prk: HmacKey, messageId: Uint8Array): Buffer {
  return hkdfExpand(prk, KEY_BYTES, LABEL_DERIVE, messageId);
}

/** The field keys of one record: views of one keystream, which the caller zeroizes. */
export type FieldKeys = {
  readonly stream: Buffer;
  key(ordinal: number): Uint8Array;
  nonce(ordinal: number): Uint8Array;
};

/**
 * The AES-GCM keys and nonces of a record's first `count` encrypted attributes (ordinal =
 * position among them in canonical-path order). Attribute i's counter blocks are 3i, 3i+1 and
 * 3i+2, so one keystream of 48 bytes per attribute holds them all: attribute i takes bytes
 * 48i .. 48i+44 (32 of key, 12 of nonce). The caller zeroizes the returned stream.
 * @throws RangeError when count is out of range.
 * @example
 * ```ts
 * const keys = fieldKeys(root, 3); const key = keys.key(1), nonce = keys.nonce(1);
 * ```
 */
export function fieldKeys(root: Uint8Array, count: number): FieldKeys {
  if (!Number.isInteger(count) || count < 0 || count >= MAX_ORDINAL) throw new RangeError('ordinal');
  const zeros = count * BLOCKS_PER_FIELD <= ZEROS.length ? ZEROS.subarray(0, count * BLOCKS_PER_FIELD) : Buffer.alloc(count * BLOCKS_PER_FIELD);
  const stream = count === 0 ? Buffer.alloc(0) : createCipheriv('aes-256-ctr', root, FIRST_COUNTER).update(zeros);
  const from = (ordinal: number): number => {
    if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= count) throw new RangeError('ordinal');
    return ordinal * BLOCKS_PER_FIELD;
  };
  // Views of the stream, no pair object: the writer's and reader's loops ask for 2 per attribute.
  return {
    stream,
    key: (ordinal) => new Uint8Array(stream.buffer, stream.byteOffset + from(ordinal), KEY_BYTES),
    nonce: (ordinal) => new Uint8Array(stream.buffer, stream.byteOffset + from(ordinal) + KEY_BYTES, IV_BYTES),
  };
}

/**
 * The AES-GCM key and nonce of the encrypted attribute at `ordinal` alone (Crypt.dfy FieldKey:
 * the first 44 bytes of the keystream from counter block "AwsDbeField" || 0x2c || u32(3 · ordinal)).
 * The caller zeroizes `key`.
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
