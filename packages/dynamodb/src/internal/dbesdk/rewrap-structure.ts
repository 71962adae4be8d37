import { PhisealError, type EncryptionContext, type Envelope, type KeyProvider } from '@phiseal/core';
import type { AttributeMap } from '../attribute-codec.js';
import { decryptionFailed } from '../failures.js';
import { checkShapes, contextOf, parse, signedFields, storedSigned } from './decrypt-structure.js';
import { newSigner, signHash, verifyHash } from './ecdsa.js';
import { aadOf, PUBLIC_KEY_KEY, serializeContext } from './encryption-context.js';
import { firstUnwrapped, intermediateKeys, unwrapDataKey, wrapDataKey } from './data-keys.js';
import { commitKeyOf } from './field-keys.js';
import { anyTagMatches, canonicalHash, parseFooter, recipientTag } from './footer.js';
import { commitmentMatches, serializeHeader, type HeaderDataKey } from './header.js';
import { hkdfExtract } from './hkdf.js';
import { destroyHmacKey, type HmacKey } from './hmac.js';
import { FOOTER_ATTRIBUTE, HEADER_ATTRIBUTE, type DbeSchema } from './item-schema.js';
import { toHeaderDataKey } from './wrapped-keys.js';

// Re-keying one stored item without re-encrypting it (structured-encryption/header.md,
// footer.md; algorithm-suites.md "Intermediate Key Wrapping"). What each part depends on:
// - the attribute ciphertexts: the plaintext data key and the message id (field keys are
//   HKDF(data key, message id)), so they stay byte for byte;
// - the encrypted data keys: the intermediate key each keyring wrapped, so they are replaced
//   by `to`'s wrappings of a fresh intermediate key that wraps the same plaintext data key;
// - the commitment: HMAC of the partial header under HKDF(data key, message id): recomputed
//   because the header's data keys changed (the commit key itself stays);
// - the footer: recipient tags are HMACs under a key derived from each intermediate key, over
//   a hash that covers the header: recomputed for the new wrappings. Wrappings under keys other
//   than `from` cannot get a tag without their keys, so the new header holds `to`'s only;
// - the signature (0x6701): the item's signing key was thrown away when it was written, so a
//   fresh ECDSA key pair signs the new record and its public key replaces the old one in the
//   header's stored context (and in the context the new wrappings are bound to).

const plain = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

/** The plaintext data key itself (the reader's path keeps only keys derived from it), from the first data key `from` may unwrap. */
async function itemDataKey(from: Envelope, dataKeys: readonly HeaderDataKey[], ec: EncryptionContext, aad: Buffer): Promise<{ dataKey: Buffer; tagKey: HmacKey; keyId: string }> {
  const { ikm, parts } = await firstUnwrapped(from, dataKeys, ec);
  const { kek, tagKey } = intermediateKeys(ikm);
  ikm.fill(0);
  try {
    return { dataKey: unwrapDataKey(kek, parts.wrappedPdk, aad), tagKey, keyId: parts.wrapped.keyId };
  } catch (error) {
    destroyHmacKey(tagKey);
    throw decryptionFailed(error);
  } finally {
    kek.fill(0);
  }
}

/** The new wrappings of the item's plaintext data key under `to`, and the recipient-tag key they give. */
async function newWrappings(to: KeyProvider, ec: EncryptionContext, aad: Buffer, dataKey: Buffer): Promise<{ dataKeys: HeaderDataKey[]; tagKey: HmacKey; keyId: string }> {
  // A fresh intermediate key per item, never a cached one: the plaintext data key is wrapped
  // with IV 0 (as the MPL does), which is only safe when no intermediate key wraps two keys.
  const generated = await to.generate(ec);
  const { kek, tagKey } = intermediateKeys(generated.key);
  generated.key.fill(0);
  try {
    const wrappedPdk = wrapDataKey(kek, dataKey, aad);
    return { dataKeys: generated.wrapped.map((w) => toHeaderDataKey(w, wrappedPdk)), tagKey, keyId: generated.wrapped[0]?.keyId ?? 'unknown' };
  } finally {
    kek.fill(0);
  }
}

