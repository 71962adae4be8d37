// Shared fixtures of the SQS integration tests: a bucket, a KMS key and queues on the
// emulator, and phiseal queues over them.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createEnvelope, KmsKeyProvider, type Envelope } from '@phiseal/core';
import { encryptedS3 } from '@phiseal/s3';
import { encryptedQueue, type EncryptedQueue, type EncryptedQueueConfig } from '@phiseal/sqs';
import { createBucket, createKmsKey, createQueue, kmsClient, pattern, s3Client, sqsClient } from '@phiseal/test-support';

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

export { pattern, rejection } from '@phiseal/test-support';
