import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Envelope, PhisealErrorCode, PlaintextPolicy } from '@phiseal/core';

/**
 * A JSON value, sent as its `JSON.stringify` text.
 *
 * @example
 * ```ts
 * import type { JsonValue } from '@phiseal/sqs';
 * const order: JsonValue = { patientRef: 'p-8812', tests: ['hba1c', 'lipids'], urgent: false };
 * await queue.send(order);
 * ```
 */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * A message body: text (sent as UTF-8), bytes, or a JSON value.
 *
 * @example
 * ```ts
 * import type { MessageBody } from '@phiseal/sqs';
 * const bodies: MessageBody[] = ['glucose 5.4 mmol/L', new Uint8Array([1, 2, 3]), { mrn: '448812' }];
 * for (const body of bodies) await queue.send(body);
 * ```
 */
export type MessageBody = string | Uint8Array | JsonValue;

/**
 * An SQS message attribute in the SDK's shape. `DataType` is `String`, `Number` or
 * `Binary`, optionally with a custom suffix (`String.patient-ref`).
 *
 * @example
 * ```ts
 * import type { MessageAttribute } from '@phiseal/sqs';
 * const source: MessageAttribute = { DataType: 'String.system', StringValue: 'lab-feed' };
 * await queue.send('glucose 5.4 mmol/L', { attributes: { source } });
 * ```
 */
export type MessageAttribute = {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
};

/**
 * What `attributes` accepts: a string (`String`), a finite number (`Number`), bytes (`Binary`) or the full shape.
 *
 * @example
 * ```ts
 * import type { AttributeInput } from '@phiseal/sqs';
 * const attributes: Record<string, AttributeInput> = {
 *   source: 'lab-feed',
 *   priority: 2,
 *   checksum: new Uint8Array([0xde, 0xad]),
 *   region: { DataType: 'String', StringValue: 'eu-west-1' },
 * };
 * await queue.send('glucose 5.4 mmol/L', { attributes });
 * ```
 */
export type AttributeInput = string | number | Uint8Array | MessageAttribute;

/**
 * Options of {@link encryptedQueue}.
 *
 * @example
 * ```ts
 * import { S3Client } from '@aws-sdk/client-s3';
 * import { SQSClient } from '@aws-sdk/client-sqs';
 * import { encryptedQueue, type EncryptedQueueConfig } from '@phiseal/sqs';
 * const config: EncryptedQueueConfig = {
 *   sqs: new SQSClient({}),
 *   s3: new S3Client({}),
 *   queueUrl: process.env.QUEUE_URL,
 *   payloadBucket: process.env.PAYLOAD_BUCKET,
 *   envelope,
 *   encryptedAttributes: ['patientRef'],
 *   plaintextPolicy: 'encrypted-only',
 * };
 * const queue = encryptedQueue(config);
 * ```
 */
