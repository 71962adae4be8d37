// Inline bodies in the ESDK format (bodyFormat 'esdk', the default), against the emulator:
//  - a non-phiseal consumer (@aws-crypto/client-node, strict KMS keyring) reads phiseal's
//    bodies taken off the queue with the plain SQSClient, and phiseal reads bodies a
//    non-phiseal producer (the same SDK) put on the queue, with the rules phiseal applies to them;
//  - the sealed-attribute block cannot be stripped, added, swapped, replayed onto another
//    message or stand in for a body (issue 11, defect 3), nor a body for a block;
//  - bodyFormat is honoured by encryptedQueue and by withEncryption(sqsClient).
import { AlgorithmSuiteIdentifier, CommitmentPolicy, KmsKeyringNode, buildClient } from '@aws-crypto/client-node';
import { KMS } from '@aws-sdk/client-kms';
import { ReceiveMessageCommand, SendMessageCommand, type Message, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { withEncryption } from '@phiseal/sqs';
import { awsClientConfig, createKmsKey, createQueue, s3Client, sqsClient } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, pattern, receiveAll, refusalCode, REFUSED, rejection, sendRaw, takeRaw, type Fixture } from './setup.js';

type KmsClientSupplier = NonNullable<NonNullable<ConstructorParameters<typeof KmsKeyringNode>[0]>['clientProvider']>;
// The SDK's keyrings call the aggregated client's methods (kms.decrypt), so `KMS`, not `KMSClient`.
const clientProvider = (() => new KMS(awsClientConfig())) as unknown as KmsClientSupplier;
const sdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

let f: Fixture;
let strict: KmsKeyringNode;
beforeAll(async () => {
  f = await fixture();
  strict = new KmsKeyringNode({ generatorKeyId: f.keyArn, clientProvider });
});

const block = (message: Message) => message.MessageAttributes!['PhisealSealedAttributes']!;
const without = (message: Message, name: string) => Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).filter(([n]) => n !== name));

/** A frame v2 (body-frame.ts) of `kind` with one String attribute and `tail`, built by hand as an attacker would. */
function frame(kind: number, name: string, value: string, tail: Uint8Array): Buffer {
  const part = (bytes: Buffer, width: 2 | 4) => {
    const length = Buffer.alloc(width);
    if (width === 2) length.writeUInt16BE(bytes.length);
    else length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  return Buffer.concat([Buffer.from([2, kind, 1]), part(Buffer.from(name), 2), part(Buffer.from('String'), 2), part(Buffer.from(value), 4), tail]);
}

describe('a non-phiseal consumer with the Encryption SDK reads what phiseal sent', () => {
  it.each([0, 1, 4096, 4097, 9000, 190_000])('%i B body: the raw body is the base64 of an ESDK message the strict KMS keyring decrypts', async (size) => {
    const queue = await f.queue();
    const body = pattern(size, size + 1);
    const sent = await queue.send(body, { context: { tenant: 'clinic-a' }, attributes: { kind: 'lab' } });
    expect(sent.offloaded).toBe(false);
    const raw = await takeRaw(queue.queueUrl);
    const out = await sdk.decrypt(strict, Buffer.from(raw.Body!, 'base64'));
    expect(Buffer.from(out.plaintext).equals(body)).toBe(true);
    expect(out.messageHeader.suiteId).toBe(AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY);
    expect(out.messageHeader.encryptionContext).toEqual({ tenant: 'clinic-a' });
    expect(out.messageHeader.encryptedDataKeys[0]).toMatchObject({ providerId: 'aws-kms', providerInfo: f.keyArn });
    expect(raw.MessageAttributes).toEqual({ kind: { DataType: 'String', StringValue: 'lab' } });
  });

  it('with sealed attributes: the body reads the same, the context announces the block, and the SDK can open the block too', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'] });
    await queue.send('glucose 5.4 mmol/L', { attributes: { patient: 'Jane Q Doe', kind: 'lab' } });
    const raw = await takeRaw(queue.queueUrl);
    const out = await sdk.decrypt(strict, Buffer.from(raw.Body!, 'base64'));
    expect(Buffer.from(out.plaintext).toString()).toBe('glucose 5.4 mmol/L');
    expect(out.messageHeader.encryptionContext).toEqual({ 'phiseal:sealed-attributes': '1' });
    const sealed = await sdk.decrypt(strict, Buffer.from(block(raw).StringValue!, 'base64'));
    expect(sealed.messageHeader.encryptionContext).toEqual({ 'phiseal:part': 'sealed-attributes' });
    const bytes = Buffer.from(sealed.plaintext);
    expect(bytes.equals(frame(3, 'patient', 'Jane Q Doe', createHash('sha256').update(Buffer.from(raw.Body!, 'base64')).digest()))).toBe(true);
    expect(JSON.stringify(raw)).not.toContain('Jane');
  });
});

