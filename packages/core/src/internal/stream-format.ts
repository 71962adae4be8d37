// phiseal stream format v1 (docs/format.md §9): a framed form of the message format for
// data that does not fit in memory. Each frame is its own AES-256-GCM message under a
// per-stream key, so plaintext is released one authenticated frame at a time.
//
//   header: u8 version (1) | u8 algorithm (2) | wrapped keys | context | u32 frame length
//           | stream id (32) | commitment (32)
//   frames: ciphertext (frame length bytes, fewer for the last) | tag (16)
//
// Frame nonce = 4 zero bytes | u64 frame index. GCM AAD = header | u8 final flag. The
// final frame (flag 1) is always present, possibly empty, so truncation at a frame
// boundary, reordering and extension are all detected (the STREAM construction of
// Hoang, Reyhanitabar, Rogaway and Vizár, "Online authenticated-encryption and its
// nonce-reuse misuse-resistance", CRYPTO 2015).
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import type { EncryptionContext, WrappedKey } from '../key-provider.js';
import { byteReader, byteWriter } from './bytes.js';
import { encodeContext, readContext } from './context.js';
import { decryptionFailed, malformed } from './failures.js';
import { COMMITMENT_LENGTH, TAG_LENGTH, VERSION } from './message-format.js';
import { readWrappedKeys, writeWrappedKeys } from '../wrapped-keys.js';

export const STREAM_ALGORITHM = 2;
export const STREAM_ID_LENGTH = 32;
export const MIN_FRAME = 1024;
export const MAX_FRAME = 16 * 1024 * 1024;
export const DEFAULT_FRAME = 64 * 1024;
/** A header larger than this is not a phiseal stream (bounds buffering of garbage input). */
export const MAX_HEADER = 1024 * 1024;
// 2^32 frames keeps the per-stream key far inside GCM's limits for deterministic nonces.
export const MAX_FRAMES = 2 ** 32;

const STREAM_INFO = Buffer.from('phiseal/v1 stream key', 'utf8');

/** The per-stream content key: the stream id salts HKDF, so a reused data key never repeats a (key, nonce) pair. */
export function streamKey(dataKey: Uint8Array, streamId: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, streamId, STREAM_INFO, 32));
}

export function buildStreamHeader(
  wrapped: readonly WrappedKey[],
  context: EncryptionContext,
  frameLength: number,
  streamId: Buffer,
  commitment: Buffer,
): Buffer {
  const w = byteWriter();
  w.u8(VERSION);
  w.u8(STREAM_ALGORITHM);
  writeWrappedKeys(w, wrapped);
  w.bytes(encodeContext(context));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(frameLength);
  w.bytes(length);
  w.bytes(streamId);
  w.bytes(commitment);
  return w.finish();
}

export type StreamHeader = {
  header: Buffer;
  keyMaterialId: string;
  wrapped: WrappedKey[];
  context: Record<string, string>;
  frameLength: number;
  streamId: Buffer;
  commitment: Buffer;
};

/** Parses a stream header from the start of `bytes`; `undefined` when more bytes are needed. */
export function parseStreamHeader(bytes: Buffer): StreamHeader | undefined {
  const r = byteReader(bytes);
  try {
    if (r.u8() !== VERSION || r.u8() !== STREAM_ALGORITHM) throw malformed();
    const wrapped = readWrappedKeys(r);
    const context = readContext(r);
    const materialEnd = r.offset;
    const frameLength = r.bytes(4).readUInt32BE(0);
    if (frameLength < MIN_FRAME || frameLength > MAX_FRAME) throw malformed();
    const streamId = Buffer.from(r.bytes(STREAM_ID_LENGTH));
    const commitment = Buffer.from(r.bytes(COMMITMENT_LENGTH));
    const header = Buffer.from(bytes.subarray(0, r.offset));
    return { header, keyMaterialId: bytes.toString('latin1', 2, materialEnd), wrapped, context, frameLength, streamId, commitment };
  } catch (error) {
    // Out of bytes is "wait for more" until the header could not be that long.
    if (r.exhausted && bytes.length < MAX_HEADER) return undefined;
    throw error;
  }
}

function nonce(index: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeUInt32BE(Math.floor(index / 2 ** 32), 4);
  iv.writeUInt32BE(index >>> 0, 8);
  return iv;
}

// The GCM AAD of a frame is the header plus the final flag. Built once per header and
// flag, not once per frame: a header can be up to 1 MiB.
const aads = new WeakMap<Buffer, readonly [Buffer, Buffer]>();
function frameAad(header: Buffer, final: boolean): Buffer {
  let pair = aads.get(header);
  if (!pair) {
    pair = [Buffer.concat([header, Uint8Array.of(0)]), Buffer.concat([header, Uint8Array.of(1)])];
    aads.set(header, pair);
  }
  return pair[final ? 1 : 0];
}

export function sealFrame(key: Buffer, header: Buffer, index: number, final: boolean, plaintext: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonce(index));
  cipher.setAAD(frameAad(header, final));
  const body = cipher.update(plaintext);
  cipher.final();
  return Buffer.concat([body, cipher.getAuthTag()]);
}

export function openFrame(key: Buffer, header: Buffer, index: number, final: boolean, frame: Buffer): Buffer {
  if (frame.length < TAG_LENGTH) throw malformed();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(index), { authTagLength: TAG_LENGTH });
    decipher.setAAD(frameAad(header, final));
    decipher.setAuthTag(frame.subarray(frame.length - TAG_LENGTH));
    const body = decipher.update(frame.subarray(0, frame.length - TAG_LENGTH));
    decipher.final();
    return body;
  } catch {
    throw decryptionFailed();
  }
}
