// Non-framed message body (data-format/message-body.md "Non-Framed Data"), read only:
//   IV (12) | u64 encrypted content length | encrypted content | tag (16)
// The body AAD content is "AWSKMSEncryptionClient Single Block" with sequence number 1.
import { createDecipheriv } from 'node:crypto';
import { decryptionFailed, malformed } from '../failures.js';
import { SINGLE_BLOCK, bodyAad } from './body-aad.js';
import { cipherName } from './header-auth.js';
import { IV_LENGTH, TAG_LENGTH } from './suites.js';

/** GCM's limit for one invocation (2^36 - 32 bytes), which the spec applies to a non-framed body. */
const MAX_CONTENT = 2 ** 36 - 32;

export type NonFramedLayout = { iv: Buffer; content: Buffer; tag: Buffer; length: number };

/** Lays out a non-framed body at `at`; undefined when `bytes` ends first. */
export function readNonFramed(bytes: Buffer, at: number): NonFramedLayout | undefined {
  const head = IV_LENGTH + 8;
  if (at + head > bytes.length) return undefined;
  const high = bytes.readUInt32BE(at + IV_LENGTH);
  const length = high * 2 ** 32 + bytes.readUInt32BE(at + IV_LENGTH + 4);
  if (length > MAX_CONTENT) throw malformed();
  const end = at + head + length + TAG_LENGTH;
  if (end > bytes.length) return undefined;
  return {
    iv: bytes.subarray(at, at + IV_LENGTH),
    content: bytes.subarray(at + head, at + head + length),
    tag: bytes.subarray(end - TAG_LENGTH, end),
    length: end - at,
  };
}

export function openNonFramed(key: Buffer, messageId: Buffer, body: NonFramedLayout): Buffer {
  try {
    const decipher = createDecipheriv(cipherName(key), key, body.iv, { authTagLength: TAG_LENGTH });
    decipher.setAAD(bodyAad(messageId, SINGLE_BLOCK, 1, body.content.length));
    decipher.setAuthTag(body.tag);
    const out = decipher.update(body.content);
    decipher.final();
    return out;
  } catch {
    throw decryptionFailed();
  }
}
