/**
 * Client-side encrypted Amazon SQS messages: bodies sealed with the phiseal envelope,
 * large payloads offloaded to S3 as S3 Encryption Client objects with the official SQS
 * Extended Client's pointer format (so its Java and Python versions interoperate), FIFO
 * deduplication without content hashing, PHI guards on everything SQS stores in the
 * clear, and a helper for Lambda SQS events and sqs-consumer.
 *
 * @example
 * ```ts
 * import { encryptedQueue } from '@phiseal/sqs';
 * const queue = encryptedQueue({ sqs, s3, queueUrl, payloadBucket: 'phi-payloads', envelope });
 * await queue.send('MRN 448812: glucose 5.4 mmol/L');
 * const [message] = await queue.receive({ waitSeconds: 20 });
 * ```
 *
 * @packageDocumentation
 * @module @phiseal/sqs
 */
export { encryptedQueue } from './encrypted-queue.js';
export { withEncryption } from './with-encryption.js';
export type { QueueEncryption, SqsEncryptionOptions } from './with-encryption.js';
export { parseQueueReference, queueMatcher } from './queue-reference.js';
export type { QueueMatcher, QueueReference } from './queue-reference.js';
export { decryptRecord, deletePayload } from './decrypt-record.js';
export { isSealedBody, messageState } from './message-state.js';
export type { MessageState, ReceivedMessageLike } from './message-state.js';

export type {
  AttributeInput,
  BatchEntry,
  DecryptedRecord,
  DecryptRecordConfig,
  DeleteBatchResult,
  DroppedMessage,
  EncryptedQueue,
  EncryptedQueueConfig,
  JsonValue,
  MessageAttribute,
  MessageBody,
  PayloadLocation,
  ReceivedMessage,
  ReceiveFailure,
  ReceiveOptions,
  SendBatchResult,
  SendOptions,
  SendResult,
  SqsRecord,
} from './types.js';

// Re-exported so callers can branch on errors without importing @phiseal/core.
export { PhisealError } from '@phiseal/core';
export type { PhisealErrorCode, PlaintextPolicy, RecordState } from '@phiseal/core';
