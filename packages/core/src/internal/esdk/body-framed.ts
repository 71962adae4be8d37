// Framed message body (data-format/message-body.md "Framed Data").
//   regular frame: u32 sequence number | IV (12) | encrypted content (frame length) | tag (16)
//   final frame:   u32 0xFFFFFFFF | u32 sequence number | IV (12) | u32 content length
//                  | encrypted content | tag (16)
// Sequence numbers start at 1 and grow by one; the final frame is always present (it may be
// empty), so a message cut at a frame boundary fails (client-apis/decrypt.md "Decrypt the
// message body"). Every full frame of plaintext is a regular frame, so the final frame holds
// 0 to frame length - 1 bytes, as the JavaScript and Python SDKs write it: the Python SDK
// before 4.0 (and the aws-encryption-cli on it) refuses a final frame of the full frame
// length. A full final frame is still read (the spec allows it; Python 4 and others write it).
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { decryptionFailed, malformed } from '../failures.js';
import { FINAL_FRAME, FRAME, bodyAad, writeFrameIv } from './body-aad.js';
import { cipherName } from './header-auth.js';
import { IV_LENGTH, TAG_LENGTH } from './suites.js';

export const SEQUENCE_END = 0xffffffff;
/** The last usable sequence number (0xFFFFFFFF marks the final frame). */
export const MAX_SEQUENCE = 0xfffffffe;
const REGULAR_OVERHEAD = 4 + IV_LENGTH + TAG_LENGTH;
const FINAL_OVERHEAD = 8 + IV_LENGTH + 4 + TAG_LENGTH;

/** Bytes a framed body of `size` plaintext bytes takes. */
export function framedBodyLength(size: number, frameLength: number): number {
  // A plaintext that is a multiple of the frame length ends with an empty final frame.
  const regular = Math.floor(size / frameLength);
  return regular * (frameLength + REGULAR_OVERHEAD) + (size - regular * frameLength) + FINAL_OVERHEAD;
}

/** Encrypts one frame into `out` at `at`; returns the new offset. */
export function writeFrame(
  out: Buffer,
  at: number,
  key: Buffer,
  messageId: Buffer,
  sequence: number,
  final: boolean,
  plaintext: Uint8Array,
): number {
  if (sequence > MAX_SEQUENCE) throw malformed();
  if (final) at = out.writeUInt32BE(SEQUENCE_END, at);
  at = out.writeUInt32BE(sequence, at);
  // The IV is written in place (client-apis/encrypt.md: the sequence number, big-endian,
  // left-padded with zeros to 12 bytes) and read back from there: no per-frame IV buffer.
  const iv = out.subarray(at, at + IV_LENGTH);
  writeFrameIv(iv, sequence);
  at += IV_LENGTH;
  if (final) at = out.writeUInt32BE(plaintext.length, at);
  const cipher = createCipheriv(cipherName(key), key, iv);
  cipher.setAAD(bodyAad(messageId, final ? FINAL_FRAME : FRAME, sequence, plaintext.length));
  at += cipher.update(plaintext).copy(out, at);
  cipher.final();
  return at + cipher.getAuthTag().copy(out, at);
}

/** Encrypts a whole plaintext as frames into `out` from `at`; returns the end offset. */
export function writeFramedBody(out: Buffer, at: number, key: Buffer, messageId: Buffer, plaintext: Uint8Array, frameLength: number): number {
  let sequence = 1;
  let start = 0;
  while (plaintext.length - start >= frameLength) {
    at = writeFrame(out, at, key, messageId, sequence++, false, plaintext.subarray(start, start + frameLength));
    start += frameLength;
  }
  return writeFrame(out, at, key, messageId, sequence, true, plaintext.subarray(start));
}

/** One frame as stored, not yet decrypted. */
export type FrameLayout = { sequence: number; final: boolean; iv: Buffer; content: Buffer; tag: Buffer; length: number };

/**
 * Lays out the frame at `at` of `bytes`. Returns undefined when `bytes` ends first (a stream
 * waits for more); throws MALFORMED_CIPHERTEXT for a frame that breaks the rules.
 */
export function readFrame(bytes: Buffer, at: number, expected: number, frameLength: number): FrameLayout | undefined {
  if (at + 4 > bytes.length) return undefined;
  const first = bytes.readUInt32BE(at);
  const final = first === SEQUENCE_END;
  const head = final ? 8 + IV_LENGTH + 4 : 4 + IV_LENGTH;
  if (at + head > bytes.length) return undefined;
  const sequence = final ? bytes.readUInt32BE(at + 4) : first;
  if (sequence !== expected) throw malformed();
  const ivAt = at + (final ? 8 : 4);
  const length = final ? bytes.readUInt32BE(ivAt + IV_LENGTH) : frameLength;
  if (length > frameLength) throw malformed();
  const end = at + head + length + TAG_LENGTH;
  if (end > bytes.length) return undefined;
  const contentAt = at + head;
  return {
    sequence,
    final,
    iv: bytes.subarray(ivAt, ivAt + IV_LENGTH),
    content: bytes.subarray(contentAt, contentAt + length),
    tag: bytes.subarray(end - TAG_LENGTH, end),
    length: end - at,
  };
}

/** Decrypts and authenticates one frame; DECRYPTION_FAILED when the tag does not verify. */
export function openFrame(key: Buffer, messageId: Buffer, frame: FrameLayout): Buffer {
  try {
    const decipher = createDecipheriv(cipherName(key), key, frame.iv, { authTagLength: TAG_LENGTH });
    decipher.setAAD(bodyAad(messageId, frame.final ? FINAL_FRAME : FRAME, frame.sequence, frame.content.length));
    decipher.setAuthTag(frame.tag);
    const out = decipher.update(frame.content);
    decipher.final();
    return out;
  } catch {
    throw decryptionFailed();
  }
}
