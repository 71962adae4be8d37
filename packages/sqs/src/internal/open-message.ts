// Opens one received message, whoever sent it: inline (a compact frame, or an ESDK message
// from phiseal or any Encryption SDK peer, inline-body.ts),
// offloaded (a pointer to an S3EC payload, maybe with a sealed-attribute block), or — only
// when the caller opted in — a plain body or plain extended-client payload.
import { PhisealError } from '@phiseal/core';
import type { PayloadLocation } from '../types.js';
import { emptyAttributes, type Attributes } from './attributes.js';
import { LEGACY_SIZE_ATTRIBUTE, SEALED_ATTRIBUTE, SIZE_ATTRIBUTE } from './constants.js';
import { decryptionFailed, malformed } from './errors.js';
import { parsePointer } from './payload-pointer.js';
import { getPayload } from './payload-store.js';
import { openInline } from './inline-body.js';
import { inlineFormat } from './inline-format.js';
import { openFrame } from './sealed-block.js';
import { admitPlainMessage } from './plaintext-admission.js';
import type { OpenContext } from './queue-context.js';
import { checkPayloadBinding, mergeSealed, sealedContextPair } from './sealed-binding.js';

/** A message as it came off the queue. */
export type RawMessage = { messageId: string; body: string; attributes: Attributes; /** The queue (URL or ARN), for audit events. */ source?: string };

/** A decrypted message. */
export type OpenedMessage = {
  bytes: Uint8Array;
  body: string;
  attributes: Attributes;
  offloaded: boolean;
  encrypted: boolean;
  payload?: PayloadLocation;
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

// The queue a message came from: the encrypted queue's URL, or the record's event source.
const sourceOf = (ctx: OpenContext, raw: RawMessage): string | undefined =>
  'queueUrl' in ctx && typeof ctx.queueUrl === 'string' ? ctx.queueUrl : raw.source;

/**
 * Decrypts a message (fetching its payload when offloaded).
 * @throws PhisealError `DECRYPTION_FAILED`, `MALFORMED_CIPHERTEXT`, `CONTEXT_MISMATCH`, `PAYLOAD_MISSING`,
 * `UNSUPPORTED_OPERATION` (unencrypted, or a pointer to a bucket not accepted), `AWS_REQUEST_FAILED`.
 */
export async function openMessage(
  ctx: OpenContext,
  raw: RawMessage,
  context: Readonly<Record<string, string>> | undefined,
): Promise<OpenedMessage> {
  const visible = emptyAttributes();
  Object.assign(visible, raw.attributes);
  const sizeAttribute = visible[SIZE_ATTRIBUTE] ?? visible[LEGACY_SIZE_ATTRIBUTE];
  const sealedBlock = visible[SEALED_ATTRIBUTE];
  delete visible[SIZE_ATTRIBUTE];
  delete visible[LEGACY_SIZE_ATTRIBUTE];
  delete visible[SEALED_ATTRIBUTE];

  if (sizeAttribute !== undefined) {
    const payload = parsePointer(raw.body);
    if (ctx.allowedBuckets !== undefined && !ctx.allowedBuckets.accepts(payload.bucket)) {
      // A pointer is unauthenticated: following it anywhere would let a producer make the
      // consumer read (and, on delete, remove) objects in any bucket it can reach.
      throw new PhisealError('UNSUPPORTED_OPERATION', 'The message points to a payload bucket that is not accepted.', {
        details: { rule: 'payloadBucket' },
      });
    }
    let inside = emptyAttributes();
    let sealedCount: number | undefined;
    if (sealedBlock !== undefined) {
      if (typeof sealedBlock.StringValue !== 'string') throw malformed({ part: 'sealedAttributes' });
      const frame = await openFrame(ctx.envelope, 'sealedAttributes', sealedBlock.StringValue, context);
      if (!sameBytes(frame.body, encoder.encode(payload.key))) throw decryptionFailed({ part: 'sealedAttributes' });
      inside = frame.attributes;
      sealedCount = Object.keys(inside).length;
    }
    const opened = await getPayload(ctx, payload, context, sealedContextPair(sealedCount ?? 0), () => admitPlainMessage(ctx, 'payload', sourceOf(ctx, raw)));
    if (!opened.encrypted) {
      // A plain payload (accepted explicitly) authenticates nothing, so no block can belong to it.
      if (sealedBlock !== undefined) throw decryptionFailed({ part: 'sealedAttributes' });
      return { bytes: opened.bytes, body: decoder.decode(opened.bytes), attributes: visible, offloaded: true, encrypted: false, payload };
    }
    checkPayloadBinding(opened.context, sealedCount);
    const attributes = mergeSealed(visible, inside, ctx.sealedNames);
    return { bytes: opened.bytes, body: decoder.decode(opened.bytes), attributes, offloaded: true, encrypted: opened.encrypted, payload };
  }

  const format = inlineFormat(raw.body);
  if (format !== undefined) {
    const inline = await openInline(ctx.envelope, format, raw.body, sealedBlock, context);
    return {
      bytes: inline.bytes,
      body: decoder.decode(inline.bytes),
      attributes: mergeSealed(visible, inline.sealed, ctx.sealedNames),
      offloaded: false,
      encrypted: true,
    };
  }
  // A block authenticates nothing without an encrypted body to belong to.
  if (sealedBlock !== undefined) throw malformed({ part: 'sealedAttributes' });
  // No phiseal marker at all: plaintext, which the switch-over stage admits or refuses.
  admitPlainMessage(ctx, 'body', sourceOf(ctx, raw));
  const bytes = encoder.encode(raw.body);
  return { bytes, body: raw.body, attributes: visible, offloaded: false, encrypted: false };
}

/** The same error with the (PHI-free) message id added to its details, so callers can act on it. */
export function withMessageId(error: unknown, messageId: string): Error {
  if (!PhisealError.is(error)) return error instanceof Error ? error : new Error('Unexpected failure', { cause: error });
  return new PhisealError(error.code, error.message, {
    ...(error.cause === undefined ? {} : { cause: error.cause }),
    details: { ...error.details, messageId },
    retryable: error.retryable,
  });
}
