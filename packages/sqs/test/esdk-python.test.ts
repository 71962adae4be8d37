// Inline ESDK bodies with the AWS Encryption SDK for Python (aws-encryption-sdk 4.x with the
// Material Providers Library, driven by core's esdk_peer.py), against the emulator: a body
// phiseal sent, taken off the queue with the plain SQSClient, is decrypted by Python's strict
// KMS keyring; bodies Python encrypted (both suites), put on the queue as base64 by a plain
// producer, are read by phiseal's receive. One Python process runs every job.
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { writeFileSync } from 'node:fs';
import { createQueue, esdkPythonJobs, sqsClient } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, pattern, receiveAll, type Fixture } from './setup.js';

const peer = esdkPythonJobs('sqs-esdk-py');
const SIZES = [0, 1, 4097, 150_000];
const SUITES = ['committing', 'committing-signed'] as const;
let f: Fixture;
let queueUrl = '';
const contextOf = (i: number): Record<string, string> => (i % 2 === 0 ? {} : { tenant: 'clinic-a' });

async function takeAll(count: number) {
  const out: Array<{ Body?: string | undefined }> = [];
  for (let attempt = 0; attempt < 20 && out.length < count; attempt++) {
    const got = await sqsClient().send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const message of got.Messages ?? []) {
      out.push(message);
      await sqsClient().send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
  return out;
}

beforeAll(async () => {
  f = await fixture();
  queueUrl = await createQueue();
  const queue = await f.queue({ queueUrl, encryptedAttributes: ['patient'] });
  const jobs: object[] = [];
  for (const [i, size] of SIZES.entries()) {
    // The sealed attribute rides beside the body; Python reads the body alone.
    await queue.send(pattern(size, i + 1), { context: contextOf(i), attributes: { patient: 'Jane Q Doe' } });
    const [raw] = await takeAll(1);
    writeFileSync(peer.path(`${i}.ours`), Buffer.from(raw!.Body!, 'base64'));
    jobs.push({ op: 'decrypt', keyring: { kind: 'kms', keyIds: [f.keyArn] }, input: peer.path(`${i}.ours`), output: peer.path(`${i}.ours.out`) });
  }
  for (const [i, suite] of SUITES.entries()) {
    writeFileSync(peer.path(`${i}.plain`), pattern(9000, 40 + i));
    jobs.push({ op: 'encrypt', keyring: { kind: 'kms', keyIds: [f.keyArn] }, suite, context: { tenant: 'clinic-a' }, frameLength: 4096, input: peer.path(`${i}.plain`), output: peer.path(`${i}.theirs`) });
  }
  await peer.run(jobs);
}, 300_000);

describe('inline ESDK bodies with the Python Encryption SDK', () => {
  it('Python decrypts the bodies phiseal sent (strict KMS keyring), with their contexts', () => {
    for (const [i, size] of SIZES.entries()) {
      expect(peer.output(`${i}.ours.out`).equals(pattern(size, i + 1)), `${size} B`).toBe(true);
      const stored = peer.context(`${i}.ours.out`);
      expect(stored).toEqual({ ...contextOf(i), 'phiseal:sealed-attributes': '1' });
    }
  });

  it('phiseal receives the bodies Python encrypted, put on the queue as base64 by a plain producer', async () => {
    const queue = await f.queue({ queueUrl });
    for (const [i] of SUITES.entries()) {
      await sqsClient().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: peer.output(`${i}.theirs`).toString('base64') }));
    }
    const got = await receiveAll(queue, SUITES.length);
    const bodies = got.map((m) => Buffer.from(m.bytes).toString('hex')).sort();
    expect(bodies).toEqual(SUITES.map((_, i) => pattern(9000, 40 + i).toString('hex')).sort());
    for (const message of got) await queue.delete(message.receiptHandle);
  });
});
