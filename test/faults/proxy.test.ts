// The fault proxy itself, against the real SDK clients and the emulator: every fault does
// what it says (the request reached the service or not; the answer is an SDK error of the
// right name), so the adapter fault tests can rely on it.
import { BatchGetItemCommand, BatchWriteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import {
  awsClientConfig,
  createBucket,
  createKmsKey,
  createQueue,
  createTable,
  proxiedClients,
  s3Client,
  seededRandom,
  sqsClient,
  startFaultProxy,
  type FaultProxy,
} from '@phiseal/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

let proxy: FaultProxy;
let bucket: string;
beforeAll(async () => {
  proxy = await startFaultProxy({ target: awsClientConfig().endpoint, seed: 3 });
  bucket = await createBucket();
});
afterEach(() => proxy.clear());
afterAll(() => proxy.stop());

const caught = async (promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number }; code?: string }> => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
};

const exists = async (key: string): Promise<boolean> =>
  s3Client()
    .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
    .then(
      () => true,
      () => false,
    );

describe('classification', () => {
  it('names the service and operation of every protocol', async () => {
    const { s3, kms } = proxiedClients(proxy);
    const key = await createKmsKey();
    await kms.send(new GenerateDataKeyCommand({ KeyId: key, KeySpec: 'AES_256' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'classify/a', Body: 'x' }));
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'classify/a' })).then((out) => out.Body?.transformToString());
    const seen = proxy.calls.slice(-3).map((c) => `${c.service}:${c.operation}`);
    expect(seen).toEqual(['kms:GenerateDataKey', 's3:PutObject', 's3:GetObject']);
  });
});

describe('faults', () => {
  it('status: the SDK error of that name, and the request never reached the service', async () => {
    const { s3 } = proxiedClients(proxy, { maxAttempts: 1 });
    proxy.add({ service: 's3', operation: 'PutObject', fault: { kind: 'status', status: 403, code: 'AccessDenied' } });
    const error = await caught(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'status/a', Body: 'x' })));
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(await exists('status/a')).toBe(false);
  });

  it('throttle: retried by the SDK, then succeeds; persistent throttling reaches the caller', async () => {
    const { kms } = proxiedClients(proxy, { maxAttempts: 3 });
    const key = await createKmsKey();
    proxy.add({ service: 'kms', operation: 'GenerateDataKey', fault: { kind: 'throttle' }, times: 2 });
    const out = await kms.send(new GenerateDataKeyCommand({ KeyId: key, KeySpec: 'AES_256' }));
    expect(out.$metadata.attempts).toBe(3);
    proxy.add({ service: 'kms', operation: 'GenerateDataKey', fault: { kind: 'throttle' } });
    const error = await caught(kms.send(new GenerateDataKeyCommand({ KeyId: key, KeySpec: 'AES_256' })));
    expect(error.name).toBe('ThrottlingException');
    expect(error.$metadata?.attempts).toBe(3);
  });

  it('reset-before: a network error and nothing stored; reset-after: a network error and the object stored', async () => {
    const { s3 } = proxiedClients(proxy, { maxAttempts: 1 });
    proxy.add({ service: 's3', operation: 'PutObject', contains: 'reset/before', fault: { kind: 'reset-before' } });
    proxy.add({ service: 's3', operation: 'PutObject', contains: 'reset/after', fault: { kind: 'reset-after' } });
    const before = await caught(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'reset/before', Body: 'x' })));
    const after = await caught(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'reset/after', Body: 'x' })));
    expect(before.$metadata?.httpStatusCode).toBeUndefined();
    expect(after.$metadata?.httpStatusCode).toBeUndefined();
    expect(await exists('reset/before')).toBe(false);
    expect(await exists('reset/after')).toBe(true);
  });

  it('latency delays the answer', async () => {
    const { s3 } = proxiedClients(proxy, { maxAttempts: 1 });
    proxy.add({ service: 's3', operation: 'HeadBucket', fault: { kind: 'latency', ms: 300 } });
    proxy.add({ service: 's3', operation: 'PutObject', fault: { kind: 'latency', ms: 300 } });
    const started = Date.now();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'latency/a', Body: 'x' }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('truncate: the body stream errors mid-way', async () => {
    const { s3 } = proxiedClients(proxy, { maxAttempts: 1 });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'truncate/a', Body: Buffer.alloc(100_000, 1) }));
    proxy.add({ service: 's3', operation: 'GetObject', fault: { kind: 'truncate', bytes: 1000 } });
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'truncate/a' }));
    const error = await caught(out.Body!.transformToByteArray());
    expect(error.message).toMatch(/aborted|socket|closed|premature/i);
  });

  it('unprocessed: DynamoDB returns the withheld writes and keys, which were never applied', async () => {
    const { dynamodb } = proxiedClients(proxy, { maxAttempts: 1 });
    const table = await createTable();
    const put = (pk: string) => ({ PutRequest: { Item: { pk: { S: pk } } } });
    proxy.add({ service: 'dynamodb', operation: 'BatchWriteItem', fault: { kind: 'unprocessed', count: 2 }, times: 1 });
    const out = await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table]: [put('a'), put('b'), put('c')] } }));
    expect(out.UnprocessedItems?.[table]).toEqual([put('b'), put('c')]);
    const stored = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'c' } } }));
    expect(stored.Item).toBeUndefined();
    proxy.add({ service: 'dynamodb', operation: 'BatchGetItem', fault: { kind: 'unprocessed', count: 1 }, times: 1 });
    const got = await dynamodb.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: [{ pk: { S: 'a' } }] } } }));
    expect(got.UnprocessedKeys?.[table]?.Keys).toEqual([{ pk: { S: 'a' } }]);
  });

  it('partial-batch: SQS reports the withheld entries failed, and only the others are on the queue', async () => {
    const { sqs } = proxiedClients(proxy, { maxAttempts: 1 });
    const queueUrl = await createQueue();
    proxy.add({ service: 'sqs', operation: 'SendMessageBatch', fault: { kind: 'partial-batch', count: 1 } });
    const entries = ['a', 'b', 'c'].map((id) => ({ Id: id, MessageBody: id }));
    const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    expect(out.Successful?.map((s) => s.Id)).toEqual(['a', 'b']);
    expect(out.Failed).toEqual([expect.objectContaining({ Id: 'c', SenderFault: false })]);
    const received = await sqsClient().send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect((received.Messages ?? []).map((m) => m.Body).sort()).toEqual(['a', 'b']);
  });

  it('probability draws from the seed: the same seed, the same sequence', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 20 }, () => a());
    expect(Array.from({ length: 20 }, () => b())).toEqual(first);
    expect(first.filter((x) => x < 0.5).length).toBeGreaterThan(3);
  });
});
