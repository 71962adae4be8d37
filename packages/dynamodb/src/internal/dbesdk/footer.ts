import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { EncryptionContext } from '@phiseal/core';
import { serializeContext } from './encryption-context.js';
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
export type SignedField = { readonly path: Buffer; readonly encrypted: boolean; readonly typeId: number; readonly value: Buffer };

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n), 0);
  return b;
}

/**
 * SHA-384 of the canonical record (footer.md "Canonical Hash"); `fields` in canonical-path order.
 * @throws RangeError when the context cannot be serialized.
 * @example
 * ```ts
 * const hash = canonicalHash(headerBytes, ec, fields);
 * ```
 */
export function canonicalHash(header: Uint8Array, ec: EncryptionContext, fields: readonly SignedField[]): Buffer {
  const h = createHash('sha384');
  const aad = serializeContext(ec);
  h.update(header).update(u64(aad.length)).update(aad);
  const type = Buffer.alloc(2);
  for (const f of fields) {
    h.update(f.path);
    if (f.encrypted) {
      h.update(u64(f.value.length - 2)).update(ENCRYPTED).update(f.value);
    } else {
      type.writeUInt16BE(f.typeId, 0);
      h.update(u64(f.value.length)).update(PLAINTEXT).update(type).update(f.value);
    }
  }
  return h.digest();
}

/**
 * One recipient tag.
 * @throws never
 * @example
 * ```ts
 * const tag = recipientTag(signingKey, hash);
 * ```
 */
export function recipientTag(signingKey: Uint8Array, hash: Uint8Array): Buffer {
  return createHmac('sha384', signingKey).update(hash).digest();
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
 * if (!anyTagMatches(footer.tags, signingKey, hash)) throw decryptionFailed();
 * ```
 */
export function anyTagMatches(tags: readonly Buffer[], signingKey: Uint8Array, hash: Uint8Array): boolean {
  const mine = recipientTag(signingKey, hash);
  let found = false;
  for (const t of tags) found = timingSafeEqual(t, mine) || found;
  return found;
}
