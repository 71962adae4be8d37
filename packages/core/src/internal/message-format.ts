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

export type ParsedMessage = {
  /** Header bytes (the GCM AAD). */
  header: Buffer;
  /** Identifies the wrapped key under its context: the header without version, algorithm and commitment. */
  keyMaterialId: string;
  wrapped: WrappedKey[];
  context: Record<string, string>;
  commitment: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
};

export function parseMessage(input: Uint8Array): ParsedMessage {
  const bytes = toBuffer(input);
  const r = byteReader(bytes);
  if (r.u8() !== VERSION || r.u8() !== ALGORITHM) throw malformed();
  const wrapped = readWrappedKeys(r);
  const context = readContext(r);
  const materialEnd = r.offset;
  const commitment = r.bytes(COMMITMENT_LENGTH);
  const headerEnd = r.offset;
  const iv = r.bytes(IV_LENGTH);
  if (r.remaining < TAG_LENGTH) throw malformed();
  const ciphertext = r.bytes(r.remaining - TAG_LENGTH);
  const tag = r.bytes(TAG_LENGTH);
  return {
    header: bytes.subarray(0, headerEnd),
    keyMaterialId: bytes.toString('latin1', 2, materialEnd),
    wrapped,
    context,
    commitment,
    iv,
    ciphertext,
    tag,
  };
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
