// A whole ESDK message in memory (data-format/message.md): header | body | footer (signed
// suites). Writing: always format version 2, framed. Reading: v1 and v2, framed and
// non-framed, with the commitment policy deciding whether non-committing suites are read.
import { randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { byteReader } from '../bytes.js';
import { decryptionFailed, malformed } from '../failures.js';
import { framedBodyLength, openFrame, readFrame, writeFramedBody } from './body-framed.js';
import { openNonFramed, readNonFramed } from './body-non-framed.js';
import { checkSignature, footer, readFooter, signer, verifier } from './footer.js';
import { CONTENT_FRAMED, ZERO_IV, headerBodyLength, readHeaderLayout, writeHeaderBody, type HeaderLayout } from './header.js';
import { headerTag, verifyHeader } from './header-auth.js';
import { deriveMessageKey } from './keys.js';
import { TAG_LENGTH, type Suite } from './suites.js';

/** What writing a message needs from a (cached) data key. */
export type SealingParts = {
  suite: Suite;
  dataKey: Buffer;
  /** u16 AAD length | AAD | EDKs, serialized once per cached data key. */
  material: Buffer;
  signingKey?: KeyObject;
};

// Message ids come from a pooled CSPRNG buffer (one randomBytes call per 256 messages).
// Each id is a view of its own 32 bytes: a pool is never rewritten (a refill allocates a
// new one), so no id changes or repeats, and the ids are public (they are in the header).
let pool = Buffer.alloc(0);
let poolOffset = 0;
export function newMessageId(): Buffer {
  if (poolOffset + 32 > pool.length) {
    pool = randomBytes(32 * 256);
    poolOffset = 0;
  }
  const id = pool.subarray(poolOffset, poolOffset + 32);
  poolOffset += 32;
  return id;
}

/** Most a DER ECDSA P-384 signature takes (two 49-byte integers and their framing). */
const MAX_SIGNATURE = 2 + 104;

/** Writes a header (body and authentication) into `out` at 0; returns its length. */
export function writeHeader(out: Buffer, parts: SealingParts, messageId: Buffer, frameLength: number, key: Buffer, commitment: Buffer): number {
  const end = writeHeaderBody(out, parts.suite, messageId, parts.material, frameLength, commitment);
  return end + headerTag(key, ZERO_IV, out.subarray(0, end)).copy(out, end);
}

/** Encrypts `plaintext` as one framed v2 message. `fixedId` exists for known-answer tests only. */
export function sealMessage(parts: SealingParts, plaintext: Uint8Array, frameLength: number, fixedId?: Buffer): Buffer {
  const messageId = fixedId ?? newMessageId();
  const { key, commitment } = deriveMessageKey(parts.suite, parts.dataKey, messageId);
  try {
    const headerLength = headerBodyLength(parts.material) + TAG_LENGTH;
    const bodyEnd = headerLength + framedBodyLength(plaintext.length, frameLength);
    const out = Buffer.allocUnsafe(bodyEnd + (parts.signingKey ? MAX_SIGNATURE : 0));
    writeHeader(out, parts, messageId, frameLength, key, commitment);
    writeFramedBody(out, headerLength, key, messageId, plaintext, frameLength);
    if (!parts.signingKey || !parts.suite.signing) return out;
    const signature = signer(parts.suite.signing).update(out.subarray(0, bodyEnd)).sign({ key: parts.signingKey, dsaEncoding: 'der' });
    const end = bodyEnd + footer(signature).copy(out, bodyEnd);
    return out.subarray(0, end);
  } finally {
    key.fill(0);
  }
}

/** Lays out a whole message's header; MALFORMED_CIPHERTEXT for anything else. */
export function layoutHeader(bytes: Buffer, maxWrappedKeys: number): HeaderLayout {
  return readHeaderLayout(byteReader(bytes), bytes, maxWrappedKeys);
}

/** Derives the message key, checks the commit key in constant time and verifies the header. */
export function openHeader(header: HeaderLayout, dataKey: Uint8Array): Buffer {
  if (dataKey.length !== header.suite.keyLength) throw decryptionFailed();
  const { key, commitment } = deriveMessageKey(header.suite, dataKey, header.messageId);
  // Commitment first: a ciphertext crafted to decrypt under two data keys fails here.
  if (header.suite.committing && !timingSafeEqual(commitment, header.commitment)) {
    key.fill(0);
    throw decryptionFailed();
  }
  try {
    verifyHeader(key, header.authIv, header.body, header.authTag);
  } catch (error) {
    key.fill(0);
    throw error;
  }
  return key;
}

/** Decrypts the body after the header; returns the plaintext and where the body ends. */
function openBody(bytes: Buffer, header: HeaderLayout, key: Buffer): { plaintext: Buffer; end: number } {
  let at = header.length;
  if (header.contentType !== CONTENT_FRAMED) {
    const body = readNonFramed(bytes, at);
    if (!body) throw malformed();
    return { plaintext: openNonFramed(key, header.messageId, body), end: at + body.length };
  }
  const parts: Buffer[] = [];
  for (let sequence = 1; ; sequence++) {
    const frame = readFrame(bytes, at, sequence, header.frameLength);
    if (!frame) throw malformed();
    parts.push(openFrame(key, header.messageId, frame));
    at += frame.length;
    if (frame.final) break;
  }
  return { plaintext: parts.length === 1 ? parts[0]! : Buffer.concat(parts), end: at };
}

/**
 * Decrypts a laid-out message with its key: header, body, then (signed suites) the footer.
 * Nothing is returned unless every check passed; trailing bytes are refused.
 */
export function openMessage(bytes: Buffer, header: HeaderLayout, dataKey: Uint8Array, verifyKey?: () => KeyObject): Buffer {
  const key = openHeader(header, dataKey);
  try {
    const { plaintext, end } = openBody(bytes, header, key);
    let last = end;
    const signing = header.suite.signing;
    if (signing) {
      const foot = readFooter(bytes, end);
      if (!foot || !verifyKey) throw malformed();
      checkSignature(verifier(signing).update(bytes.subarray(0, end)), verifyKey(), foot.signature);
      last = end + foot.length;
    }
    if (last !== bytes.length) throw malformed();
    return plaintext;
  } finally {
    key.fill(0);
  }
}
