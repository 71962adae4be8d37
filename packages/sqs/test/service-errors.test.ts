// The error policy on the emulator: when SQS or S3 answers with an error, the caller gets
// the SDK's own object (instanceof, name, $metadata), not a PhisealError wrapper.
import { NoSuchBucket } from '@aws-sdk/client-s3';
import { QueueDoesNotExist, SQSServiceException } from '@aws-sdk/client-sqs';
import { PhisealError } from '@phiseal/core';
import { encryptedQueue } from '@phiseal/sqs';
import { awsClientConfig, s3Client, sqsClient, uniqueName } from '@phiseal/test-support';
import { beforeAll, expect, it } from 'vitest';
import { DEDUP_KEY, fixture, text, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

const caught = (promise: Promise<unknown>): Promise<unknown> => promise.then(
  () => {
    throw new Error('expected a rejection');
  },
  (error: unknown) => error,
);

it('send to a queue that does not exist rejects with the SDK QueueDoesNotExist', async () => {
  const { endpoint } = awsClientConfig();
  const queue = encryptedQueue({
    sqs: sqsClient(),
    s3: s3Client(),
    queueUrl: `${endpoint}/123456789012/${uniqueName('absent')}`,
    payloadBucket: f.bucket,
    envelope: f.envelope,
    deduplicationKey: DEDUP_KEY,
  });
  const error = await caught(queue.send('lab result ready'));
  expect(error).toBeInstanceOf(SQSServiceException);
  expect(error).toBeInstanceOf(QueueDoesNotExist);
  expect(PhisealError.is(error)).toBe(false);
  expect((error as SQSServiceException).$metadata.httpStatusCode).toBe(400);
  // receive too
  expect(await caught(queue.receive({ waitSeconds: 0 }))).toBeInstanceOf(QueueDoesNotExist);
});

it('an offloaded send to a payload bucket that does not exist rejects with the SDK NoSuchBucket', async () => {
  const queue = await f.queue({ payloadBucket: uniqueName('phiseal-absent') });
  const error = await caught(queue.send(text(300_000)));
  expect(error).toBeInstanceOf(NoSuchBucket);
  expect(await queue.receive({ waitSeconds: 0 })).toEqual([]);
});

it('sendBatch reports a batch-level service error with the SDK object and its name as code', async () => {
  const queue = await f.queue({ payloadBucket: uniqueName('phiseal-absent') });
  const result = await queue.sendBatch([{ id: 'a', body: text(300_000) }, { id: 'b', body: 'small' }]);
  expect(result.failed).toHaveLength(1);
  expect(result.failed[0]).toMatchObject({ id: 'a', code: 'NoSuchBucket', senderFault: false });
  expect(result.failed[0]!.error).toBeInstanceOf(NoSuchBucket);
  expect(result.successful.map((s) => s.id)).toEqual(['b']);
});
