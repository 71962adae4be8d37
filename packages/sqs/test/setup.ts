// Shared fixtures of the SQS integration tests: a bucket, a KMS key and queues on the
// emulator, and phiseal queues over them.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type Message, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { createEnvelope, KmsKeyProvider, type Envelope } from '@phiseal/core';
import { encryptedS3 } from '@phiseal/s3';
import { encryptedQueue, type EncryptedQueue, type EncryptedQueueConfig } from '@phiseal/sqs';
import { createBucket, createKmsKey, createQueue, kmsClient, pattern, rejection, s3Client, sqsClient } from '@phiseal/test-support';

export type Fixture = {
  bucket: string;
  keyArn: string;
  envelope: Envelope;
  /** A phiseal queue over a new queue (FIFO when asked). */
  queue: (options?: Partial<EncryptedQueueConfig> & { fifo?: boolean; withoutDeduplicationKey?: boolean }) => Promise<EncryptedQueue>;
  /** Writes an encrypted object (as a payload) to the payload bucket under `key` with `context`. */
  s3Put: (key: string, context: Record<string, string>) => Promise<void>;
  /** Keys of the objects in the payload bucket under `prefix`. */
  objects: (prefix?: string) => Promise<string[]>;
};

export const DEDUP_KEY = new Uint8Array(32).fill(7);

export async function fixture(): Promise<Fixture> {
  const [bucket, keyArn] = await Promise.all([createBucket(), createKmsKey('phiseal sqs tests')]);
  const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: keyArn, client: kmsClient() }) });
  return {
    bucket,
    keyArn,
    envelope,
    queue: async ({ fifo, withoutDeduplicationKey, ...options } = {}) =>
      encryptedQueue({
        sqs: sqsClient(),
        s3: s3Client(),
        queueUrl: await createQueue({ fifo: fifo === true }),
        payloadBucket: bucket,
        envelope,
        ...(withoutDeduplicationKey === true ? {} : { deduplicationKey: DEDUP_KEY }),
        ...options,
      }),
    s3Put: async (key, context) => {
      await encryptedS3({ client: s3Client(), envelope }).putObject({ Bucket: bucket, Key: key, Body: 'payload', context });
    },
    objects: async (prefix = '') => {
      const out = await s3Client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (out.Contents ?? []).map((o) => o.Key ?? '');
    },
  };
}

/** Printable ASCII text of `size` bytes. */
export function text(size: number, seed = 1): string {
  return Array.from(pattern(size, seed), (b) => String.fromCharCode(97 + (b % 26))).join('');
}

/** Receives until `count` messages arrived (moto can return fewer than asked per call). */
export async function receiveAll(queue: EncryptedQueue, count: number): Promise<Awaited<ReturnType<EncryptedQueue['receive']>>> {
  const all: Awaited<ReturnType<EncryptedQueue['receive']>> = [];
  for (let attempt = 0; attempt < 20 && all.length < count; attempt++) {
    all.push(...(await queue.receive({ maxMessages: 10, waitSeconds: 1 })));
  }
  return all;
}

/** The codes a phiseal consumer refuses a forged or altered message with (one message for all, by design). */
export const REFUSED = ['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT'];

/** Takes the one raw message off a queue (what any consumer, or an attacker, sees) and deletes it. */
export async function takeRaw(queueUrl: string): Promise<Message> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const out = await sqsClient().send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }),
    );
    const [message] = out.Messages ?? [];
    if (message) {
      await sqsClient().send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      return message;
    }
  }
  throw new Error('no message');
}

/** Sends a message with a plain SQSClient: a non-phiseal producer's, or an attacker's forgery. */
export async function sendRaw(queueUrl: string, body: string, attributes: Record<string, MessageAttributeValue> = {}): Promise<void> {
  await sqsClient().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes: attributes }));
}

/** The code a phiseal consumer's next receive fails with (undefined when it does not fail). */
export async function refusalCode(queue: { receive: (o: object) => Promise<unknown[]> }): Promise<string | undefined> {
  return (await rejection(queue.receive({ maxMessages: 1, waitSeconds: 2 }))).code;
}

export { pattern, rejection } from '@phiseal/test-support';