export type EncryptedQueueConfig = {
  /** The caller's SQS client (https, or http only to a loopback host). */
  sqs: SQSClient;
  /** The caller's S3 client, for offloaded payloads (same transport rule). */
  s3: S3Client;
  /**
   * The queue's URL; its name is checked for PHI. A `.fifo` name makes it a FIFO queue.
   * `undefined` (an unset environment variable) is refused with `INVALID_CONFIGURATION`.
   */
  queueUrl: string | undefined;
  /**
   * Bucket of offloaded payloads (checked for PHI). Received pointers must name it (or one of
   * `acceptPayloadBuckets`). `undefined` is refused with `INVALID_CONFIGURATION`.
   */
  payloadBucket: string | undefined;
  /** Key provider, data-key cache, guard and audit sink. */
  envelope: Envelope;
  /**
   * Largest message (encrypted body plus attributes, in bytes, as SQS counts it) sent
   * inline; larger ones are offloaded. Default 262,144; at most 1,048,576 (SQS's limit).
   */
  thresholdBytes?: number;
  /** Offload every message, whatever its size. Default false. */
  alwaysThroughS3?: boolean;
  /**
   * What inline bodies are written as. `'esdk'` (default): the base64 of an AWS Encryption
   * SDK message whose plaintext is the body, which any Encryption SDK (Java, Python,
   * JavaScript, the `aws-encryption-cli`) with the KMS keyring decrypts; encrypted attributes
   * then ride in the `PhisealSealedAttributes` attribute, bound to the body. `'compact'`:
   * phiseal's own smaller `ps1.` frame (bodies and encrypted attributes in one message),
   * which only phiseal reads. Receive reads both, and peers' ESDK bodies, whatever this says.
   * Offloaded payloads are S3 Encryption Client objects either way.
   */
  bodyFormat?: 'esdk' | 'compact';
  /** Prefix of payload object keys (checked for PHI); a random UUID follows it. Default none. */
  payloadKeyPrefix?: string;
  /**
   * Attributes encrypted with the body (SQS stores attributes in the clear): inside the
   * compact body, or in the `PhisealSealedAttributes` block bound to an ESDK body or payload;
   * a list of names, or `'all'`. Their names and values are not checked by the guard,
   * since nothing of them is visible. On receive, an encrypted message carrying a visible
   * attribute of one of these names (any, for `'all'`) is refused as forged. Default none.
   */
  encryptedAttributes?: readonly string[] | 'all';
  /**
   * Secret (at least 32 bytes) keying the hash that derives FIFO deduplication ids from the
   * plaintext body, replacing content-based deduplication (which cannot work on ciphertext).
   * Every producer of a queue must share it. Without it, FIFO sends need `deduplicationId`.
   */
  deduplicationKey?: Uint8Array;
  /**
   * The switch-over stage while producers move from plain SQS or extended clients to phiseal:
   * `'write-plaintext'` sends plaintext (attributes, ids and keys still guarded; encrypted
   * attributes go visible after the guard) and reads both, `'write-encrypted'` (alias
   * `'read-both'`, for consumers) sends encrypted and reads both, `'encrypted-only'` (default)
   * refuses a plaintext body or payload with `PLAINTEXT_REFUSED`. Plaintext = none of
   * phiseal's markers ({@link messageState}); a partial one is refused in every stage.
   * Every plaintext read is audited (`sqs.plaintextRead`). See docs/switch-over.md.
   */
  plaintextPolicy?: PlaintextPolicy;
  /** @deprecated The older spelling of `plaintextPolicy: 'write-encrypted'`. */
  acceptUnencrypted?: boolean;
  /** On receive, a message whose payload is gone: `'throw'` (default) `PAYLOAD_MISSING`, or `'delete'` it and report it. */
  missingPayload?: 'throw' | 'delete';
  /** Told about every message deleted by `missingPayload: 'delete'`. Must not throw. */
  onDropped?: (report: DroppedMessage) => void;
  /** Delete the S3 payload when its message is deleted. Default true. */
  deletePayloads?: boolean;
  /** Other buckets whose pointers are followed on receive (for example a peer producer's). */
  acceptPayloadBuckets?: readonly string[];
  /** Write the pre-2.0 `SQSLargePayloadSize` attribute and `MessageS3Pointer` class. Default false. */
  legacyAttribute?: boolean;
};

/**
 * A message deleted on receive because its offloaded payload was gone.
 *
 * @example
 * ```ts
 * import { encryptedQueue, type DroppedMessage } from '@phiseal/sqs';
 * const onDropped = (report: DroppedMessage): void => console.warn(`dropped ${report.messageId}: ${report.code}`);
 * const queue = encryptedQueue({ ...config, missingPayload: 'delete', onDropped });
 * ```
 */
export type DroppedMessage = {
  messageId: string;
  code: Extract<PhisealErrorCode, 'PAYLOAD_MISSING'>;
};

/**
 * Options of {@link EncryptedQueue.send}.
 *
 * @example
 * ```ts
 * import type { SendOptions } from '@phiseal/sqs';
 * const options: SendOptions = {
 *   attributes: { source: 'lab-feed' },
 *   groupId: 'clinic-a', // FIFO queues only
 *   delaySeconds: 30,
 *   context: { tenant: 'clinic-a' },
 * };
 * await queue.send({ mrn: '448812' }, options);
 * ```
 */
export type SendOptions = {
  /** Message attributes. Stored in the clear unless listed in `encryptedAttributes`. */
  attributes?: Readonly<Record<string, AttributeInput>>;
  /** FIFO message group id (checked for PHI). Required on FIFO queues. */
  groupId?: string;
  /** FIFO deduplication id (checked for PHI); derived from the keyed hash of the body when omitted. */
  deduplicationId?: string;
  /** 0 to 900. */
  delaySeconds?: number;
  /**
   * X-Ray trace header (`Root=1-…;Parent=…;Sampled=1`), sent as the `AWSTraceHeader` message
   * system attribute. Stored in the clear by SQS, so checked for PHI.
   */
  traceHeader?: string;
  /** Encryption context bound to the body and payload. Never PHI. */
  context?: Readonly<Record<string, string>>;
};

