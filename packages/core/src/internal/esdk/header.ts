// Message header (data-format/message-header.md). Version 2.0 body:
//   u8 version (2) | u16 suite id | message id (32) | u16 AAD length | AAD
//   | u16 EDK count | EDKs | u8 content type | u32 frame length | suite data (commit key, 32)
// Version 1.0 body (read only):
//   u8 version (1) | u8 type (0x80) | u16 suite id | message id (16) | u16 AAD length | AAD
//   | u16 EDK count | EDKs | u8 content type | 4 reserved zero bytes | u8 IV length (12) | u32 frame length
// Header authentication: v2 = tag (16); v1 = IV (12) | tag (16).
import type { WrappedKey } from '../../key-provider.js';
import { byteReader, type ByteReader } from '../bytes.js';
import { invalidArgument, malformed } from '../failures.js';
import { parseContext } from './context.js';
import { readEdks, tooManyWrappedKeys } from './edks.js';
import { IV_LENGTH, TAG_LENGTH, messageIdLength, suiteById, type Suite } from './suites.js';

export const CONTENT_NON_FRAMED = 1;
export const CONTENT_FRAMED = 2;
const V1_TYPE = 0x80;

/** Where the parts of a header are; the EDKs and context are decoded lazily (cache hits skip them). */
export type HeaderLayout = {
  suite: Suite;
  messageId: Buffer;
  /** The serialized key-value pairs (empty for an empty context). */
  contextBytes: Buffer;
  /** AAD and EDK sections as they are stored: identifies the data key under its context. */
  material: Buffer;
  edkCount: number;
  contentType: number;
  frameLength: number;
  /** Commit key (v2 suite data); empty for v1. */
  commitment: Buffer;
  /** The header body: the header authentication's AAD. */
  body: Buffer;
  authIv: Buffer;
  authTag: Buffer;
  /** Header body plus header authentication. */
  length: number;
};

/** Walks one EDK without copying it (or making views of its fields). */
function skipEdk(r: ByteReader): void {
  r.skip16();
  r.skip16();
  r.skip16();
}

function readPrefix(r: ByteReader): Suite {
  const version = r.u8();
  if (version === 1 && r.u8() !== V1_TYPE) throw malformed();
  if (version !== 1 && version !== 2) throw malformed();
  const suite = suiteById(r.u16());
  if (!suite || suite.version !== version) throw malformed();
  return suite;
}

function readTrailer(r: ByteReader, suite: Suite): { contentType: number; frameLength: number; commitment: Buffer } {
  const contentType = r.u8();
  if (contentType !== CONTENT_FRAMED && contentType !== CONTENT_NON_FRAMED) throw malformed();
  if (suite.version === 1) {
    if (r.u32() !== 0 || r.u8() !== IV_LENGTH) throw malformed();
  }
  const frameLength = r.u32();
  // Framed content needs a positive frame length; non-framed content must say 0.
  if ((contentType === CONTENT_FRAMED) !== frameLength > 0) throw malformed();
  return { contentType, frameLength, commitment: r.bytes(suite.suiteDataLength) };
}

/**
 * Lays out the header at the start of `bytes`. Throws MALFORMED_CIPHERTEXT for a bad
 * header; `r.exhausted` tells a streaming caller that more bytes may help.
 */
export function readHeaderLayout(r: ByteReader, bytes: Buffer, maxWrappedKeys: number): HeaderLayout {
  const suite = readPrefix(r);
  const messageId = r.bytes(messageIdLength(suite));
  const materialStart = r.offset;
  const contextBytes = r.block16();
  const edkCount = r.u16();
  if (edkCount === 0) throw malformed();
  if (edkCount > maxWrappedKeys) tooManyWrappedKeys(edkCount, maxWrappedKeys);
  for (let i = 0; i < edkCount; i++) skipEdk(r);
  const material = bytes.subarray(materialStart, r.offset);
  const { contentType, frameLength, commitment } = readTrailer(r, suite);
  const body = bytes.subarray(0, r.offset);
  const authIv = suite.version === 1 ? r.bytes(IV_LENGTH) : ZERO_IV;
  const authTag = r.bytes(TAG_LENGTH);
  return { suite, messageId, contextBytes, material, edkCount, contentType, frameLength, commitment, body, authIv, authTag, length: r.offset };
}

export const ZERO_IV = Buffer.alloc(IV_LENGTH);

/** Decodes the EDKs and the context of a laid-out header (a cache miss, or an expected context to check). */
export function decodeMaterial(layout: HeaderLayout, maxWrappedKeys: number): { wrapped: WrappedKey[]; context: Record<string, string> } {
  const context = parseContext(layout.contextBytes);
  const r = byteReader(layout.material, 2 + layout.contextBytes.length);
  const wrapped = readEdks(r, maxWrappedKeys);
  if (r.remaining !== 0) throw malformed();
  return { wrapped, context };
}

/**
 * The cacheable middle of a v2 header body: u16 AAD length | AAD | EDKs. The message id
 * before it and the content type, frame length and commit key after it change per message.
 */
export function headerMaterial(contextBytes: Buffer, edks: Buffer): Buffer {
  if (contextBytes.length > 0xffff) throw invalidArgument('the serialized encryption context is longer than 65535 bytes (the ESDK header limit)');
  const out = Buffer.allocUnsafe(2 + contextBytes.length + edks.length);
  out.writeUInt16BE(contextBytes.length, 0);
  contextBytes.copy(out, 2);
  edks.copy(out, 2 + contextBytes.length);
  return out;
}

/** Writes a v2 header body into `out` at 0; returns its length. */
export function writeHeaderBody(
  out: Buffer,
  suite: Suite,
  messageId: Buffer,
  material: Buffer,
  frameLength: number,
  commitment: Buffer,
): number {
  out[0] = 2;
  let at = out.writeUInt16BE(suite.id, 1);
  at += messageId.copy(out, at);
  at += material.copy(out, at);
  out[at++] = CONTENT_FRAMED;
  at = out.writeUInt32BE(frameLength, at);
  return at + commitment.copy(out, at);
}

/** Length of a v2 header body with this material. */
export const headerBodyLength = (material: Buffer): number => 1 + 2 + 32 + material.length + 1 + 4 + 32;
