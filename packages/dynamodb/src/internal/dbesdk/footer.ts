import { hash, timingSafeEqual } from 'node:crypto';
import { hmac, type HmacKey } from './hmac.js';
import { RECIPIENT_TAG_BYTES, SIGNATURE_BYTES } from './suites.js';

// aws_dbe_foot (structured-encryption/footer.md): one HMAC-SHA384 recipient tag per encrypted
// data key over the canonical hash of the record, then (suite 0x6701) the ECDSA signature.
// The canonical record is: the full header, u64 length + serialized encryption context, and
// every signed attribute in canonical-path order as path, length, "ENCRYPTED" or "PLAINTEXT"
// (with the type id) and the stored bytes. A changed, removed, added or moved signed
// attribute changes the hash.

const ENCRYPTED = Buffer.from('ENCRYPTED', 'ascii');
const PLAINTEXT = Buffer.from('PLAINTEXT', 'ascii');

/** A signed attribute as stored: `value` is type id + ciphertext when `encrypted`. */
export type SignedField = { readonly path: Buffer; readonly encrypted: boolean; readonly typeId: number; readonly value: Uint8Array };

function fieldBytes(f: SignedField): number {
  return f.path.length + 8 + ENCRYPTED.length + (f.encrypted ? 0 : 2) + f.value.length;
}

// Lengths stay far below 2^32 (an item is at most 400 KB), so the u64's high word is zero.
// Index writes: Buffer#writeUInt32BE checks its arguments on every call.
function writeU64(b: Buffer, n: number, at: number): number {
  b[at] = b[at + 1] = b[at + 2] = b[at + 3] = 0;
  b[at + 4] = n >>> 24;
  b[at + 5] = (n >>> 16) & 0xff;
  b[at + 6] = (n >>> 8) & 0xff;
  b[at + 7] = n & 0xff;
  return at + 8;
}

// The record is written into one reused buffer (the function is synchronous): a new one per
// item was a few KB of garbage per item. It holds stored bytes only, and is wiped after use.
const RECORD_BYTES = 8192;
const RECORD_MAX = 64 * 1024;
let scratch = Buffer.alloc(RECORD_BYTES);

/**
 * SHA-384 of the canonical record (footer.md "Canonical Hash"): `header` is the full header (in
 * parts), `context` the serialized encryption context, `fields` in canonical-path order. The
 * record is written into one buffer and hashed at once (one native call instead of ~80).
 * @throws never
 * @example
 * ```ts
 * const hash = canonicalHash([headerBytes], serializeContext(ec), fields);
 * ```
 */
export function canonicalHash(header: readonly Uint8Array[], context: Uint8Array, fields: readonly SignedField[]): Buffer {
  let length = 8 + context.length;
  for (const h of header) length += h.length;
  for (const f of fields) length += fieldBytes(f);
  if (scratch.length < length) scratch = Buffer.alloc(Math.max(length, 2 * scratch.length));
  const b = scratch;
  let at = 0;
  for (const h of header) {
    b.set(h, at);
    at += h.length;
  }
  at = writeU64(b, context.length, at);
  b.set(context, at);
  at += context.length;
  for (const f of fields) {
    b.set(f.path, at);
    at += f.path.length;
    if (f.encrypted) {
      at = writeU64(b, f.value.length - 2, at);
      b.set(ENCRYPTED, at);
      at += ENCRYPTED.length;
    } else {
      at = writeU64(b, f.value.length, at);
      b.set(PLAINTEXT, at);
      at += PLAINTEXT.length;
      b[at++] = f.typeId >>> 8;
      b[at++] = f.typeId & 0xff;
    }
    b.set(f.value, at);
    at += f.value.length;
  }
  try {
    return hash('sha384', b.subarray(0, length), 'buffer');
  } finally {
    b.fill(0, 0, length);
    if (scratch.length > RECORD_MAX) scratch = Buffer.alloc(RECORD_BYTES);
  }
}

/**
 * One recipient tag: HMAC-SHA384 under the recipient's signing key (padded once per cached key).
 * @throws never
 * @example
 * ```ts
 * const tag = recipientTag(hmacKey('sha384', signingKey), hash);
 * ```
 */
export function recipientTag(signingKey: HmacKey, hash: Uint8Array): Buffer {
  return hmac(signingKey, hash);
}

/** A parsed footer. */
export type ParsedFooter = { readonly tags: readonly Buffer[]; readonly signature: Buffer | undefined };

/**
 * Splits aws_dbe_foot into tags and signature.
 * @throws RangeError when the length does not fit `tagCount` tags (and a signature when `signed`).
 * @example
 * ```ts
 * const footer = parseFooter(item.aws_dbe_foot.B, header.dataKeys.length, header.suite.signed);
 * ```
 */
export function parseFooter(bytes: Uint8Array, tagCount: number, signed: boolean): ParsedFooter {
  const b = Buffer.from(bytes);
  const expected = tagCount * RECIPIENT_TAG_BYTES + (signed ? SIGNATURE_BYTES : 0);
  if (b.length !== expected) throw new RangeError('footer length');
  const tags: Buffer[] = [];
  for (let i = 0; i < tagCount; i++) tags.push(b.subarray(i * RECIPIENT_TAG_BYTES, (i + 1) * RECIPIENT_TAG_BYTES));
  return { tags, signature: signed ? b.subarray(tagCount * RECIPIENT_TAG_BYTES) : undefined };
}

/**
 * Whether any stored tag equals the one computed with `signingKey` (constant-time per tag; every tag is compared).
 * @throws never
 * @example
 * ```ts
 * if (!anyTagMatches(footer.tags, m.tagKey, hash)) throw decryptionFailed();
 * ```
 */
export function anyTagMatches(tags: readonly Buffer[], signingKey: HmacKey, hash: Uint8Array): boolean {
  const mine = recipientTag(signingKey, hash);
  let found = false;
  for (const t of tags) found = timingSafeEqual(t, mine) || found;
  return found;
}
