// Turns a caller's body and options into exactly what SQS will be sent: the encrypted body
// inline (in the queue's bodyFormat, inline-body.ts) when the whole message fits the threshold, otherwise an S3 payload and the
// extended clients' pointer. Every check runs before anything is written anywhere.
import { randomUUID } from 'node:crypto';
import type { MessageBody, SendOptions, PayloadLocation } from '../types.js';
import { attributesSize, emptyAttributes, guardAttributes, normalizeAttributes, type Attributes } from './attributes.js';
import { encodeFrame } from './body-frame.js';
import { LEGACY_SIZE_ATTRIBUTE, MAX_ATTRIBUTES, SEALED_ATTRIBUTE, SIZE_ATTRIBUTE } from './constants.js';
import { contextOption } from './context-option.js';
import { deduplicationId } from './deduplication-id.js';
import { sealInline } from './inline-body.js';
import { invalidArgument, limitExceeded } from './errors.js';
import { formatPointer } from './payload-pointer.js';
import { putPayload } from './payload-store.js';
import { plaintextMessage } from './plaintext-message.js';
import type { QueueContext } from './queue-context.js';
import { sealedContextPair } from './sealed-binding.js';

/** A message ready for SendMessage / SendMessageBatch. */
export type PreparedMessage = {
  body: string;
  attributes: Attributes;
  /** Bytes SQS charges: body plus attributes. */
  size: number;
  /** Set when offloaded: the S3 object written (to delete if the send fails). */
  payload?: PayloadLocation;
  groupId?: string;
  deduplicationId?: string;
  delaySeconds?: number;
  /** X-Ray's AWSTraceHeader, sent as a message system attribute. */
  traceHeader?: string;
};

const encoder = new TextEncoder();

/**
 * The bytes of a body: UTF-8 of a string, the bytes themselves, or the JSON text of a value.
 * @throws PhisealError `INVALID_ARGUMENT`.
 */
export function bodyBytes(body: MessageBody): Uint8Array {
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  let json: string | undefined;
  try {
    json = JSON.stringify(body);
  } catch {
    json = undefined;
  }
  if (json === undefined) throw invalidArgument('The body must be a string, bytes or a JSON-serializable value.');
  return encoder.encode(json);
}

function fifoIds(ctx: QueueContext, options: SendOptions, plaintext: Uint8Array): Pick<PreparedMessage, 'groupId' | 'deduplicationId'> {
  const guard = ctx.envelope.guard;
  const out: Pick<PreparedMessage, 'groupId' | 'deduplicationId'> = {};
  for (const [name, value] of [['groupId', options.groupId], ['deduplicationId', options.deduplicationId]] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length === 0 || value.length > 128 || !/^[\x21-\x7e]+$/.test(value)) {
      throw invalidArgument(`${name} must be 1 to 128 printable ASCII characters.`);
    }
    // Group and deduplication ids are stored and logged in the clear, like attributes.
    guard.check(value, 'sqs.attribute');
    out[name] = value;
  }
  if (!ctx.fifo) {
    if (out.deduplicationId !== undefined) throw invalidArgument('deduplicationId is only for FIFO queues.');
    return out;
  }
  if (out.groupId === undefined) throw invalidArgument('A FIFO queue needs a groupId.');
  if (out.deduplicationId === undefined) {
    if (ctx.deduplicationKey === undefined) {
      throw invalidArgument(
        'A FIFO queue needs a deduplicationId, or a deduplicationKey in the queue configuration (content-based deduplication cannot work on ciphertext).',
      );
    }
    out.deduplicationId = deduplicationId(ctx.deduplicationKey, plaintext);
  }
  return out;
}

function delay(ctx: QueueContext, value: unknown): Pick<PreparedMessage, 'delaySeconds'> {
  if (value === undefined) return {};
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 900) {
    throw invalidArgument('delaySeconds must be an integer from 0 to 900.');
  }
  if (ctx.fifo) throw invalidArgument('FIFO queues do not support per-message delaySeconds.');
  return { delaySeconds: value };
}

