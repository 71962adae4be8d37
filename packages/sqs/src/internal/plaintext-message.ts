// 'write-plaintext' on the send side: what a plain SQS or extended-client producer would send,
// after the same guard as an encrypted message. Used only in the first switch-over stage, so
// services can deploy phiseal before any reader can open ciphertext.
import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { isSealedBody } from '../message-state.js';
import { attributesSize, guardAttributes, type Attributes } from './attributes.js';
import { LEGACY_SIZE_ATTRIBUTE, MAX_ATTRIBUTES, SIZE_ATTRIBUTE } from './constants.js';
import { awsRequestFailed, invalidArgument, limitExceeded } from './errors.js';
import { formatPointer } from './payload-pointer.js';
import type { PreparedMessage } from './prepare-message.js';
import type { QueueContext } from './queue-context.js';

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

function textBody(plaintext: Uint8Array): string {
  let body: string;
  try {
    body = strictDecoder.decode(plaintext);
  } catch {
    throw invalidArgument("plaintextPolicy 'write-plaintext' sends text bodies only (SQS bodies are text); send bytes encrypted.");
  }
  // Would read back as (failing) ciphertext, never as the plaintext sent.
  if (isSealedBody(body)) throw invalidArgument("This plaintext body starts like a phiseal ciphertext ('ps1.' or a base64 Encryption SDK message); readers would refuse it.");
  return body;
}

/**
 * The plaintext message: inline when it fits the threshold, else the body as a plain S3
 * object and the extended clients' pointer. Encrypted attributes travel visible, so they are
 * guarded like visible ones.
 * @throws PhisealError INVALID_ARGUMENT, PHI_DETECTED, LIMIT_EXCEEDED, AWS_REQUEST_FAILED.
 */
export async function plaintextMessage(
  ctx: QueueContext,
  plaintext: Uint8Array,
  visible: Attributes,
  sealed: Attributes,
  common: Pick<PreparedMessage, 'groupId' | 'deduplicationId' | 'delaySeconds' | 'traceHeader'>,
): Promise<PreparedMessage> {
  guardAttributes(ctx.envelope.guard, sealed);
  const attributes: Attributes = { ...visible, ...sealed };
  const body = textBody(plaintext);
  const size = plaintext.length + attributesSize(attributes);
  const count = Object.keys(attributes).length;
  if (!ctx.alwaysThroughS3 && size <= ctx.thresholdBytes) {
    if (count > MAX_ATTRIBUTES) throw limitExceeded('SQS allows 10 message attributes.', { count, limit: MAX_ATTRIBUTES });
    return { body, attributes, size, ...common };
  }
  attributes[ctx.legacyAttribute ? LEGACY_SIZE_ATTRIBUTE : SIZE_ATTRIBUTE] = { DataType: 'Number', StringValue: String(plaintext.length) };
  if (count + 1 > MAX_ATTRIBUTES) throw limitExceeded('An offloaded message needs one of the 10 attribute slots.', { count: count + 1, limit: MAX_ATTRIBUTES });
  const location = { bucket: ctx.payloadBucket, key: `${ctx.payloadKeyPrefix}${randomUUID()}` };
  const pointer = formatPointer(location, ctx.legacyAttribute);
  const pointerSize = encoder.encode(pointer).length + attributesSize(attributes);
  if (pointerSize > ctx.thresholdBytes) throw limitExceeded('The message attributes exceed the message size threshold even with the payload offloaded.', { size: pointerSize, limit: ctx.thresholdBytes });
  try {
    await ctx.s3.send(new PutObjectCommand({ Bucket: location.bucket, Key: location.key, Body: plaintext, ContentLength: plaintext.length }));
  } catch (error) {
    throw awsRequestFailed('S3', 'PutObject', error, { bucket: location.bucket, key: location.key });
  }
  return { body: pointer, attributes, size: pointerSize, payload: location, ...common };
}
