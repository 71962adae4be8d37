// Defect #17.2: a send whose answer is lost must not delete the payload of a message that
// is on the queue. The fault proxy cuts the connection after SQS has stored the message
// (reset-after) on every SDK attempt, or answers with an error before SQS sees it.
import { SQSServiceException } from '@aws-sdk/client-sqs';
import { createEnvelope, KmsKeyProvider, PhisealError } from '@phiseal/core';
import { encryptedQueue } from '@phiseal/sqs';
import {
  awsClientConfig,
  createQueue,
  proxiedClients,
  rejection,
  s3Client,
  sqsClient,
  startFaultProxy,
  watchdog,
  type FaultProxy,
} from '@phiseal/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEDUP_KEY, fixture, receiveAll, text, type Fixture } from './setup.js';

// Batch results carry PhisealErrors or, for a service answer, the SDK's own error objects.
const detailsOf = (error: Error): Readonly<Record<string, unknown>> => (PhisealError.is(error) ? error.details : {});

let f: Fixture;
let proxy: FaultProxy;
beforeAll(async () => {
  f = await fixture();
  proxy = await startFaultProxy({ target: awsClientConfig().endpoint, seed: 17 });
});
afterEach(() => proxy.clear());
afterAll(() => proxy.stop());

/** A producer whose SQS calls go through the proxy, and a consumer that reads directly. */
async function queues(prefix: string) {
  const queueUrl = await createQueue();
  const clients = proxiedClients(proxy, { maxAttempts: 3 });
  const common = { queueUrl, payloadBucket: f.bucket, payloadKeyPrefix: prefix, deduplicationKey: DEDUP_KEY, s3: s3Client() };
  const producer = encryptedQueue({ ...common, sqs: clients.sqs, envelope: f.envelope });
  const consumerEnvelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: f.keyArn, client: clients.kms }) });
  const consumer = encryptedQueue({ ...common, sqs: sqsClient(), envelope: consumerEnvelope });
  return { producer, consumer };
}

describe('send', () => {
  it('the answer is lost on every attempt: outcome unknown, payload kept, every copy on the queue readable', async () => {
    const { producer, consumer } = await queues('lost/');
    proxy.add({ service: 'sqs', operation: 'SendMessage', fault: { kind: 'reset-after' } });
    const body = text(300_000, 2);
    const error = await rejection(watchdog(producer.send(body), 20_000));
    expect(error).toMatchObject({ code: 'AWS_REQUEST_FAILED', retryable: true });
    expect(error.details).toMatchObject({ outcome: 'unknown', payloadBucket: f.bucket });
    const payloadKey = error.details?.['payloadKey'];
    expect(await f.objects('lost/')).toEqual([payloadKey]);
    const received = await receiveAll(consumer, 3);
    expect(received.length).toBe(3);
    for (const message of received) expect(message.body).toBe(body);
  });

  it('an inline message whose answer is lost: outcome unknown, nothing in S3', async () => {
    const { producer, consumer } = await queues('lost-inline/');
    proxy.add({ service: 'sqs', operation: 'SendMessage', fault: { kind: 'reset-after' }, times: 3 });
    const error = await rejection(producer.send('small'));
    expect(error.details).toMatchObject({ outcome: 'unknown' });
    expect(error.details?.['payloadKey']).toBeUndefined();
    expect((await receiveAll(consumer, 3)).map((m) => m.body)).toEqual(['small', 'small', 'small']);
  });

  it('the answer of the first attempt is lost, the next ones are refused: still unknown, payload kept', async () => {
    const { producer, consumer } = await queues('first-lost/');
    proxy.add({ service: 'sqs', operation: 'SendMessage', fault: { kind: 'reset-after' }, times: 1 });
    proxy.add({ service: 'sqs', operation: 'SendMessage', fault: { kind: 'throttle' } });
    const body = text(300_000, 3);
    const error = await rejection(producer.send(body));
    expect(error.details).toMatchObject({ outcome: 'unknown' });
    expect(await f.objects('first-lost/')).toHaveLength(1);
    expect((await receiveAll(consumer, 1)).map((m) => m.body)).toEqual([body]);
  });

  it('SQS refuses every attempt (4xx): the payload is deleted and the outcome is known', async () => {
    const { producer, consumer } = await queues('refused/');
    proxy.add({ service: 'sqs', operation: 'SendMessage', fault: { kind: 'throttle' } });
    const error = await rejection(producer.send(text(300_000, 4)));
    // SQS answered: by the error policy the caller gets the SDK's own throttling error.
    expect(error).toBeInstanceOf(SQSServiceException);
    expect(PhisealError.is(error)).toBe(false);
    expect((error as unknown as SQSServiceException).$metadata.httpStatusCode).toBeGreaterThanOrEqual(400);
    expect(error.details?.['outcome']).toBeUndefined();
    expect(await f.objects('refused/')).toEqual([]);
    expect(await consumer.receive({ waitSeconds: 0 })).toEqual([]);
  });

  it('one transient failure, then success: one message, one payload', async () => {
    const { producer, consumer } = await queues('transient/');
    proxy.add({ service: 'sqs', operation: 'SendMessage', fault: { kind: 'status', status: 500, code: 'InternalError' }, times: 1 });
    const body = text(300_000, 5);
    await producer.send(body);
    expect(await f.objects('transient/')).toHaveLength(1);
    expect((await receiveAll(consumer, 1)).map((m) => m.body)).toEqual([body]);
  });
});

describe('sendBatch', () => {
  it('the answer is lost on every attempt: every entry unknown, payloads kept, messages readable', async () => {
    const { producer, consumer } = await queues('batch-lost/');
    proxy.add({ service: 'sqs', operation: 'SendMessageBatch', fault: { kind: 'reset-after' } });
    const bodies = [text(300_000, 6), 'inline'];
    const result = await watchdog(producer.sendBatch(bodies.map((body, i) => ({ id: `m${i}`, body }))), 20_000);
    expect(result.successful).toEqual([]);
    expect(result.failed.map((x) => detailsOf(x.error)['outcome'])).toEqual(['unknown', 'unknown']);
    const keys = result.failed.map((x) => detailsOf(x.error)['payloadKey']).filter((k) => k !== undefined);
    expect(await f.objects('batch-lost/')).toEqual(keys);
    const received = await receiveAll(consumer, 6);
    expect(received).toHaveLength(6);
    expect(new Set(received.map((m) => m.body))).toEqual(new Set(bodies));
  });

  it('entries SQS reports failed (a 200 answer): their payloads are deleted, the others sent', async () => {
    const { producer, consumer } = await queues('batch-partial/');
    proxy.add({ service: 'sqs', operation: 'SendMessageBatch', fault: { kind: 'partial-batch', count: 1 } });
    const bodies = [text(300_000, 7), text(300_000, 8)];
    const result = await producer.sendBatch(bodies.map((body, i) => ({ id: `m${i}`, body })));
    expect(result.successful.map((s) => s.id)).toEqual(['m0']);
    expect(result.failed.map((x) => [x.id, detailsOf(x.error)['outcome']])).toEqual([['m1', undefined]]);
    expect(await f.objects('batch-partial/')).toHaveLength(1);
    expect((await receiveAll(consumer, 1)).map((m) => m.body)).toEqual([bodies[0]]);
  });
});