function serialized(ec: EncryptionContext): Buffer {
  try {
    return serializeContext(ec);
  } catch (error) {
    throw decryptionFailed(error);
  }
}

/**
 * Verifies a stored item under `from` (commitment, recipient tag, signature) and returns it
 * with a new header and footer whose data key is wrapped under `to`; every other attribute is
 * returned as stored.
 * @throws {@link PhisealError} MALFORMED_CIPHERTEXT, DECRYPTION_FAILED, KEY_NOT_ALLOWED (no data
 * key under `from`), INVALID_CONFIGURATION (`to` wraps under more than 255 keys), and what the
 * key providers throw (KMS_UNAVAILABLE, KMS_KEY_UNUSABLE).
 * @example
 * ```ts
 * const { item, toKeyId } = await rewrapStructure(schema, fromEnvelope, toProvider, stored);
 * ```
 */
export async function rewrapStructure(schema: DbeSchema, from: Envelope, to: KeyProvider, item: AttributeMap): Promise<{ item: AttributeMap; fromKeyId: string; toKeyId: string }> {
  const { header, footer: footerBytes } = parse(item);
  checkShapes(item);
  const fields = signedFields(schema, item, header);
  const ec = contextOf(schema, header, fields);
  const signed = storedSigned(fields);
  let footer;
  try {
    footer = parseFooter(footerBytes, header.dataKeys.length, header.suite.signed);
  } catch (error) {
    throw decryptionFailed(error);
  }
  const context = serialized(ec);
  const m = await itemDataKey(from, header.dataKeys, ec, aadOf(context));
  const prk = hkdfExtract(m.dataKey);
  const commitKey = commitKeyOf(prk, header.messageId);
  destroyHmacKey(prk);
  let tagKey: HmacKey | undefined;
  try {
    // Never re-key what does not verify: a forged item would come out signed under `to`.
    if (!commitmentMatches(commitKey, header)) throw decryptionFailed();
    const oldHash = canonicalHash([header.partial, header.commitment], context, signed);
    if (!anyTagMatches(footer.tags, m.tagKey, oldHash)) throw decryptionFailed();
    if (footer.signature && !verifyHash(ec[PUBLIC_KEY_KEY]!, oldHash, footer.signature)) throw decryptionFailed();
    const signer = header.suite.signed ? newSigner() : undefined;
    const newEc: EncryptionContext = signer ? { ...ec, [PUBLIC_KEY_KEY]: signer.publicKeyText } : ec;
    const newContext = serialized(newEc);
    const wrapped = await newWrappings(to, newEc, aadOf(newContext), m.dataKey);
    tagKey = wrapped.tagKey;
    if (wrapped.dataKeys.length === 0 || wrapped.dataKeys.length > 255) {
      throw new PhisealError('INVALID_CONFIGURATION', 'The new key provider must wrap the data key under 1 to 255 keys.');
    }
    const head = serializeHeader(
      {
        version: header.version,
        suite: header.suite,
        messageId: header.messageId,
        legend: header.legend,
        storedContext: signer ? { ...header.storedContext, [PUBLIC_KEY_KEY]: signer.publicKeyText } : header.storedContext,
        dataKeys: wrapped.dataKeys,
      },
      commitKey,
    );
    const hash = canonicalHash([head], newContext, signed);
    const tag = recipientTag(wrapped.tagKey, hash);
    const tags = wrapped.dataKeys.map(() => tag);
    const foot = Buffer.concat(signer ? [...tags, signHash(signer, hash)] : tags);
    return { item: { ...item, [HEADER_ATTRIBUTE]: { B: plain(head) }, [FOOTER_ATTRIBUTE]: { B: plain(foot) } }, fromKeyId: m.keyId, toKeyId: wrapped.keyId };
  } finally {
    commitKey.fill(0);
    m.dataKey.fill(0);
    destroyHmacKey(m.tagKey);
    if (tagKey) destroyHmacKey(tagKey);
  }
}