// X-Ray trace headers are `Key=Value` pairs joined by `;` (Root=1-…;Parent=…;Sampled=1). SQS
// stores them in the clear next to the message, so they are guarded like attributes; a value
// outside that shape is refused rather than sent, since nothing in a trace header needs more.
const TRACE_HEADER = /^[A-Za-z0-9=;_.:+/-]{1,1024}$/;

function trace(ctx: QueueContext, value: unknown): Pick<PreparedMessage, 'traceHeader'> {
  if (value === undefined) return {};
  if (typeof value !== 'string' || !TRACE_HEADER.test(value)) {
    throw invalidArgument('traceHeader must be an X-Ray trace header (Key=Value pairs joined by ";", at most 1024 characters).');
  }
  ctx.envelope.guard.check(value, 'sqs.attribute');
  return { traceHeader: value };
}

function tooLarge(what: string, size: number, limit: number): Error {
  return limitExceeded(`${what} exceed the message size threshold even with the payload offloaded.`, { size, limit });
}

/**
 * Validates, encrypts and (when needed) offloads one message.
 * @throws PhisealError `INVALID_ARGUMENT`, `PHI_DETECTED`, `LIMIT_EXCEEDED`, `KMS_UNAVAILABLE`,
 * `AWS_REQUEST_FAILED` (the S3 put; nothing is left behind).
 */
export async function prepareMessage(ctx: QueueContext, body: MessageBody, options: SendOptions = {}): Promise<PreparedMessage> {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options must be an object.');
  const plaintext = bodyBytes(body);
  const { visible, sealed } = normalizeAttributes(options.attributes, ctx.sealed);
  guardAttributes(ctx.envelope.guard, visible);
  const ids = fifoIds(ctx, options, plaintext);
  const common = { ...ids, ...delay(ctx, options.delaySeconds), ...trace(ctx, options.traceHeader) };
  const context = { ...(contextOption(options.context) ?? {}) };
  const visibleCount = Object.keys(visible).length;
  if (visibleCount > MAX_ATTRIBUTES) throw limitExceeded('SQS allows 10 message attributes.', { count: visibleCount, limit: MAX_ATTRIBUTES });
  // 'write-plaintext' (first switch-over stage): the same checks, then what a plain producer sends.
  if (ctx.plaintextPolicy === 'write-plaintext') return plaintextMessage(ctx, plaintext, visible, sealed, common);

  if (!ctx.alwaysThroughS3) {
    const inline = await sealInline(ctx.envelope, ctx.bodyFormat, { plaintext, sealed, visible, context }, ctx.thresholdBytes);
    if (inline !== undefined) return { ...inline, ...common };
  }

  const location = { bucket: ctx.payloadBucket, key: `${ctx.payloadKeyPrefix}${randomUUID()}` };
  const attributes = emptyAttributes();
  Object.assign(attributes, visible);
  attributes[ctx.legacyAttribute ? LEGACY_SIZE_ATTRIBUTE : SIZE_ATTRIBUTE] = { DataType: 'Number', StringValue: String(plaintext.length) };
  const sealedCount = Object.keys(sealed).length;
  if (sealedCount > 0) {
    // Bound to this payload by its key, so a block cannot be moved onto another message;
    // the payload's context announces the block (sealed-binding.ts), so it cannot be removed.
    const block = await ctx.envelope.encryptToString(encodeFrame('sealedAttributes', sealed, encoder.encode(location.key)), { context, format: 'compact' });
    attributes[SEALED_ATTRIBUTE] = { DataType: 'String', StringValue: block };
  }
  const count = Object.keys(attributes).length;
  if (count > MAX_ATTRIBUTES) {
    throw limitExceeded('An offloaded message needs one (or two, with encrypted attributes) of the 10 attribute slots.', { count, limit: MAX_ATTRIBUTES });
  }
  const pointer = formatPointer(location, ctx.legacyAttribute);
  const size = encoder.encode(pointer).length + attributesSize(attributes);
  if (size > ctx.thresholdBytes) throw tooLarge('The message attributes', size, ctx.thresholdBytes);
  await putPayload(ctx, location, plaintext, { ...context, ...sealedContextPair(sealedCount) });
  return { body: pointer, attributes, size, payload: location, ...common };
}
