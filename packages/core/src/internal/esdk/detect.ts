// Which format a stored ciphertext is in, from its first bytes. The compact format starts
// with version 1 and algorithm 1 (message) or 2 (stream); an ESDK message starts with
// version 2, or version 1 followed by the type byte 0x80 (data-format/message-header.md).
// No valid message of one format is a valid prefix of the other.
import { toBuffer } from '../bytes.js';
import { malformed } from '../failures.js';
import { STRING_PREFIX, fromCompactString } from '../message-format.js';

export type DetectedFormat = 'compact' | 'esdk';

export function detectFormat(bytes: Uint8Array): DetectedFormat {
  if (bytes[0] === 2 || (bytes[0] === 1 && bytes[1] === 0x80)) return 'esdk';
  if (bytes[0] === 1 && (bytes[1] === 1 || bytes[1] === 2)) return 'compact';
  throw malformed();
}

/** Base64 of an ESDK message, strictly: one string per message. */
export function fromEsdkString(text: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  // Node's decoder skips invalid characters; re-encoding refuses every other spelling.
  if (bytes.toString('base64') !== text) throw malformed();
  return bytes;
}

export const toEsdkString = (message: Uint8Array): string => toBuffer(message).toString('base64');

/** The bytes of a ciphertext given as bytes or as either string form. */
export function ciphertextBytes(input: Uint8Array | string): { bytes: Buffer; format: DetectedFormat } {
  if (typeof input === 'string') {
    if (input.startsWith(STRING_PREFIX)) return { bytes: fromCompactString(input), format: 'compact' };
    const bytes = fromEsdkString(input);
    if (detectFormat(bytes) !== 'esdk') throw malformed();
    return { bytes, format: 'esdk' };
  }
  const bytes = toBuffer(input);
  return { bytes, format: detectFormat(bytes) };
}
