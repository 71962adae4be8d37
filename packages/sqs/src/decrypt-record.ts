import { fromLambdaAttributes, fromSdkAttributes } from './internal/attributes.js';
import { contextOption } from './internal/context-option.js';
import { invalidArgument } from './internal/errors.js';
import { createOpenContext } from './internal/open-context.js';
import { openMessage, withMessageId, type RawMessage } from './internal/open-message.js';
import { deletePayloadObject } from './internal/payload-store.js';
import type { DecryptedRecord, DecryptRecordConfig, PayloadLocation, SqsRecord } from './types.js';

function rawMessage(record: SqsRecord): RawMessage {
  if (typeof record !== 'object' || record === null) throw invalidArgument('decryptRecord takes an SQS record.');
  if ('body' in record && typeof record.body === 'string') {
    const source = (record as { eventSourceARN?: unknown }).eventSourceARN;
    return { messageId: record.messageId, body: record.body, attributes: fromLambdaAttributes(record.messageAttributes), ...(typeof source === 'string' ? { source } : {}) };
  }
  if ('Body' in record && typeof record.Body === 'string') {
    return { messageId: record.MessageId ?? '', body: record.Body, attributes: fromSdkAttributes(record.MessageAttributes) };
  }
  throw invalidArgument('The record has no body (expected a Lambda SQS record or an SDK Message).');
}

/**
 * Decrypts one SQS message outside {@link encryptedQueue}: a record of a Lambda SQS event
 * (`event.Records[i]`) or an SDK `Message` (what sqs-consumer hands to `handleMessage`).
 * Inline bodies are decrypted; offloaded ones are fetched from S3 and decrypted. The
 * payload is not deleted: call {@link deletePayload} once the message is processed (the
 * Lambda event source deletes the message itself), or let a bucket lifecycle rule expire it.
 *
 * @example
 * ```ts
 * import type { SQSEvent } from 'aws-lambda';
 * const config = { envelope, s3: new S3Client({}), payloadBuckets: ['lab-results-payloads'] };
 * export const handler = async (event: SQSEvent) => {
 *   for (const record of event.Records) {
 *     const { body, attributes, payload } = await decryptRecord(record, config);
 *     await process(JSON.parse(body), attributes);
 *     if (payload) await deletePayload(payload, config);
 *   }
 * };
 * ```
 * @throws {@link PhisealError} `DECRYPTION_FAILED` / `MALFORMED_CIPHERTEXT` (tampered or foreign),
 * `PAYLOAD_MISSING`, `UNSUPPORTED_OPERATION` (unencrypted without `acceptUnencrypted`, or a bucket
 * outside `payloadBuckets`), `CONTEXT_MISMATCH`, `INVALID_ARGUMENT`, `INVALID_CONFIGURATION`,
 * `AWS_REQUEST_FAILED`. Errors carry `details.messageId`.
 */
export async function decryptRecord(record: SqsRecord, config: DecryptRecordConfig): Promise<DecryptedRecord> {
  if (typeof config !== 'object' || config === null) throw invalidArgument('decryptRecord needs { envelope, s3 }.');
  const ctx = createOpenContext({
    envelope: config.envelope,
    s3: config.s3,
    allowedBuckets: config.payloadBuckets,
    acceptUnencrypted: config.acceptUnencrypted,
    plaintextPolicy: config.plaintextPolicy,
    encryptedAttributes: config.encryptedAttributes,
  });
  const raw = rawMessage(record);
  const context = contextOption(config.context);
  try {
    await ctx.ready;
    const opened = await openMessage(ctx, raw, context);
    return {
      messageId: raw.messageId,
      body: opened.body,
      bytes: opened.bytes,
      attributes: { ...opened.attributes },
      offloaded: opened.offloaded,
      encrypted: opened.encrypted,
      ...(opened.payload === undefined ? {} : { payload: opened.payload }),
    };
  } catch (error) {
    throw withMessageId(error, raw.messageId);
  }
}

/**
 * Deletes an offloaded payload (and any instruction file) after its message was processed.
 * Deleting a payload that is already gone succeeds.
 *
 * @example
 * ```ts
 * const { payload } = await decryptRecord(record, config);
 * if (payload) await deletePayload(payload, config);
 * ```
 * @throws {@link PhisealError} `UNSUPPORTED_OPERATION` for a bucket outside `payloadBuckets`,
 * `PHI_DETECTED`, `INVALID_CONFIGURATION`, `AWS_REQUEST_FAILED`.
 */
export async function deletePayload(payload: PayloadLocation, config: Pick<DecryptRecordConfig, 'envelope' | 's3' | 'payloadBuckets'>): Promise<void> {
  if (typeof payload !== 'object' || payload === null || typeof payload.bucket !== 'string' || typeof payload.key !== 'string') {
    throw invalidArgument('deletePayload takes { bucket, key }.');
  }
  const ctx = createOpenContext({ envelope: config.envelope, s3: config.s3, allowedBuckets: config.payloadBuckets, acceptUnencrypted: false });
  if (ctx.allowedBuckets !== undefined && !ctx.allowedBuckets.accepts(payload.bucket)) {
    throw invalidArgument('The payload bucket is not in payloadBuckets.');
  }
  await ctx.ready;
  await deletePayloadObject(ctx, payload);
}
