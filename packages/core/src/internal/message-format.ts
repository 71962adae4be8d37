// phiseal message format v1 (docs/format.md). Layout:
//   u8 version (1) | u8 algorithm (1) | wrapped keys | context | commitment (32)
//   | IV (12) | AES-256-GCM ciphertext | tag (16)
// Everything before the IV is the header; it is the GCM additional data, so every header
// byte is authenticated.
import type { EncryptionContext, WrappedKey } from '../key-provider.js';
import { byteReader, byteWriter, toBuffer } from './bytes.js';
import { encodeContext, readContext } from './context.js';
import { malformed } from './failures.js';
import { readWrappedKeys, writeWrappedKeys } from '../wrapped-keys.js';

export const VERSION = 1;
/** AES-256-GCM with an HKDF-SHA256 derived key and a 256-bit key commitment. */
export const ALGORITHM = 1;
export const IV_LENGTH = 12;
export const TAG_LENGTH = 16;
export const COMMITMENT_LENGTH = 32;
export const STRING_PREFIX = 'ps1.';

export function buildHeader(wrapped: readonly WrappedKey[], context: EncryptionContext, commitment: Buffer): Buffer {
  const w = byteWriter();
  w.u8(VERSION);
  w.u8(ALGORITHM);
  writeWrappedKeys(w, wrapped);
  w.bytes(encodeContext(context));
  w.bytes(commitment);
  return w.finish();
}

/** Where the parts of a message are; nothing decoded yet (docs/format.md §1). */
export type MessageLayout = {
  /** The whole message. */
  bytes: Buffer;
  /** Header bytes (the GCM AAD). */
  header: Buffer;
  /** End of the wrapped keys and context (exclusive). */
  materialEnd: number;
  /** Identifies the wrapped keys under their context: the header without version, algorithm and commitment. */
  keyMaterialId: string;
  commitment: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
};

// Skips a u16-length-prefixed block; -1 when the input ends first.
function skip16(b: Buffer, at: number): number {
  if (at < 0 || at + 2 > b.length) return -1;
  const end = at + 2 + b.readUInt16BE(at);
  return end > b.length ? -1 : end;
}

function skip8(b: Buffer, at: number): number {
  if (at < 0 || at + 1 > b.length) return -1;
  const end = at + 1 + b[at]!;
  return end > b.length ? -1 : end;
}

// Walks the length fields only. A cache hit needs no more: its key material id matched
// bytes that were fully decoded and validated when the entry was made.
function materialEnd(b: Buffer): number {
  if (b.length < 3) return -1;
  const count = b[2]!;
  let at = 3;
  for (let i = 0; i < count && at >= 0; i++) {
    if (at + 2 > b.length) return -1;
    const code = b[at++]!;
    if (code === 0 || code === 3) at = skip8(b, at);
    if (at < 0 || at + 1 > b.length) return -1;
    const form = b[at++]!;
    if (form === 0) at = skip16(b, at);
    else {
      at = skip8(b, skip8(b, at));
      at = at < 0 ? -1 : at + 21;
    }
    if (code === 3) at = skip16(b, at);
    at = skip16(b, at);
  }
  if (at < 0 || at + 2 > b.length) return -1;
  const pairs = b.readUInt16BE(at);
  at += 2;
  for (let i = 0; i < pairs && at >= 0; i++) at = skip16(b, skip16(b, at));
  return at;
}

export function layoutMessage(input: Uint8Array): MessageLayout {
  const bytes = toBuffer(input);
  if (bytes[0] !== VERSION || bytes[1] !== ALGORITHM) throw malformed();
  const end = materialEnd(bytes);
  const headerEnd = end + COMMITMENT_LENGTH;
  if (end < 0 || headerEnd + IV_LENGTH + TAG_LENGTH > bytes.length) throw malformed();
  const ivEnd = headerEnd + IV_LENGTH;
  return {
    bytes,
    header: bytes.subarray(0, headerEnd),
    materialEnd: end,
    keyMaterialId: bytes.toString('latin1', 2, end),
    commitment: bytes.subarray(end, headerEnd),
    iv: bytes.subarray(headerEnd, ivEnd),
    ciphertext: bytes.subarray(ivEnd, bytes.length - TAG_LENGTH),
    tag: bytes.subarray(bytes.length - TAG_LENGTH),
  };
}

/** Fully decodes and validates the wrapped keys and context of a laid-out message. */
export function decodeKeyMaterial(layout: MessageLayout): { wrapped: WrappedKey[]; context: Record<string, string> } {
  const r = byteReader(layout.bytes.subarray(0, layout.materialEnd), 2);
  const wrapped = readWrappedKeys(r);
  const context = readContext(r);
  if (r.remaining !== 0) throw malformed();
  return { wrapped, context };
}

export const toCompactString = (message: Uint8Array): string => STRING_PREFIX + toBuffer(message).toString('base64url');

export function fromCompactString(text: string): Buffer {
  if (!text.startsWith(STRING_PREFIX)) throw malformed();
  const body = text.slice(STRING_PREFIX.length);
  const bytes = Buffer.from(body, 'base64url');
  // Node's decoder skips invalid characters and ignores trailing bits; re-encoding makes
  // the string form strict, so a changed character can never decode to the same bytes.
  if (bytes.toString('base64url') !== body) throw malformed();
  return bytes;
}