/**
 * One entry of {@link EncryptedQueue.sendBatch}.
 *
 * @example
 * ```ts
 * import type { BatchEntry } from '@phiseal/sqs';
 * const entries: BatchEntry[] = [
 *   { id: 'a', body: { mrn: '448812' } },
 *   { id: 'b', body: 'glucose 5.4 mmol/L', attributes: { source: 'lab-feed' } },
 * ];
 * const { successful, failed } = await queue.sendBatch(entries);
 * ```
 */
export type BatchEntry = SendOptions & {
  /** Entry id (`[A-Za-z0-9_-]{1,80}`, unique in the call); default its index. */
  id?: string;
  body: MessageBody;
};

/**
 * What {@link EncryptedQueue.send} returns.
 *
 * @example
 * ```ts
 * import type { SendResult } from '@phiseal/sqs';
 * const result: SendResult = await queue.send({ mrn: '448812' });
 * console.log(result.messageId, result.offloaded ? 'payload in S3' : 'inline');
 * ```
 */
export type SendResult = {
  messageId: string;
  /** Whether the payload went to S3. */
  offloaded: boolean;
  /** Set on FIFO queues. */
  sequenceNumber?: string;
};

/**
 * Per-entry outcome of {@link EncryptedQueue.sendBatch}. Failed entries left nothing in S3 (or say `orphanedPayload`).
 *
 * @example
 * ```ts
 * import type { SendBatchResult } from '@phiseal/sqs';
 * const result: SendBatchResult = await queue.sendBatch(entries);
 * for (const { id, code, senderFault } of result.failed) {
 *   console.warn(`entry ${id} failed: ${code}`, senderFault ? '(fix the entry)' : '(retry)');
 * }
 * ```
 */
export type SendBatchResult = {
  successful: Array<SendResult & { id: string }>;
  /**
   * `code` is the PhisealError code, or the AWS error's name when SQS or S3 answered with an
   * error (then `error` is the SDK's own object).
   */
  failed: Array<{ id: string; code: PhisealErrorCode | (string & {}); senderFault: boolean; error: Error }>;
};

/**
 * Options of {@link EncryptedQueue.receive}.
 *
 * @example
 * ```ts
 * import type { ReceiveOptions } from '@phiseal/sqs';
 * const options: ReceiveOptions = {
 *   maxMessages: 10,
 *   waitSeconds: 20,
 *   visibilityTimeout: 60,
 *   onError: (failure) => console.warn(failure.messageId, failure.code), // left for the dead-letter queue
 * };
 * const messages = await queue.receive(options);
 * ```
 */
export type ReceiveOptions = {
  /** 1 to 10; default 1. */
  maxMessages?: number;
  /** Long-poll seconds, 0 to 20. */
  waitSeconds?: number;
  /** Seconds the received messages stay invisible. */
  visibilityTimeout?: number;
  /** Pairs the stored context must contain (offloaded payloads: must equal the stored context, the S3EC rule). */
  context?: Readonly<Record<string, string>>;
  /**
   * Called for each message that cannot be opened (tampered, wrong key or context, payload
   * gone): the good messages of the batch are returned and each bad one is reported here
   * and left on the queue, so the queue's redrive policy moves it to its dead-letter queue.
   * Without it, the first bad message fails the whole call (default).
   */
  onError?: (failure: ReceiveFailure) => void;
};

/**
 * A message `receive` could not open (see {@link ReceiveOptions.onError}); it stays on the queue.
 *
 * @example
 * ```ts
 * import type { ReceiveFailure } from '@phiseal/sqs';
 * const failures: ReceiveFailure[] = [];
 * const messages = await queue.receive({ maxMessages: 10, onError: (failure) => failures.push(failure) });
 * ```
 */
export type ReceiveFailure = {
  messageId: string;
  /** The PhisealError code, or the AWS error's name when S3 answered with an error (`error` is then the SDK's object). */
  code: PhisealErrorCode | (string & {});
  error: Error;
};