describe('phiseal reads what a non-phiseal producer with the Encryption SDK sent', () => {
  it.each([
    ['committing', 100, AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY],
    ['committing-signed', 70_000, AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384],
  ] as const)('%s suite, %i B: received, decrypted, its visible attributes returned as visible', async (_name, size, suiteId) => {
    const queue = await f.queue();
    const body = pattern(size, 9);
    const { result } = await sdk.encrypt(strict, body, { suiteId, encryptionContext: { tenant: 'clinic-a' } });
    await sendRaw(queue.queueUrl, Buffer.from(result).toString('base64'), { kind: { DataType: 'String', StringValue: 'lab' } });
    const [got] = await receiveAll(queue, 1);
    expect(Buffer.from(got!.bytes).equals(body)).toBe(true);
    expect(got).toMatchObject({ offloaded: false, encrypted: true, attributes: { kind: { DataType: 'String', StringValue: 'lab' } } });
  });

  it('fail closed: wrong context, a key not allowed, reserved phiseal pairs, a block it does not name, a non-standard base64 spelling', async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'] });
    const encrypt = async (context: Record<string, string>) =>
      Buffer.from((await sdk.encrypt(strict, Buffer.from('peer body'), { encryptionContext: context })).result);
    const refused = async (body: string, attributes: Record<string, MessageAttributeValue> = {}, options: object = {}) => {
      await sendRaw(queue.queueUrl, body, attributes);
      const error = await rejection(queue.receive({ maxMessages: 1, waitSeconds: 2, ...options }));
      return error.code;
    };
    const plain = (await encrypt({ tenant: 'a' })).toString('base64');
    expect(await refused(plain, {}, { context: { tenant: 'b' } })).toBe('CONTEXT_MISMATCH');
    // A visible attribute named like a sealed one is forged (the peer cannot seal attributes).
    expect(REFUSED).toContain(await refused(plain, { patient: { DataType: 'String', StringValue: 'Forged' } }));
    // Announces a sealed-attribute block that is not there.
    expect(REFUSED).toContain(await refused((await encrypt({ 'phiseal:sealed-attributes': '1' })).toString('base64')));
    // Claims to be a sealed-attribute block.
    expect(REFUSED).toContain(await refused((await encrypt({ 'phiseal:part': 'sealed-attributes' })).toString('base64')));
    // base64url is not the standard spelling: not an encrypted body at all, so plaintext,
    // refused under the default plaintextPolicy ('encrypted-only').
    const url = (await encrypt({})).toString('base64url');
    expect(await refused(url)).toBe('PLAINTEXT_REFUSED');
    // Truncated at a frame boundary.
    const long = Buffer.from((await sdk.encrypt(strict, pattern(9000, 2))).result);
    expect(REFUSED).toContain(await refused(long.subarray(0, long.length - 4096 - 40).toString('base64')));
    // Wrapped under a KMS key the reader's provider does not use.
    const otherKey = new KmsKeyringNode({ generatorKeyId: await createKmsKey(), clientProvider });
    const foreign = Buffer.from((await sdk.encrypt(otherKey, Buffer.from('peer body'))).result).toString('base64');
    expect(await refused(foreign)).toBe('KEY_NOT_ALLOWED');
  });
});

