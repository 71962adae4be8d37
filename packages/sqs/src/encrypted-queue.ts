import type { SQSClient } from '@aws-sdk/client-sqs';
import { secureClient } from '@phiseal/core';
import { BUCKET_MARKER, DEFAULT_THRESHOLD, KEY_MARKER, MAX_MESSAGE_BYTES } from './internal/constants.js';
import { MIN_DEDUP_KEY_BYTES } from './internal/deduplication-id.js';
import { changeVisibility, deleteBatch, deleteMessage } from './internal/delete-messages.js';
import { invalidConfiguration } from './internal/errors.js';
import { bodyFormatOption } from './internal/inline-format.js';
import { createOpenContext } from './internal/open-context.js';
import type { QueueContext } from './internal/queue-context.js';
import { checkQueueUrl } from './internal/queue-url.js';
import { receiveMessages } from './internal/receive-messages.js';
import { sendBatch } from './internal/send-batch.js';
import { sendMessage } from './internal/send-message.js';
import type { EncryptedQueue, EncryptedQueueConfig } from './types.js';

function threshold(value: unknown): number {
  if (value === undefined) return DEFAULT_THRESHOLD;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_MESSAGE_BYTES) {
    throw invalidConfiguration(`thresholdBytes must be an integer from 1 to ${MAX_MESSAGE_BYTES}.`);
  }
  return value;
}

function flag(name: string, value: unknown): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw invalidConfiguration(`${name} must be a boolean.`);
  return value === true;
}

/**
 * An SQS queue whose message bodies are encrypted on the client with the envelope. Messages
 * over `thresholdBytes` are offloaded to S3 as S3 Encryption Client V3 objects (through
 * `@phiseal/s3`), with the official SQS Extended Client's pointer body, size attribute and
 * receipt-handle encoding, so that an extended client wired to an S3 Encryption Client can
 * read them. Queue name, visible attributes, group and deduplication ids go through the
 * guard; plain `http://` endpoints and queue URLs are refused unless loopback.
 *
 * @example
 * ```ts
 * import { S3Client } from '@aws-sdk/client-s3';
 * import { SQSClient } from '@aws-sdk/client-sqs';
 * import { createEnvelope, KmsKeyProvider } from '@phiseal/core';
 * import { encryptedQueue } from '@phiseal/sqs';
 *
 * const queue = encryptedQueue({
 *   sqs: new SQSClient({}),
 *   s3: new S3Client({}),
 *   queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/lab-results',
 *   payloadBucket: 'lab-results-payloads',
 *   envelope: createEnvelope({ keys: new KmsKeyProvider({ keyId: 'alias/phi' }) }),
 * });
 * await queue.send({ mrn: '448812', glucose: 5.4 }, { attributes: { kind: 'lab-result' } });
 * for (const message of await queue.receive({ maxMessages: 10, waitSeconds: 20 })) {
 *   handle(JSON.parse(message.body));
 *   await queue.delete(message.receiptHandle);
 * }
 * ```
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` for bad options; `INSECURE_ENDPOINT` for a
 * non-loopback http endpoint or queue URL; `PHI_DETECTED` when the queue name, bucket or key
 * prefix looks like PHI.
 */
export function encryptedQueue(config: EncryptedQueueConfig): EncryptedQueue {
  if (typeof config !== 'object' || config === null) throw invalidConfiguration('encryptedQueue needs a configuration object.');
  const sqs = config.sqs as SQSClient | undefined;
  if (!sqs || typeof sqs.send !== 'function') throw invalidConfiguration('encryptedQueue needs an SQSClient in `sqs`.');
  const { payloadBucket } = config;
  if (typeof payloadBucket !== 'string' || payloadBucket.length === 0) throw invalidConfiguration('payloadBucket must be a non-empty string.');
  const open = createOpenContext({
    envelope: config.envelope,
    s3: config.s3,
    allowedBuckets: [payloadBucket, ...(config.acceptPayloadBuckets ?? [])],
    acceptUnencrypted: config.acceptUnencrypted,
    plaintextPolicy: config.plaintextPolicy,
    encryptedAttributes: config.encryptedAttributes,
  });
  const { queueUrl, fifo } = checkQueueUrl(open.envelope.guard, config.queueUrl);
  const prefix = config.payloadKeyPrefix ?? '';
  if (typeof prefix !== 'string' || prefix.length > 900 || prefix.includes(BUCKET_MARKER) || prefix.includes(KEY_MARKER)) {
    throw invalidConfiguration('payloadKeyPrefix must be a string of at most 900 characters without receipt-handle markers.');
  }
  if (prefix.length > 0) open.envelope.guard.check(prefix, 's3.key');
  const dedupKey = config.deduplicationKey;
  if (dedupKey !== undefined && (!(dedupKey instanceof Uint8Array) || dedupKey.length < MIN_DEDUP_KEY_BYTES)) {
    throw invalidConfiguration(`deduplicationKey must be at least ${MIN_DEDUP_KEY_BYTES} random bytes.`);
  }
  const missingPayload = config.missingPayload ?? 'throw';
  if (missingPayload !== 'throw' && missingPayload !== 'delete') throw invalidConfiguration("missingPayload must be 'throw' or 'delete'.");
  if (config.onDropped !== undefined && typeof config.onDropped !== 'function') throw invalidConfiguration('onDropped must be a function.');
  const thresholdBytes = threshold(config.thresholdBytes);
  const sqsReady = secureClient(sqs, 'sqs');

  const ctx: QueueContext = {
    ...open,
    ready: Promise.all([open.ready, sqsReady]).then(() => undefined),
    sqs,
    queueUrl,
    fifo,
    payloadBucket,
    payloadKeyPrefix: prefix,
    thresholdBytes,
    // SQS has always taken 256 KiB per batch; a larger threshold says the queue takes more.
    batchBytes: Math.max(thresholdBytes, DEFAULT_THRESHOLD),
    alwaysThroughS3: flag('alwaysThroughS3', config.alwaysThroughS3),
    bodyFormat: bodyFormatOption(config.bodyFormat),
    sealed: open.sealedNames,
    deduplicationKey: dedupKey === undefined ? undefined : Uint8Array.from(dedupKey),
    missingPayload,
    onDropped: config.onDropped,
    deletePayloads: config.deletePayloads === undefined ? true : flag('deletePayloads', config.deletePayloads),
    legacyAttribute: flag('legacyAttribute', config.legacyAttribute),
  };
  ctx.ready.catch(() => undefined);
  return {
    send: (body, options) => sendMessage(ctx, body, options),
    sendBatch: (entries) => sendBatch(ctx, entries),
    receive: (options) => receiveMessages(ctx, options),
    delete: (handle) => deleteMessage(ctx, handle),
    deleteBatch: (handles) => deleteBatch(ctx, handles),
    changeVisibility: (handle, seconds) => changeVisibility(ctx, handle, seconds),
    queueUrl,
    fifo,
  };
}
