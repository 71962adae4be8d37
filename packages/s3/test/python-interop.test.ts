// Interop both ways with the official S3 Encryption Client for Python (4.0.0), against the
// same emulator: it decrypts what phiseal writes, phiseal decrypts what it writes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { createEnvelope, LocalKeyProvider } from '@phiseal/core';
import { encryptedS3 } from '@phiseal/s3';
import { runPythonPeer, s3Client } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, pattern, rejection, type Fixture } from './setup.js';

const peer = fileURLToPath(new URL('./s3ec_peer.py', import.meta.url));
const MiB = 1024 * 1024;

let f: Fixture;
let dir: string;
beforeAll(async () => {
  f = await fixture();
  dir = mkdtempSync(join(tmpdir(), 'phiseal-s3-interop-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runPeer = (args: string[]) => runPythonPeer(peer, args);

async function pythonGet(key: string, context: Record<string, string>, requireCommitment = false): Promise<Buffer> {
  const out = join(dir, `${key.replace(/\W/g, '_')}.out`);
  const result = await runPeer(['get', f.keyArn, f.bucket, key, out, JSON.stringify(context), ...(requireCommitment ? ['require-commitment'] : [])]);
  if (result.code !== 0) throw new Error(`python get failed: ${result.stderr}`);
  return readFileSync(out);
}

async function pythonPut(format: 'v2' | 'v3', key: string, body: Buffer, context: Record<string, string>, multipart = false): Promise<void> {
  const input = join(dir, `${key.replace(/\W/g, '_')}.in`);
  writeFileSync(input, body);
  const result = await runPeer(['put', format, f.keyArn, f.bucket, key, input, JSON.stringify(context), ...(multipart ? ['multipart'] : [])]);
  if (result.code !== 0) throw new Error(`python put failed: ${result.stderr}`);
}

const context = { tenant: 'clinic-a', purpose: 'interop' };

describe.each(['v3', 'v2'] as const)('phiseal writes %s, the Python S3EC reads', (format) => {
  for (const size of [0, 1, 17, 4096]) {
    it(`${size} bytes in object metadata`, async () => {
      const key = `py-read/${format}/${size}`;
      const body = pattern(size, size + 3);
      await f.s3({ format }).putObject({ Bucket: f.bucket, Key: key, Body: body, context });
      expect((await pythonGet(key, context, format === 'v3')).equals(body)).toBe(true);
    });
  }

  it('with an instruction file', async () => {
    const key = `py-read/${format}/instruction`;
    const body = pattern(3000, 9);
    await f.s3({ format, instructionFile: true }).putObject({ Bucket: f.bucket, Key: key, Body: body, context });
    expect((await pythonGet(key, context)).equals(body)).toBe(true);
  });

  it('a 3-part multipart upload from a stream', async () => {
    const key = `py-read/${format}/multipart`;
    const body = pattern(11 * MiB + 5, 21);
    const { Readable } = await import('node:stream');
    const out = await f.s3({ format, partSize: 5 * MiB }).upload({ Bucket: f.bucket, Key: key, Body: Readable.from([body.subarray(0, 7 * MiB), body.subarray(7 * MiB)]), context });
    expect(out.parts).toBe(3);
    expect((await pythonGet(key, context)).equals(body)).toBe(true);
  });
});

it('the Python S3EC under require-commitment refuses a V2 object phiseal wrote', async () => {
  const key = 'py-read/v2/refused';
  await f.s3({ format: 'v2' }).putObject({ Bucket: f.bucket, Key: key, Body: 'x', context });
  // The peer reports only the exception class: the official client's own error type.
  await expect(pythonGet(key, context, true)).rejects.toThrow(/python get failed: S3EncryptionClientError/);
});

describe.each(['v3', 'v2'] as const)('the Python S3EC writes %s, phiseal reads', (format) => {
  const policy = format === 'v3' ? 'require-encrypt-require-decrypt' : 'require-encrypt-allow-decrypt';
  for (const size of [0, 1, 16, 5000]) {
    it(`${size} bytes`, async () => {
      const key = `ps-read/${format}/${size}`;
      const body = pattern(size, size + 11);
      await pythonPut(format, key, body, context);
      const out = await f.s3({ commitmentPolicy: policy }).getObject({ Bucket: f.bucket, Key: key, context });
      expect(out.format).toBe(format);
      expect(Buffer.from(await out.Body.transformToByteArray()).equals(body)).toBe(true);
    });
  }

  it('a multipart upload of 3 parts', async () => {
    const key = `ps-read/${format}/multipart`;
    const body = pattern(11 * MiB, 5);
    await pythonPut(format, key, body, context, true);
    const out = await f.s3({ commitmentPolicy: policy }).getObject({ Bucket: f.bucket, Key: key, context });
    expect(Buffer.from(await out.Body.transformToByteArray()).equals(body)).toBe(true);
  });

  it('with the wrong context is refused', async () => {
    const key = `ps-read/${format}/wrong-context`;
    await pythonPut(format, key, Buffer.from('z'), context);
    const error = await rejection(f.s3({ commitmentPolicy: policy }).getObject({ Bucket: f.bucket, Key: key, context: { tenant: 'clinic-b', purpose: 'interop' } }));
    expect(error.code).toBe('CONTEXT_MISMATCH');
  });
});

it('phiseal under require-commitment refuses a V2 object the Python S3EC wrote', async () => {
  const key = 'ps-read/v2/policy';
  await pythonPut('v2', key, Buffer.from('y'), context);
  const error = await rejection(f.s3().getObject({ Bucket: f.bucket, Key: key, context }));
  expect(error.code).toBe('COMMITMENT_POLICY_VIOLATION');
});

it('the Python S3EC refuses an object whose data key a local (non-KMS) provider wrapped', async () => {
  const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'dev', key: randomBytes(32) }) });
  const key = 'py-read/local-provider';
  await encryptedS3({ client: s3Client(), envelope }).putObject({ Bucket: f.bucket, Key: key, Body: 'local only' });
  await expect(pythonGet(key, {})).rejects.toThrow(/python get failed: S3EncryptionClientError/);
});
