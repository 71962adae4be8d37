// Message body AAD (data-format/message-body-aad.md):
//   message id | body AAD content (UTF-8) | u32 sequence number | u64 content length
// and the frame IV (client-apis/encrypt.md "Construct the body"): the sequence number,
// big-endian, left-padded with zeros to 12 bytes.
import { IV_LENGTH } from './suites.js';

export const FRAME = Buffer.from('AWSKMSEncryptionClient Frame', 'utf8');
export const FINAL_FRAME = Buffer.from('AWSKMSEncryptionClient Final Frame', 'utf8');
export const SINGLE_BLOCK = Buffer.from('AWSKMSEncryptionClient Single Block', 'utf8');

export function bodyAad(messageId: Buffer, content: Buffer, sequence: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(messageId.length + content.length + 12);
  let at = messageId.copy(out, 0);
  at += content.copy(out, at);
  at = out.writeUInt32BE(sequence, at);
  out.writeUInt32BE(Math.floor(length / 2 ** 32), at);
  out.writeUInt32BE(length >>> 0, at + 4);
  return out;
}

/** Writes a frame IV into the 12 bytes of `iv`. */
export function writeFrameIv(iv: Buffer, sequence: number): void {
  iv.fill(0, 0, IV_LENGTH - 4);
  iv.writeUInt32BE(sequence, IV_LENGTH - 4);
}