describe('the sealed-attribute block of an ESDK body (issue 11, defect 3)', () => {
  async function sent(attributes: Record<string, string> = { patient: 'Jane Q Doe', kind: 'lab' }, body = 'lab result') {
    const queue = await f.queue({ encryptedAttributes: ['patient'] });
    await queue.send(body, { attributes });
    return { queue, raw: await takeRaw(queue.queueUrl) };
  }

  it('the untouched message reads, and a copy of the whole message reads as the same message (SQS-level replay)', async () => {
    const { queue, raw } = await sent();
    await sendRaw(queue.queueUrl, raw.Body!, raw.MessageAttributes);
    await sendRaw(queue.queueUrl, raw.Body!, raw.MessageAttributes);
    const got = await receiveAll(queue, 2);
    expect(got.map((m) => [m.body, m.attributes['patient']?.StringValue, m.attributes['kind']?.StringValue])).toEqual([
      ['lab result', 'Jane Q Doe', 'lab'],
      ['lab result', 'Jane Q Doe', 'lab'],
    ]);
  });

  it('stripped: refused; stripped and replaced by a visible attribute: refused', async () => {
    const { queue, raw } = await sent();
    await sendRaw(queue.queueUrl, raw.Body!, without(raw, 'PhisealSealedAttributes'));
    expect(REFUSED).toContain(await refusalCode(queue));
    await sendRaw(queue.queueUrl, raw.Body!, { ...without(raw, 'PhisealSealedAttributes'), patient: { DataType: 'String', StringValue: 'Forged' } });
    expect(REFUSED).toContain(await refusalCode(queue));
  });

  it('swapped for the block of another message with the same number of sealed attributes: refused', async () => {
    const a = await sent({ patient: 'Jane Q Doe' }, 'for Jane');
    const b = await sent({ patient: 'John Roe' }, 'for John');
    await sendRaw(a.queue.queueUrl, a.raw.Body!, { PhisealSealedAttributes: block(b.raw) });
    expect(REFUSED).toContain(await refusalCode(a.queue));
  });

  it('added to a body sent without sealed attributes: refused', async () => {
    const a = await sent();
    const b = await sent({ kind: 'lab' });
    expect(b.raw.MessageAttributes?.['PhisealSealedAttributes']).toBeUndefined();
    await sendRaw(b.queue.queueUrl, b.raw.Body!, { ...b.raw.MessageAttributes, PhisealSealedAttributes: block(a.raw) });
    expect(REFUSED).toContain(await refusalCode(b.queue));
  });

  it('a block sent as the body, and a body sent as the block: refused', async () => {
    const { queue, raw } = await sent();
    await sendRaw(queue.queueUrl, block(raw).StringValue!);
    expect(REFUSED).toContain(await refusalCode(queue));
    await sendRaw(queue.queueUrl, raw.Body!, { PhisealSealedAttributes: { DataType: 'String', StringValue: raw.Body! } });
    expect(REFUSED).toContain(await refusalCode(queue));
  });

  it('a body whose plaintext an attacker crafted as a block bound to another message: refused as that message\'s block', async () => {
    const victim = await sent({ patient: 'Jane Q Doe' });
    // The producer is made to send, inline, a body equal to a kind-3 frame naming the victim's body.
    const digest = createHash('sha256').update(Buffer.from(victim.raw.Body!, 'base64')).digest();
    await victim.queue.send(frame(3, 'patient', 'Forged Name', digest));
    const crafted = await takeRaw(victim.queue.queueUrl);
    await sendRaw(victim.queue.queueUrl, victim.raw.Body!, { PhisealSealedAttributes: { DataType: 'String', StringValue: crafted.Body! } });
    expect(REFUSED).toContain(await refusalCode(victim.queue));
  });

  it("a body crafted as an offloaded message's block (kind 2 with its payload key): refused", async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'], alwaysThroughS3: true });
    await queue.send('real', { attributes: { patient: 'Jane Q Doe' } });
    const offloaded = await takeRaw(queue.queueUrl);
    const key = (JSON.parse(offloaded.Body!) as [string, { s3Key: string }])[1].s3Key;
    const inline = await f.queue({ queueUrl: queue.queueUrl, encryptedAttributes: ['patient'] });
    await inline.send(frame(2, 'patient', 'Forged Name', Buffer.from(key)));
    const crafted = await takeRaw(queue.queueUrl);
    await sendRaw(queue.queueUrl, offloaded.Body!, { ...offloaded.MessageAttributes, PhisealSealedAttributes: { DataType: 'String', StringValue: crafted.Body! } });
    expect(REFUSED).toContain(await refusalCode(queue));
  });

  it("an offloaded message's block next to an ESDK body: refused", async () => {
    const queue = await f.queue({ encryptedAttributes: ['patient'], alwaysThroughS3: true });
    await queue.send('real', { attributes: { patient: 'Jane Q Doe' } });
    const offloaded = await takeRaw(queue.queueUrl);
    const { raw } = await sent();
    await sendRaw(queue.queueUrl, raw.Body!, { PhisealSealedAttributes: block(offloaded) });
    expect(REFUSED).toContain(await refusalCode(queue));
  });
});

