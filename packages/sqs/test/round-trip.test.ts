// Inline and offloaded round trips on standard and FIFO queues against the emulator.
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { s3Client, sqsClient } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, pattern, receiveAll, rejection, text, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

const POINTER = /^\["software\.amazon\.payloadoffloading\.PayloadS3Pointer",\{"s3BucketName":"[^"]+","s3Key":"[^"]+"\}\]$/;

async function rawMessages(queueUrl: string) {
  const out = await sqsClient().send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], VisibilityTimeout: 0 }),
  );
  return out.Messages ?? [];
}

describe.each([false, true])('fifo=%s', (fifo) => {
  const groupId = fifo ? { groupId: 'lab-results' } : {};

  it('inline: a string, bytes and a JSON value come back, encrypted on the wire', async () => {
    const queue = await f.queue({ fifo });
    const secret = 'MRN 448812 glucose 5.4 mmol/L';
    await queue.send(secret, { ...groupId, attributes: { kind: 'lab', priority: 3 } });
    await queue.send(pattern(300, 4), groupId);
    await queue.send({ mrn: '448812', values: [1, 2.5, null] }, groupId);
    // A peek would hold the FIFO group in flight (moto, like SQS), so only standard queues are peeked.
    if (!fifo) {
      const wire = await rawMessages(queue.queueUrl);
      expect(wire).toHaveLength(3);
      for (const message of wire) {
        // The default body format: the base64 of an ESDK v2 message (0x0478).
        expect(message.Body?.startsWith('AgR4')).toBe(true);
        expect(message.Body).not.toContain('448812');
      }
    }
    const got = await receiveAll(queue, 3);
    expect(got).toHaveLength(3);
    const byBody = new Map(got.map((m) => [m.body, m]));
    const first = byBody.get(secret)!;
    expect(first.offloaded).toBe(false);
    expect(first.encrypted).toBe(true);
    expect(first.attributes).toEqual({ kind: { DataType: 'String', StringValue: 'lab' }, priority: { DataType: 'Number', StringValue: '3' } });
    expect(got.some((m) => Buffer.from(m.bytes).equals(pattern(300, 4)))).toBe(true);
    expect(got.some((m) => m.body === JSON.stringify({ mrn: '448812', values: [1, 2.5, null] }))).toBe(true);
    if (fifo) expect(first.systemAttributes['MessageGroupId']).toBe('lab-results');
    for (const m of got) await queue.delete(m.receiptHandle);
    expect(await queue.receive({ waitSeconds: 0 })).toHaveLength(0);
  });

  it('offloaded: an S3EC object and the extended-client pointer; delete removes the payload', async () => {
    const prefix = `rt-${String(fifo)}/`;
    const queue = await f.queue({ fifo, payloadKeyPrefix: prefix });
    const body = text(300_000, 9);
    const sent = await queue.send(body, { ...groupId, attributes: { kind: 'scan' }, context: { tenant: 'clinic-a' } });
    expect(sent.offloaded).toBe(true);
    const [wire] = await rawMessages(queue.queueUrl);
    expect(wire?.Body).toMatch(POINTER);
    expect(wire?.MessageAttributes?.['ExtendedPayloadSize']).toEqual({ DataType: 'Number', StringValue: '300000' });
    const keys = await f.objects(prefix);
    expect(keys).toHaveLength(1);
    const head = await s3Client().send(new HeadObjectCommand({ Bucket: f.bucket, Key: keys[0]! }));
    expect(head.Metadata?.['x-amz-3']).toBeDefined();
    const stored = await s3Client().send(new GetObjectCommand({ Bucket: f.bucket, Key: keys[0]! }));
    expect(Buffer.from(await stored.Body!.transformToByteArray()).includes(Buffer.from(body.slice(0, 64)))).toBe(false);

    const [got] = await receiveAll(queue, 1);
    expect(got?.body).toBe(body);
    expect(got?.offloaded).toBe(true);
    expect(got?.attributes).toEqual({ kind: { DataType: 'String', StringValue: 'scan' } });
    expect(got?.receiptHandle.startsWith(`-..s3BucketName..-${f.bucket}-..s3BucketName..--..s3Key..-${keys[0]!}-..s3Key..-`)).toBe(true);
    await queue.changeVisibility(got!.receiptHandle, 0);
    const [again] = await receiveAll(queue, 1);
    await queue.delete(again!.receiptHandle);
    expect(await f.objects(prefix)).toHaveLength(0);
  });

  it('alwaysThroughS3 offloads even an empty body', async () => {
    const prefix = `always-${String(fifo)}/`;
    const queue = await f.queue({ fifo, alwaysThroughS3: true, payloadKeyPrefix: prefix });
    expect((await queue.send('', groupId)).offloaded).toBe(true);
    const [got] = await receiveAll(queue, 1);
    expect(got?.body).toBe('');
    expect(got?.offloaded).toBe(true);
    await queue.delete(got!.receiptHandle);
    expect(await f.objects(prefix)).toHaveLength(0);
  });
});

