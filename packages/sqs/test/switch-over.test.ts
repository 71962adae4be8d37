// The switch-over stages (plaintextPolicy) on a queue whose producers move from a plain SQS
// client to phiseal: consumers first on 'write-plaintext' (or 'read-both'), then producers on
// 'write-encrypted', then — once the plaintext messages have drained — everyone on
// 'encrypted-only'. Plain messages are received raw and opened with decryptRecord where a
// test must see one exact message in every stage (a queue hands each message to one receiver).
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type Message, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { createEnvelope, KmsKeyProvider, type AuditEvent } from '@phiseal/core';
import { decryptRecord, encryptedQueue, messageState, withEncryption, type PlaintextPolicy } from '@phiseal/sqs';
import { createQueue, kmsClient, s3Client, sqsClient } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEDUP_KEY, fixture, rejection, text, type Fixture } from './setup.js';

let f: Fixture;
const raw = sqsClient();
beforeAll(async () => {
  f = await fixture();
});

function service(queueUrl: string, policy: PlaintextPolicy | undefined, extra: { thresholdBytes?: number } = {}) {
  const events: AuditEvent[] = [];
  const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: f.keyArn, client: kmsClient() }), audit: (e) => events.push(e) });
  const config = { envelope, s3: s3Client(), payloadBucket: f.bucket, deduplicationKey: DEDUP_KEY, ...extra, ...(policy === undefined ? {} : { plaintextPolicy: policy }) };
  return {
    events,
    envelope,
    queue: encryptedQueue({ ...config, sqs: sqsClient(), queueUrl }),
    client: withEncryption(sqsClient(), { queues: { [queueUrl]: config } }),
    open: (m: Message) => decryptRecord(m, { envelope, s3: s3Client(), ...(policy === undefined ? {} : { plaintextPolicy: policy }) }),
    plaintextReads: () => events.filter((e) => e.operation === 'sqs.plaintextRead'),
  };
}

async function receiveRaw(queueUrl: string, count: number): Promise<Message[]> {
  const all: Message[] = [];
  for (let attempt = 0; attempt < 20 && all.length < count; attempt++) {
    const out = await raw.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
    all.push(...(out.Messages ?? []));
  }
  for (const m of all) await raw.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
  return all;
}

const legacySend = (queueUrl: string, body: string, attributes: Record<string, MessageAttributeValue> = {}) =>
  raw.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes: attributes }));

describe('the three stages in the order of deployment', () => {
  it('consumers first, then producers, then encrypted-only once plaintext has drained', async () => {
    const queueUrl = await createQueue();
    // Before anything: a legacy producer sends plaintext; a consumer still on the default refuses it.
    await legacySend(queueUrl, 'legacy glucose 5.4');
    const [legacy] = await receiveRaw(queueUrl, 1);
    expect(messageState(legacy!)).toBe('plaintext');
    expect((await rejection(service(queueUrl, undefined).open(legacy!))).code).toBe('PLAINTEXT_REFUSED');

    // Step 1: consumers on 'write-plaintext' / 'read-both'; producers still send plaintext (one through phiseal, inline and offloaded).
    const consumer = service(queueUrl, 'write-plaintext');
    const reader = service(queueUrl, 'read-both');
    expect(await consumer.open(legacy!)).toMatchObject({ body: 'legacy glucose 5.4', encrypted: false });
    const producer = service(queueUrl, 'write-plaintext', { thresholdBytes: 2048 });
    await producer.queue.send('inline hba1c 6.1', { attributes: { kind: 'lab' } });
    await producer.queue.send(text(5000));
    const step1 = await receiveRaw(queueUrl, 2);
    expect(step1.map((m) => messageState(m)).sort()).toEqual(['offloaded', 'plaintext']);
    for (const m of step1) {
      const opened = await reader.open(m);
      expect(opened.encrypted).toBe(false);
      expect([text(5000), 'inline hba1c 6.1']).toContain(opened.body);
    }

    // Step 2: producers to 'write-encrypted'; consumers of step 1 read both, through receive and the middleware.
    const producer2 = service(queueUrl, 'write-encrypted');
    await producer2.queue.send('encrypted ldl 2.9');
    await legacySend(queueUrl, 'late legacy body');
    const seen: string[] = [];
    for (let attempt = 0; attempt < 20 && seen.length < 2; attempt++) {
      const out = await consumer.client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of out.Messages ?? []) {
        seen.push(m.Body ?? '');
        await consumer.client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
      }
    }
    expect(seen.sort()).toEqual(['encrypted ldl 2.9', 'late legacy body']);

    // Step 3: the plaintext has drained; everyone on 'encrypted-only'.
    const final = service(queueUrl, 'encrypted-only');
    await producer2.queue.send('final body');
    const [got] = await final.queue.receive({ waitSeconds: 1 });
    expect(got?.body).toBe('final body');
    await final.queue.delete(got!.receiptHandle);
    await legacySend(queueUrl, 'stray plaintext');
    expect((await rejection(final.queue.receive({ waitSeconds: 1, visibilityTimeout: 0 }))).code).toBe('PLAINTEXT_REFUSED');
    await receiveRaw(queueUrl, 1);
  });
});

