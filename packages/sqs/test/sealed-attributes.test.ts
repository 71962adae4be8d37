// Issue 11, defect 3: an attacker with write access to the queue (a raw SQSClient here, no
// key) must not be able to strip, replace or re-purpose the encrypted ("sealed") attributes
// of a message. Every forged message below is built from real phiseal messages on the
// emulator and must be refused by the consumer.
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type Message, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { createQueue, s3Client, sqsClient } from '@phiseal/test-support';
import { decryptRecord } from '@phiseal/sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, receiveAll, rejection, text, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

const REFUSED = ['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT'];

/** Takes the one raw message off a queue (the attacker's view) and deletes it. */
async function steal(queueUrl: string): Promise<Message> {
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

async function forge(queueUrl: string, body: string, attributes: Record<string, MessageAttributeValue>): Promise<void> {
  await sqsClient().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageAttributes: attributes }));
}

async function consume(queue: { receive: (o: object) => Promise<unknown[]> }): Promise<{ code?: string }> {
  return rejection(queue.receive({ maxMessages: 1, waitSeconds: 2 }));
}

describe('offloaded messages: the sealed-attribute block cannot be stripped or replaced', () => {
  it('block removed and a visible attribute of the same name added: refused', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'], alwaysThroughS3: true });
    await queue.send('lab result', { attributes: { patient: 'Jane Q Doe', kind: 'lab' } });
    const raw = await steal(queue.queueUrl);
    const attributes = { ...raw.MessageAttributes };
    expect(attributes['PhisealSealedAttributes']).toBeDefined();
    delete attributes['PhisealSealedAttributes'];
    attributes['patient'] = { DataType: 'String', StringValue: 'Forged Name' };
    await forge(queue.queueUrl, raw.Body!, attributes);
    expect(REFUSED).toContain((await consume(queue)).code);
  });

  it('block removed alone: refused (its presence is bound to the payload)', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'], alwaysThroughS3: true });
    await queue.send('lab result', { attributes: { patient: 'Jane Q Doe' } });
    const raw = await steal(queue.queueUrl);
    const attributes = { ...raw.MessageAttributes };
    delete attributes['PhisealSealedAttributes'];
    await forge(queue.queueUrl, raw.Body!, attributes);
    expect(REFUSED).toContain((await consume(queue)).code);
  });

  it('a block added to a payload that was sent without one: refused', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'], alwaysThroughS3: true });
    await queue.send('first', { attributes: { patient: 'Jane Q Doe' } });
    const withBlock = await steal(queue.queueUrl);
    await queue.send('second');
    const without = await steal(queue.queueUrl);
    await forge(queue.queueUrl, without.Body!, { ...without.MessageAttributes, PhisealSealedAttributes: withBlock.MessageAttributes!['PhisealSealedAttributes']! });
    expect(REFUSED).toContain((await consume(queue)).code);
  });

  it('a visible attribute colliding with a sealed name next to an intact block: refused', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'], alwaysThroughS3: true });
    await queue.send('lab result', { attributes: { patient: 'Jane Q Doe' } });
    const raw = await steal(queue.queueUrl);
    await forge(queue.queueUrl, raw.Body!, { ...raw.MessageAttributes, patient: { DataType: 'String', StringValue: 'Forged' } });
    expect(REFUSED).toContain((await consume(queue)).code);
  });

  it('the untouched message still reads (control)', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'], alwaysThroughS3: true });
    await queue.send('lab result', { attributes: { patient: 'Jane Q Doe', kind: 'lab' }, context: { tenant: 'a' } });
    const raw = await steal(queue.queueUrl);
    await forge(queue.queueUrl, raw.Body!, raw.MessageAttributes!);
    const [got] = await receiveAll(queue, 1);
    expect(got?.body).toBe('lab result');
    expect(got?.attributes['patient']).toEqual({ DataType: 'String', StringValue: 'Jane Q Doe' });
    expect(got?.attributes['kind']).toEqual({ DataType: 'String', StringValue: 'lab' });
  });
});

