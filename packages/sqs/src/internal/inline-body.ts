// Inline messages in either body format (inline-format.ts): what a send puts in the body
// and attributes, and what a receive gets back from them. The compact format is phiseal's
// frame v2 (kind 1) holding the sealed attributes and the body inside one `ps1.` message;
// the ESDK format is esdk-inline.ts.
import type { Envelope } from '@phiseal/core';
import type { MessageAttribute } from '../types.js';
import { attributesSize, emptyAttributes, type Attributes } from './attributes.js';
import { encodeFrame } from './body-frame.js';
import { MAX_ATTRIBUTES, SEALED_ATTRIBUTE } from './constants.js';
import { malformed, limitExceeded } from './errors.js';
import { openEsdkInline, sealEsdkInline } from './esdk-inline.js';
import type { BodyFormat } from './inline-format.js';
import { openFrame } from './sealed-block.js';

type Context = Readonly<Record<string, string>>;

/** An inline message ready to send. */
export type InlineMessage = { body: string; attributes: Attributes; size: number };

/** Room an ESDK block leaves for nothing else: its name and type, the shortest sealed frame. */
const BLOCK_NAME_AND_TYPE = SEALED_ATTRIBUTE.length + 'String'.length;

/**
 * Encrypts a message inline, or returns `undefined` when it does not fit `threshold` (bytes of
 * body plus attributes, as SQS counts them) and must be offloaded.
 * @throws PhisealError `LIMIT_EXCEEDED` (no attribute slot for the ESDK block), envelope codes.
 */
export async function sealInline(
  envelope: Envelope,
  format: BodyFormat,
  message: { plaintext: Uint8Array; sealed: Attributes; visible: Attributes; context: Context },
  threshold: number,
): Promise<InlineMessage | undefined> {
  const { plaintext, sealed, visible, context } = message;
  const visibleSize = attributesSize(visible);
  if (format === 'compact') {
    const frame = encodeFrame('body', sealed, plaintext);
    // base64 alone makes the body at least 4/3 of the frame: skip encrypting what cannot fit.
    if (Math.ceil((frame.length * 4) / 3) + visibleSize > threshold) return undefined;
    const body = await envelope.encryptToString(frame, { context, format: 'compact' });
    const size = body.length + visibleSize;
    return size <= threshold ? { body, attributes: visible, size } : undefined;
  }
  const hasSealed = Object.keys(sealed).length > 0;
  const count = Object.keys(visible).length + (hasSealed ? 1 : 0);
  if (count > MAX_ATTRIBUTES) {
    throw limitExceeded("An ESDK inline body with encrypted attributes needs one of the 10 attribute slots (or use bodyFormat 'compact').", {
      count,
      limit: MAX_ATTRIBUTES,
    });
  }
  const floor = Math.ceil((plaintext.length * 4) / 3) + visibleSize + (hasSealed ? BLOCK_NAME_AND_TYPE + attributesSize(sealed) : 0);
  if (floor > threshold) return undefined;
  const out = await sealEsdkInline(envelope, plaintext, sealed, context);
  const attributes = emptyAttributes();
  Object.assign(attributes, visible);
  if (out.block !== undefined) attributes[SEALED_ATTRIBUTE] = { DataType: 'String', StringValue: out.block };
  const size = out.body.length + attributesSize(attributes);
  return size <= threshold ? { body: out.body, attributes, size } : undefined;
}

/**
 * Decrypts an inline body of `format` with its sealed-attribute block (if any).
 * @throws PhisealError `DECRYPTION_FAILED`, `MALFORMED_CIPHERTEXT`, `CONTEXT_MISMATCH`, KMS codes.
 */
export async function openInline(
  envelope: Envelope,
  format: BodyFormat,
  body: string,
  block: MessageAttribute | undefined,
  context: Context | undefined,
): Promise<{ bytes: Uint8Array; sealed: Attributes }> {
  if (format === 'esdk') return openEsdkInline(envelope, body, block, context);
  // A compact body holds its sealed attributes itself: a block beside it is foreign.
  if (block !== undefined) throw malformed({ part: 'sealedAttributes' });
  const frame = await openFrame(envelope, 'body', body, context);
  return { bytes: frame.body, sealed: frame.attributes };
}
