// Issue 11, defect 3: an attacker with write access to the queue (a raw SQSClient here, no
// key) must not be able to strip, replace or re-purpose the encrypted ("sealed") attributes
// of a message. Every forged message below is built from real phiseal messages on the
// emulator and must be refused by the consumer.
import { createQueue, s3Client } from '@phiseal/test-support';
import { decryptRecord } from '@phiseal/sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, receiveAll, refusalCode, REFUSED, rejection, sendRaw, takeRaw, text, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});


describe('offloaded messages: the sealed-attribute block cannot be stripped or replaced', () => {
  it('block removed and a visible attribute of the same name added: refused', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'], alwaysThroughS3: true });
    await queue.send('lab result', { attributes: { patient: 'Jane Q Doe', kind: 'lab' } });
    const raw = await takeRaw(queue.queueUrl);
    const attributes = { ...raw.MessageAttributes };
    expect(attributes['PhisealSealedAttributes']).toBeDefined();
    delete attributes['PhisealSealedAttributes'];
    attributes['patient'] = { DataType: 'String', StringValue: 'Forged Name' };
    await sendRaw(queue.queueUrl, raw.Body!, attributes);
    expect(REFUSED).toContain(await refusalCode(queue));
  });

  it('block removed alone: refused (its presence is bound to the payload)', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'], alwaysThroughS3: true });
    await queue.send('lab result', { attributes: { patient: 'Jane Q Doe' } });
    const raw = await takeRaw(queue.queueUrl);
    const attributes = { ...raw.MessageAttributes };
    delete attributes['PhisealSealedAttributes'];
    await sendRaw(queue.queueUrl, raw.Body!, attributes);
    expect(REFUSED).toContain(await refusalCode(queue));
  });

  it('a block added to a payload that was sent without one: refused', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'], alwaysThroughS3: true });
    await queue.send('first', { attributes: { patient: 'Jane Q Doe' } });
    const withBlock = await takeRaw(queue.queueUrl);
    await queue.send('second');
    const without = await takeRaw(queue.queueUrl);
    await sendRaw(queue.queueUrl, without.Body!, { ...without.MessageAttributes, PhisealSealedAttributes: withBlock.MessageAttributes!['PhisealSealedAttributes']! });
    expect(REFUSED).toContain(await refusalCode(queue));
  });

  it('a visible attribute colliding with a sealed name next to an intact block: refused', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'], alwaysThroughS3: true });
    await queue.send('lab result', { attributes: { patient: 'Jane Q Doe' } });
    const raw = await takeRaw(queue.queueUrl);
    await sendRaw(queue.queueUrl, raw.Body!, { ...raw.MessageAttributes, patient: { DataType: 'String', StringValue: 'Forged' } });
    expect(REFUSED).toContain(await refusalCode(queue));
  });

  it('the untouched message still reads (control)', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'], alwaysThroughS3: true });
    await queue.send('lab result', { attributes: { patient: 'Jane Q Doe', kind: 'lab' }, context: { tenant: 'a' } });
    const raw = await takeRaw(queue.queueUrl);
    await sendRaw(queue.queueUrl, raw.Body!, raw.MessageAttributes);
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
    const raw = await takeRaw(queue.queueUrl);
    await sendRaw(queue.queueUrl, raw.MessageAttributes!['PhisealSealedAttributes']!.StringValue!, {});
    expect(REFUSED).toContain(await refusalCode(queue));
  });

  it('an inline body used as the sealed-attribute block of an offloaded message: refused', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'], alwaysThroughS3: true });
    await queue.send('real', { attributes: { patient: 'Jane Q Doe' } });
    const offloaded = await takeRaw(queue.queueUrl);
    const key = (JSON.parse(offloaded.Body!) as [string, { s3Key: string }])[1].s3Key;
    // The producer is made to send, inline, a body that equals the payload key (attacker-chosen content).
    const inline = await f.queue({ queueUrl: queue.queueUrl, encryptedAttributes: ['patient'] });
    await inline.send(key, { attributes: { patient: 'Forged Name' } });
    const inlineRaw = await takeRaw(queue.queueUrl);
    expect(inlineRaw.Body!.length).toBeLessThan(2000);
    await sendRaw(queue.queueUrl, offloaded.Body!, {
      ...offloaded.MessageAttributes,
      PhisealSealedAttributes: { DataType: 'String', StringValue: inlineRaw.Body! },
    });
    expect(REFUSED).toContain(await refusalCode(queue));
  });
});

describe('inline messages', () => {
  it('a visible attribute colliding with an encrypted one: refused', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'] });
    await queue.send('lab result', { attributes: { patient: 'Jane Q Doe' } });
    const raw = await takeRaw(queue.queueUrl);
    await sendRaw(queue.queueUrl, raw.Body!, { ...raw.MessageAttributes, patient: { DataType: 'String', StringValue: 'Forged' } });
    expect(REFUSED).toContain(await refusalCode(queue));
  });

  it('a visible attribute named in encryptedAttributes, on a message sent without it: refused', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'] });
    await queue.send('lab result');
    const raw = await takeRaw(queue.queueUrl);
    await sendRaw(queue.queueUrl, raw.Body!, { patient: { DataType: 'String', StringValue: 'Forged' } });
    expect(REFUSED).toContain(await refusalCode(queue));
  });

  it("with encryptedAttributes 'all', any visible attribute on an encrypted message: refused", async () => {
    const queue = await f.queue({ encryptedAttributes: 'all' });
    await queue.send('lab result', { attributes: { kind: 'lab' } });
    const raw = await takeRaw(queue.queueUrl);
    await sendRaw(queue.queueUrl, raw.Body!, { extra: { DataType: 'String', StringValue: 'x' } });
    expect(REFUSED).toContain(await refusalCode(queue));
  });

  it('decryptRecord applies encryptedAttributes too', async () => {
    const queueUrl = await createQueue();
    const queue = await f.queue({ queueUrl, encryptedAttributes: ['patient'] });
    await queue.send('lab result');
    const raw = await takeRaw(queueUrl);
    const record = { MessageId: raw.MessageId!, Body: raw.Body!, MessageAttributes: { patient: { DataType: 'String', StringValue: 'Forged' } } };
    const config = { envelope: f.envelope, s3: s3Client() };
    await expect(decryptRecord(record, config)).resolves.toMatchObject({ body: 'lab result' });
    expect(REFUSED).toContain((await rejection(decryptRecord(record, { ...config, encryptedAttributes: ['patient'] }))).code);
  });

  it('offloaded bodies of another size still carry the binding (large body, no sealed attributes)', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'] });
    await queue.send(text(300_000, 3));
    const raw = await takeRaw(queue.queueUrl);
    await sendRaw(queue.queueUrl, raw.Body!, { ...raw.MessageAttributes, patient: { DataType: 'String', StringValue: 'Forged' } });
    expect(REFUSED).toContain(await refusalCode(queue));
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