describe('encrypted attributes', () => {
  it('moves chosen attributes inside the body, inline and offloaded', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'] });
    const attributes = { patient: 'Jane Q Doe', kind: 'note', blob: new Uint8Array([0, 1, 255]) };
    await queue.send('short', { attributes });
    await queue.send(text(400_000), { attributes });
    const wire = await rawMessages(queue.queueUrl);
    for (const message of wire) {
      expect(Object.keys(message.MessageAttributes ?? {})).not.toContain('patient');
      expect(JSON.stringify(message)).not.toContain('Jane');
    }
    const got = await receiveAll(queue, 2);
    expect(got).toHaveLength(2);
    for (const message of got) {
      expect(message.attributes['patient']).toEqual({ DataType: 'String', StringValue: 'Jane Q Doe' });
      expect(message.attributes['kind']).toEqual({ DataType: 'String', StringValue: 'note' });
      expect(Buffer.from(message.attributes['blob']!.BinaryValue!)).toEqual(Buffer.from([0, 1, 255]));
      await queue.delete(message.receiptHandle);
    }
  });

  it.each(['compact', 'esdk'] as const)("'all' leaves no attribute visible (%s)", async (bodyFormat) => {
    const queue = await f.queue({ encryptedAttributes: 'all', bodyFormat });
    await queue.send('x', { attributes: { a: '1', b: 2 } });
    const [wire] = await rawMessages(queue.queueUrl);
    // compact: the attributes are inside the body; esdk: inside the sealed block, bound to the body.
    expect(Object.keys(wire?.MessageAttributes ?? {})).toEqual(bodyFormat === 'compact' ? [] : ['PhisealSealedAttributes']);
    expect(wire?.Body?.startsWith('ps1.')).toBe(bodyFormat === 'compact');
    const [got] = await receiveAll(queue, 1);
    expect(Object.keys(got!.attributes).sort()).toEqual(['a', 'b']);
  });
});

describe('FIFO deduplication', () => {
  it('derives the same id for the same plaintext, so a retried send is deduplicated', async () => {
    const queue = await f.queue({ fifo: true });
    await queue.send('order 1', { groupId: 'g' });
    await queue.send('order 1', { groupId: 'g' });
    await queue.send('order 2', { groupId: 'g' });
    const got = await receiveAll(queue, 2);
    expect(got.map((m) => m.body).sort()).toEqual(['order 1', 'order 2']);
    const id = got[0]!.systemAttributes['MessageDeduplicationId'];
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('needs a groupId, and a deduplicationId when no key is configured', async () => {
    const queue = await f.queue({ fifo: true, withoutDeduplicationKey: true });
    expect((await rejection(queue.send('x', { groupId: 'g' }))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(queue.send('x', {}))).code).toBe('INVALID_ARGUMENT');
    expect((await queue.send('x', { groupId: 'g', deduplicationId: 'retry-1' })).messageId).toBeTruthy();
  });

  it('refuses per-message delays on FIFO queues and deduplication ids on standard ones', async () => {
    const fifo = await f.queue({ fifo: true });
    expect((await rejection(fifo.send('x', { groupId: 'g', delaySeconds: 5 }))).code).toBe('INVALID_ARGUMENT');
    const standard = await f.queue();
    expect((await rejection(standard.send('x', { deduplicationId: 'd' }))).code).toBe('INVALID_ARGUMENT');
  });
});