describe('half-phiseal messages are refused in every stage', () => {
  const stages: PlaintextPolicy[] = ['write-plaintext', 'write-encrypted', 'read-both', 'encrypted-only'];

  it('a sealed block on a plain body, a pointer attribute on a non-pointer body, a tampered body, a payload with partial S3EC metadata', async () => {
    const queueUrl = await createQueue();
    const sealedLike = { PhisealSealedAttributes: { DataType: 'String', StringValue: 'AAAA' } };
    await legacySend(queueUrl, 'plain body with a block', sealedLike);
    await legacySend(queueUrl, 'not a pointer', { ExtendedPayloadSize: { DataType: 'Number', StringValue: '5' } });
    const producer = service(queueUrl, 'write-encrypted');
    await producer.queue.send('to be tampered');
    const partial = 'payloads/partial';
    await s3Client().send(new PutObjectCommand({ Bucket: f.bucket, Key: partial, Body: 'x', Metadata: { 'x-amz-c': '115' } }));
    const pointer = JSON.stringify(['software.amazon.payloadoffloading.PayloadS3Pointer', { s3BucketName: f.bucket, s3Key: partial }]);
    await legacySend(queueUrl, pointer, { ExtendedPayloadSize: { DataType: 'Number', StringValue: '1' } });
    const messages = await receiveRaw(queueUrl, 4);
    expect(messages).toHaveLength(4);
    // One character of the encrypted body changed (to another base64 character).
    const flip = (b: string) => {
      const i = Math.floor(b.length / 2);
      return `${b.slice(0, i)}${b[i] === 'A' ? 'B' : 'A'}${b.slice(i + 1)}`;
    };
    const tampered = messages.map((m) => (messageState(m) === 'encrypted' ? { ...m, Body: flip(m.Body!) } : m));
    expect(tampered.map((m) => messageState(m)).sort()).toEqual(['encrypted', 'offloaded', 'offloaded', 'tampered']);
    for (const stage of stages) {
      const s = service(queueUrl, stage);
      for (const m of tampered) {
        expect(['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT'], `${stage} ${m.Body?.slice(0, 12)}`).toContain((await rejection(s.open(m))).code);
      }
      expect(s.plaintextReads()).toEqual([]);
    }
  });
});

describe("sends under 'write-plaintext'", () => {
  it('are guarded like encrypted sends and refuse bodies that would read back as ciphertext', async () => {
    const queueUrl = await createQueue();
    const s = service(queueUrl, 'write-plaintext');
    expect((await rejection(s.queue.send('x', { attributes: { patient: 'SSN 123-45-6789' } }))).code).toBe('PHI_DETECTED');
    expect((await rejection(s.queue.send('ps1.looks-like-ciphertext'))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(s.queue.send(new Uint8Array([0xff, 0xfe])))).code).toBe('INVALID_ARGUMENT');
    await s.queue.send('plain body');
    const [m] = await receiveRaw(queueUrl, 1);
    expect(m?.Body).toBe('plain body');
  });
});

describe('plaintext reads', () => {
  it('emit one value-free audit event each, every time, with the stage; a refused read is a failure event', async () => {
    const queueUrl = await createQueue();
    await legacySend(queueUrl, 'Secret Body Text');
    const [m] = await receiveRaw(queueUrl, 1);
    const s = service(queueUrl, 'read-both');
    await s.open(m!);
    await s.open(m!);
    expect(s.plaintextReads()).toHaveLength(2);
    for (const e of s.plaintextReads()) {
      expect(e).toMatchObject({ outcome: 'success', plaintextPolicy: 'write-encrypted', contextKeys: ['phiseal:sqs-queue'] });
      expect(JSON.stringify(e)).not.toContain('Secret');
    }
    const strict = service(queueUrl, undefined);
    await rejection(strict.open(m!));
    expect(strict.plaintextReads()).toMatchObject([{ outcome: 'failure', errorCode: 'PLAINTEXT_REFUSED', plaintextPolicy: 'encrypted-only' }]);
  });

  it('an unknown plaintextPolicy is INVALID_CONFIGURATION', async () => {
    const queueUrl = await createQueue();
    expect(() => service(queueUrl, 'sometimes' as PlaintextPolicy)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }) as Error);
  });
});