/**
 * A received, decrypted message.
 *
 * @example
 * ```ts
 * import type { ReceivedMessage } from '@phiseal/sqs';
 * const messages: ReceivedMessage[] = await queue.receive({ maxMessages: 10, waitSeconds: 20 });
 * for (const message of messages) {
 *   const order = JSON.parse(message.body) as { mrn: string };
 *   await queue.delete(message.receiptHandle); // also deletes an offloaded payload
 * }
 * ```
 */
export type ReceivedMessage = {
  messageId: string;
  /** The body as UTF-8 text (`JSON.parse` it for JSON bodies). */
  body: string;
  /** The exact body bytes (for binary bodies). */
  bytes: Uint8Array;
  /** Pass to `delete`, `deleteBatch`, `changeVisibility`; carries the payload location when offloaded. */
  receiptHandle: string;
  /** Message attributes, the encrypted ones included; the extended-client attributes removed. */
  attributes: Record<string, MessageAttribute>;
  /** SQS system attributes (`SentTimestamp`, `ApproximateReceiveCount`, `MessageGroupId`, ...). */
  systemAttributes: Record<string, string>;
  /** Whether the payload came from S3. */
  offloaded: boolean;
  /** False only for plaintext messages admitted by a reading `plaintextPolicy`. */
  encrypted: boolean;
};

/**
 * Per-handle outcome of {@link EncryptedQueue.deleteBatch}.
 *
 * @example
 * ```ts
 * import type { DeleteBatchResult } from '@phiseal/sqs';
 * const result: DeleteBatchResult = await queue.deleteBatch(messages.map((message) => message.receiptHandle));
 * for (const { receiptHandle, code } of result.failed) console.warn(`not deleted (${code})`, receiptHandle);
 * ```
 */
export type DeleteBatchResult = {
  successful: string[];
  /** As in {@link SendBatchResult}: a PhisealError code, or the AWS error's name with the SDK's object. */
  failed: Array<{ receiptHandle: string; code: PhisealErrorCode | (string & {}); senderFault: boolean; error: Error }>;
};

/**
 * An SQS queue whose bodies are encrypted client-side, with SQS Extended Client-compatible
 * S3 offloading. Made by {@link encryptedQueue}.
 *
 * @example
 * ```ts
 * import { encryptedQueue, type EncryptedQueue } from '@phiseal/sqs';
 * const queue: EncryptedQueue = encryptedQueue({ sqs, s3, queueUrl, payloadBucket: 'phi-payloads', envelope });
 * await queue.send({ mrn: '448812', test: 'hba1c' });
 * for (const message of await queue.receive({ waitSeconds: 20 })) await queue.delete(message.receiptHandle);
 * ```
 */
export type EncryptedQueue = {
  /**
   * Encrypts and sends one message, offloading it to S3 when it is over the threshold.
   * @throws {@link PhisealError} `PHI_DETECTED`, `INVALID_ARGUMENT`, `LIMIT_EXCEEDED`, `KMS_UNAVAILABLE`,
   * `INSECURE_ENDPOINT`, `AWS_REQUEST_FAILED` (nothing is left in S3).
   */
  send(body: MessageBody, options?: SendOptions): Promise<SendResult>;
  /**
   * Sends many messages in batches of at most 10 entries and the batch size limit; reports each entry.
   * @throws {@link PhisealError} `INVALID_ARGUMENT` for a malformed call (per-entry problems are reported, not thrown).
   */
  sendBatch(entries: readonly BatchEntry[]): Promise<SendBatchResult>;
  /**
   * Receives and decrypts up to `maxMessages` messages, fetching offloaded payloads.
   * @throws {@link PhisealError} `DECRYPTION_FAILED`, `MALFORMED_CIPHERTEXT`, `PAYLOAD_MISSING`,
   * `UNSUPPORTED_OPERATION` (unencrypted), `CONTEXT_MISMATCH`, `AWS_REQUEST_FAILED`.
   */
  receive(options?: ReceiveOptions): Promise<ReceivedMessage[]>;
  /**
   * Deletes a message, then its S3 payload.
   * @throws {@link PhisealError} `INVALID_ARGUMENT`, `AWS_REQUEST_FAILED`.
   */
  delete(receiptHandle: string): Promise<void>;
  /**
   * Deletes many messages (batches of 10) and the payloads of those deleted.
   * @throws {@link PhisealError} `INVALID_ARGUMENT`.
   */
  deleteBatch(receiptHandles: readonly string[]): Promise<DeleteBatchResult>;
  /**
   * Changes a received message's visibility timeout.
   * @throws {@link PhisealError} `INVALID_ARGUMENT`, `AWS_REQUEST_FAILED`.
   */
  changeVisibility(receiptHandle: string, seconds: number): Promise<void>;
  /** The queue URL. */
  readonly queueUrl: string;
  /** Whether the queue is FIFO. */
  readonly fifo: boolean;
};