describe('frames of the two kinds cannot stand in for each other', () => {
  it('a sealed-attribute block sent as an inline body: refused', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'], alwaysThroughS3: true });
    await queue.send('lab result', { attributes: { patient: 'Jane Q Doe' } });
    const raw = await steal(queue.queueUrl);
    await forge(queue.queueUrl, raw.MessageAttributes!['PhisealSealedAttributes']!.StringValue!, {});
    expect(REFUSED).toContain((await consume(queue)).code);
  });

  it('an inline body used as the sealed-attribute block of an offloaded message: refused', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'], alwaysThroughS3: true });
    await queue.send('real', { attributes: { patient: 'Jane Q Doe' } });
    const offloaded = await steal(queue.queueUrl);
    const key = (JSON.parse(offloaded.Body!) as [string, { s3Key: string }])[1].s3Key;
    // The producer is made to send, inline, a body that equals the payload key (attacker-chosen content).
    const inline = await f.queue({ queueUrl: queue.queueUrl, encryptedAttributes: ['patient'] });
    await inline.send(key, { attributes: { patient: 'Forged Name' } });
    const inlineRaw = await steal(queue.queueUrl);
    expect(inlineRaw.Body!.length).toBeLessThan(2000);
    await forge(queue.queueUrl, offloaded.Body!, {
      ...offloaded.MessageAttributes,
      PhisealSealedAttributes: { DataType: 'String', StringValue: inlineRaw.Body! },
    });
    expect(REFUSED).toContain((await consume(queue)).code);
  });
});

describe('inline messages', () => {
  it('a visible attribute colliding with an encrypted one: refused', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'] });
    await queue.send('lab result', { attributes: { patient: 'Jane Q Doe' } });
    const raw = await steal(queue.queueUrl);
    await forge(queue.queueUrl, raw.Body!, { ...raw.MessageAttributes, patient: { DataType: 'String', StringValue: 'Forged' } });
    expect(REFUSED).toContain((await consume(queue)).code);
  });

  it('a visible attribute named in encryptedAttributes, on a message sent without it: refused', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'] });
    await queue.send('lab result');
    const raw = await steal(queue.queueUrl);
    await forge(queue.queueUrl, raw.Body!, { patient: { DataType: 'String', StringValue: 'Forged' } });
    expect(REFUSED).toContain((await consume(queue)).code);
  });

  it("with encryptedAttributes 'all', any visible attribute on an encrypted message: refused", async () => {
    const queue = await f.queue({ encryptedAttributes: 'all' });
    await queue.send('lab result', { attributes: { kind: 'lab' } });
    const raw = await steal(queue.queueUrl);
    await forge(queue.queueUrl, raw.Body!, { extra: { DataType: 'String', StringValue: 'x' } });
    expect(REFUSED).toContain((await consume(queue)).code);
  });

  it('decryptRecord applies encryptedAttributes too', async () => {
    const queueUrl = await createQueue();
    const queue = await f.queue({ queueUrl, encryptedAttributes: ['patient'] });
    await queue.send('lab result');
    const raw = await steal(queueUrl);
    const record = { MessageId: raw.MessageId!, Body: raw.Body!, MessageAttributes: { patient: { DataType: 'String', StringValue: 'Forged' } } };
    const config = { envelope: f.envelope, s3: s3Client() };
    await expect(decryptRecord(record, config)).resolves.toMatchObject({ body: 'lab result' });
    expect(REFUSED).toContain((await rejection(decryptRecord(record, { ...config, encryptedAttributes: ['patient'] }))).code);
  });

  it('offloaded bodies of another size still carry the binding (large body, no sealed attributes)', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'] });
    await queue.send(text(300_000, 3));
    const raw = await steal(queue.queueUrl);
    await forge(queue.queueUrl, raw.Body!, { ...raw.MessageAttributes, patient: { DataType: 'String', StringValue: 'Forged' } });
    expect(REFUSED).toContain((await consume(queue)).code);
  });
});

describe('the reserved context keys', () => {
  it('cannot be set by a caller on send or required on receive', async () => {
    const queue = await f.queue({ alwaysThroughS3: true });
    expect((await rejection(queue.send('x', { context: { 'phiseal:sealed-attributes': '1' } }))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(queue.receive({ context: { 'phiseal:sealed-attributes': '1' } }))).code).toBe('INVALID_ARGUMENT');
    // The purpose pair of ESDK sealed-attribute blocks (esdk-bodies.test.ts) is reserved too.
    expect((await rejection(queue.send('x', { context: { 'phiseal:part': 'sealed-attributes' } }))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(queue.receive({ context: { 'phiseal:part': 'sealed-attributes' } }))).code).toBe('INVALID_ARGUMENT');
  });
});
