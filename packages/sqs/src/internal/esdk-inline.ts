// Inline bodies in the AWS Encryption SDK message format (docs/format.md, "SQS inline
// bodies"). The body is the base64 of an ESDK message whose plaintext is exactly the
// caller's body, so any Encryption SDK (Java, Python, JavaScript, ..., the
// aws-encryption-cli) with the keyring decrypts it to the original bytes.
//
// Sealed attributes cannot ride inside such a body, so they go in the
// `PhisealSealedAttributes` attribute: an ESDK message of its own over a frame of kind 3
// (body-frame.ts) whose tail is the SHA-256 of the body's ESDK message, with the reserved
// pair `phiseal:part=sealed-attributes` in its context. The body's context announces the
// number of sealed attributes (`phiseal:sealed-attributes`). Together (issue 11, defect 3):
//   - strip the block      -> the body announces a block that is missing: refused;
//   - add or swap a block  -> its digest names another body (or the body announces none): refused;
//   - a body posing as a block (its plaintext crafted as a frame) -> no purpose pair: refused;
//   - a block posing as a body -> it carries the purpose pair, which no body may: refused.
// The announcement is a count, not a digest, so the body's context stays the same from one
// message to the next and its data key stays cached (a per-message context would cost a KMS
// call per message).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Envelope } from '@phiseal/core';
import type { MessageAttribute } from '../types.js';
import { emptyAttributes, type Attributes } from './attributes.js';
import { encodeFrame } from './body-frame.js';
import { decryptionFailed, malformed } from './errors.js';
import { openFrame } from './sealed-block.js';
import { blockContextPair, checkPayloadBinding, PART_CONTEXT_KEY, SEALED_CONTEXT_KEY, sealedContextPair } from './sealed-binding.js';

type Context = Readonly<Record<string, string>>;

/** An ESDK inline body and, when the message has sealed attributes, its block. */
export type SealedInline = { body: string; block?: string };

/** The bytes a block names its body by: SHA-256 of the decoded ESDK message. */
export function bodyDigest(message: Uint8Array): Uint8Array {
  return createHash('sha256').update(message).digest();
}

/**
 * Encrypts an inline body (and its sealed attributes) in the ESDK format.
 * @throws PhisealError from the envelope (`PHI_DETECTED` in the context, KMS codes, ...).
 */
export async function sealEsdkInline(envelope: Envelope, plaintext: Uint8Array, sealed: Attributes, context: Context): Promise<SealedInline> {
  const count = Object.keys(sealed).length;
  const message = await envelope.encrypt(plaintext, { context: { ...context, ...sealedContextPair(count) }, format: 'esdk' });
  const body = Buffer.from(message.buffer, message.byteOffset, message.byteLength).toString('base64');
  if (count === 0) return { body };
  const frame = encodeFrame('inlineSealedAttributes', sealed, bodyDigest(message));
  const block = await envelope.encryptToString(frame, { context: { ...context, ...blockContextPair() }, format: 'esdk' });
  return { body, block };
}

/**
 * Decrypts an ESDK inline body and its block (`undefined` when the message has none),
 * checking that each names the other.
 * @throws PhisealError `DECRYPTION_FAILED`, `MALFORMED_CIPHERTEXT`, `CONTEXT_MISMATCH`, KMS codes.
 */
export async function openEsdkInline(
  envelope: Envelope,
  body: string,
  block: MessageAttribute | undefined,
  context: Context | undefined,
): Promise<{ bytes: Uint8Array; sealed: Attributes }> {
  if (block !== undefined && typeof block.StringValue !== 'string') throw malformed({ part: 'sealedAttributes' });
  const opened = await envelope.decrypt(body, context === undefined ? {} : { context: { ...context } });
  // A block is never a body (and a peer's body never uses phiseal's reserved pairs otherwise).
  if (Object.hasOwn(opened.context, PART_CONTEXT_KEY)) throw decryptionFailed({ part: 'body' });
  if (block?.StringValue === undefined) {
    checkPayloadBinding(opened.context, undefined);
    return { bytes: opened.plaintext, sealed: emptyAttributes() };
  }
  // No KMS call for a block the body does not announce.
  if (!Object.hasOwn(opened.context, SEALED_CONTEXT_KEY)) throw decryptionFailed({ part: 'sealedAttributes' });
  const frame = await openFrame(envelope, 'inlineSealedAttributes', block.StringValue, context);
  const digest = bodyDigest(Buffer.from(body, 'base64'));
  if (frame.body.length !== digest.length || !timingSafeEqual(frame.body, digest)) throw decryptionFailed({ part: 'sealedAttributes' });
  checkPayloadBinding(opened.context, Object.keys(frame.attributes).length);
  return { bytes: opened.plaintext, sealed: frame.attributes };
}