describe('bodyFormat', () => {
  it("'compact' keeps the ps1. bodies, which the Encryption SDK cannot read; receive reads both on one queue", async () => {
    const queueUrl = await createQueue();
    const compact = await f.queue({ queueUrl, bodyFormat: 'compact', encryptedAttributes: ['patient'] });
    const esdk = await f.queue({ queueUrl, encryptedAttributes: ['patient'] });
    await compact.send('one', { attributes: { patient: 'Jane Q Doe' } });
    const raw = await takeRaw(queueUrl);
    expect(raw.Body!.startsWith('ps1.')).toBe(true);
    expect(raw.MessageAttributes).toBeUndefined();
    await sendRaw(queueUrl, raw.Body!);
    await esdk.send('two', { attributes: { patient: 'John Roe' } });
    const got = await receiveAll(compact, 2);
    expect(got.map((m) => [m.body, m.attributes['patient']?.StringValue]).sort()).toEqual([['one', 'Jane Q Doe'], ['two', 'John Roe']]);
  });

  it('withEncryption(sqsClient) writes ESDK bodies by default and compact ones when configured', async () => {
    const urls = [await createQueue(), await createQueue()];
    const sqs = withEncryption(sqsClient(), {
      queues: {
        [urls[0]!]: { envelope: f.envelope, s3: s3Client(), payloadBucket: f.bucket },
        [urls[1]!]: { envelope: f.envelope, s3: s3Client(), payloadBucket: f.bucket, bodyFormat: 'compact' },
      },
    });
    for (const url of urls) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'glucose 5.4 mmol/L' }));
    const [esdkRaw, compactRaw] = [await takeRaw(urls[0]!), await takeRaw(urls[1]!)];
    const out = await sdk.decrypt(strict, Buffer.from(esdkRaw.Body!, 'base64'));
    expect(Buffer.from(out.plaintext).toString()).toBe('glucose 5.4 mmol/L');
    expect(compactRaw.Body!.startsWith('ps1.')).toBe(true);
    // Both read back through the middleware.
    for (const [url, raw] of [[urls[0]!, esdkRaw], [urls[1]!, compactRaw]] as const) {
      await sendRaw(url, raw.Body!);
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 2 }));
      expect(got.Messages?.[0]?.Body).toBe('glucose 5.4 mmol/L');
    }
  });

  it('refuses an unknown bodyFormat', async () => {
    await expect(f.queue({ bodyFormat: 'ps1' as never })).rejects.toMatchObject({ code: 'INVALID_CONFIGURATION' });
  });
});
