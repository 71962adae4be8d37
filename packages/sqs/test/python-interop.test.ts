// Interop both ways with the official SQS Extended Client for Python (1.0.1) on the same
// emulator, alone and wired to the official S3 Encryption Client for Python (4.0.0).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { runPythonPeer, s3Client } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, receiveAll, rejection, text, type Fixture } from './setup.js';

const peer = fileURLToPath(new URL('./sqs_extended_peer.py', import.meta.url));

let f: Fixture;
let dir: string;
beforeAll(async () => {
  f = await fixture();
  dir = mkdtempSync(join(tmpdir(), 'phiseal-sqs-interop-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runPeer(args: string[]): Promise<void> {
  const result = await runPythonPeer(peer, args);
  if (result.code !== 0) throw new Error(`python peer failed: ${result.stderr}`);
}

type PeerReceipt = { body?: string; bodyHex?: string; receiptHandle: string; attributes: string[] };

async function pythonReceive(queueUrl: string, keyArn: string, del = false): Promise<PeerReceipt> {
  const out = join(dir, `receive-${Math.random().toString(36).slice(2)}.json`);
  await runPeer(['receive', queueUrl, f.bucket, keyArn, out, ...(del ? ['delete'] : [])]);
  return JSON.parse(readFileSync(out, 'utf8')) as PeerReceipt;
}

async function pythonSend(queueUrl: string, body: string, keyArn: string): Promise<void> {
  const input = join(dir, `send-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(input, body);
  await runPeer(['send', queueUrl, f.bucket, keyArn, input]);
}

describe('phiseal offloads, the Python extended client reads', () => {
  it('with the Python S3 Encryption Client: the pointer resolves and the payload decrypts to the body', async () => {
    const queue = await f.queue({ payloadKeyPrefix: 'py-read/' });
    const body = `MRN 448812 ${text(300_000, 5)}`;
    expect((await queue.send(body, { attributes: { kind: 'lab' } })).offloaded).toBe(true);
    const got = await pythonReceive(queue.queueUrl, f.keyArn, true);
    expect(got.body).toBe(body);
    expect(got.attributes).toEqual(['kind']);
    expect(got.receiptHandle.startsWith(`-..s3BucketName..-${f.bucket}-..s3BucketName..--..s3Key..-py-read/`)).toBe(true);
    // The Python client's delete_message (delete_payload_from_s3) removed the payload too.
    expect(await f.objects('py-read/')).toEqual([]);
  });

  it('without an S3EC: the pointer resolves to the S3EC V3 object bytes, not the plaintext', async () => {
    const queue = await f.queue({ payloadKeyPrefix: 'py-raw/' });
    const body = text(300_000, 6);
    await queue.send(body);
    const [key] = await f.objects('py-raw/');
    const stored = await s3Client().send(new GetObjectCommand({ Bucket: f.bucket, Key: key! }));
    const got = await pythonReceive(queue.queueUrl, '-');
    expect(got.bodyHex).toBe(Buffer.from(await stored.Body!.transformToByteArray()).toString('hex'));
    expect(Buffer.from(got.bodyHex!, 'hex').includes(Buffer.from(body.slice(0, 100)))).toBe(false);
  });
});

describe('the Python extended client offloads, phiseal reads', () => {
  it('a payload encrypted by the Python S3 Encryption Client decrypts, and delete removes it', async () => {
    const queue = await f.queue();
    const body = `note ${text(1000, 7)}`;
    await pythonSend(queue.queueUrl, body, f.keyArn);
    const [got] = await receiveAll(queue, 1);
    expect(got).toMatchObject({ body, offloaded: true, encrypted: true });
    expect(got!.attributes).toEqual({ origin: { DataType: 'String', StringValue: 'python' } });
    const before = (await f.objects()).length;
    await queue.delete(got!.receiptHandle);
    expect((await f.objects()).length).toBe(before - 1);
  });

  it('a plain payload is refused by default and read, marked unencrypted, when accepted explicitly', async () => {
    const strict = await f.queue();
    await pythonSend(strict.queueUrl, 'plain legacy body', '-');
    const error = await rejection(strict.receive({ waitSeconds: 1, visibilityTimeout: 0 }));
    expect(error.code).toBe('PLAINTEXT_REFUSED');
    expect(error.details?.['kind']).toBe('sqs.payload');

    const lenient = await f.queue({ plaintextPolicy: 'read-both' });
    await pythonSend(lenient.queueUrl, 'plain legacy body', '-');
    const [got] = await receiveAll(lenient, 1);
    expect(got).toMatchObject({ body: 'plain legacy body', offloaded: true, encrypted: false });
  });
});