/**
 * A record of a Lambda SQS event, or an SDK `Message` (as sqs-consumer hands out).
 *
 * @example
 * ```ts
 * import type { SQSEvent } from 'aws-lambda';
 * import { decryptRecord, type SqsRecord } from '@phiseal/sqs';
 * export async function handler(event: SQSEvent): Promise<void> {
 *   for (const record of event.Records) {
 *     const sqsRecord: SqsRecord = record; // @types/aws-lambda's SQSRecord as it is
 *     const { body } = await decryptRecord(sqsRecord, { envelope, s3 });
 *   }
 * }
 * ```
 */
export type SqsRecord =
  | {
      messageId: string;
      body: string;
      // `| undefined` throughout: @types/aws-lambda's SQSRecord and the SDK's Message declare
      // optional fields that way, and must be accepted as they are under exactOptionalPropertyTypes.
      messageAttributes?:
        | Readonly<
            Record<
              string,
              | { dataType: string; stringValue?: string | null | undefined; binaryValue?: string | null | undefined }
              | undefined
            >
          >
        | undefined;
      receiptHandle?: string | undefined;
    }
  | {
      MessageId?: string | undefined;
      Body?: string | undefined;
      MessageAttributes?:
        | Readonly<
            Record<string, { DataType?: string | undefined; StringValue?: string | undefined; BinaryValue?: Uint8Array | undefined } | undefined>
          >
        | undefined;
      ReceiptHandle?: string | undefined;
    };

/**
 * Options of {@link decryptRecord}.
 *
 * @example
 * ```ts
 * import { S3Client } from '@aws-sdk/client-s3';
 * import { decryptRecord, type DecryptRecordConfig } from '@phiseal/sqs';
 * const config: DecryptRecordConfig = {
 *   envelope,
 *   s3: new S3Client({}),
 *   payloadBuckets: ['phi-payloads'],
 *   encryptedAttributes: ['patientRef'],
 * };
 * const decrypted = await decryptRecord(record, config);
 * ```
 */
export type DecryptRecordConfig = {
  envelope: Envelope;
  /** For offloaded payloads. */
  s3: S3Client;
  /** When set, pointers to any other bucket are refused. */
  payloadBuckets?: readonly string[];
  /** As in {@link EncryptedQueueConfig} (the consumer's stage: `'read-both'` reads plaintext messages). */
  plaintextPolicy?: PlaintextPolicy;
  /** @deprecated The older spelling of `plaintextPolicy: 'write-encrypted'`. */
  acceptUnencrypted?: boolean;
  /**
   * The producer's `encryptedAttributes`: on an encrypted message, a visible attribute of
   * one of these names (any visible attribute, for `'all'`) is a forgery and is refused.
   */
  encryptedAttributes?: readonly string[] | 'all';
  /** Pairs the stored context must contain. */
  context?: Readonly<Record<string, string>>;
};

/**
 * What {@link decryptRecord} returns.
 *
 * @example
 * ```ts
 * import { decryptRecord, deletePayload, type DecryptedRecord } from '@phiseal/sqs';
 * const decrypted: DecryptedRecord = await decryptRecord(record, { envelope, s3 });
 * // ... process decrypted.body ...
 * if (decrypted.payload) await deletePayload(decrypted.payload, { envelope, s3 });
 * ```
 */
export type DecryptedRecord = {
  messageId: string;
  body: string;
  bytes: Uint8Array;
  attributes: Record<string, MessageAttribute>;
  offloaded: boolean;
  encrypted: boolean;
  /** Where the payload is, when offloaded: delete it with {@link deletePayload} once the message is processed. */
  payload?: PayloadLocation;
};

/**
 * An offloaded payload's S3 location.
 *
 * @example
 * ```ts
 * import { deletePayload, type PayloadLocation } from '@phiseal/sqs';
 * const payload: PayloadLocation = { bucket: 'phi-payloads', key: '3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b' };
 * await deletePayload(payload, { envelope, s3, payloadBuckets: ['phi-payloads'] });
 * ```
 */
export type PayloadLocation = { bucket: string; key: string };
