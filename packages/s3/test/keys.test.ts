// Key providers, the data-key cache and audit events through the S3 adapter.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { createEnvelope, KmsKeyProvider, LocalKeyProvider, type AuditEvent } from '@phiseal/core';
import { createKmsKey, kmsClient, s3Client } from '@phiseal/test-support';
import { encryptedS3 } from '@phiseal/s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, rejection, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

async function meta(key: string): Promise<Record<string, string>> {
  return (await s3Client().send(new HeadObjectCommand({ Bucket: f.bucket, Key: key }))).Metadata ?? {};
}

describe('local key provider (development)', () => {
  const envelope = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'dev-key', key: randomBytes(32) }) });
  for (const format of ['v3', 'v2'] as const) {
    it(`${format} round trip under a phiseal-only wrapping value`, async () => {
      const s3 = encryptedS3({ client: s3Client(), envelope, format });
      const key = `local/${format}`;
      await s3.putObject({ Bucket: f.bucket, Key: key, Body: 'local', context: { env: 'dev' } });
      const m = await meta(key);
      if (format === 'v3') expect(m['x-amz-w']).toBe('p1');
      else expect(m['x-amz-wrap-alg']).toBe('phiseal+provider');
      expect(await (await s3.getObject({ Bucket: f.bucket, Key: key, context: { env: 'dev' } })).Body.transformToString()).toBe('local');
    });
  }

  it('another local key cannot read it', async () => {
    const other = createEnvelope({ keys: new LocalKeyProvider({ keyId: 'dev-key', key: randomBytes(32) }) });
    const error = await rejection(encryptedS3({ client: s3Client(), envelope: other }).getObject({ Bucket: f.bucket, Key: 'local/v3', context: { env: 'dev' } }));
    expect(error.code).toBe('DECRYPTION_FAILED');
  });

  it('refuses every single-bit flip of the stored wrapping ahead of its sealed key (version, provider, key id, provider information)', async () => {
    // The phiseal layout records the key id beside the ESDK provider information; the
    // sealed key behind them is GCM-authenticated, the fields ahead of it must be checked.
    const s3 = encryptedS3({ client: s3Client(), envelope });
    const raw = s3Client();
    const original = await raw.send(new GetObjectCommand({ Bucket: f.bucket, Key: 'local/v3' }));
    const body = Buffer.from(await original.Body!.transformToByteArray());
    const stored = Buffer.from(original.Metadata!['x-amz-3']!, 'base64');
    // version(1) | len(2) provider | len(2) key id | len(2) provider information | sealed key
    const providerEnd = 3 + stored.readUInt16BE(1);
    const keyIdEnd = providerEnd + 2 + stored.readUInt16BE(providerEnd);
    const headerEnd = keyIdEnd + 2 + stored.readUInt16BE(keyIdEnd);
    const accepted: number[] = [];
    const flips = Array.from({ length: headerEnd * 8 }, (_, bit) => bit);
    for (let i = 0; i < flips.length; i += 16) {
      await Promise.all(flips.slice(i, i + 16).map(async (bit) => {
        const bytes = Buffer.from(stored);
        bytes[bit >> 3]! ^= 1 << (bit & 7);
        const key = `local/flip/${bit}`;
        const metadata = { ...original.Metadata, 'x-amz-3': bytes.toString('base64') };
        await raw.send(new PutObjectCommand({ Bucket: f.bucket, Key: key, Body: body, Metadata: metadata }));
        const outcome = await s3.getObject({ Bucket: f.bucket, Key: key, context: { env: 'dev' } }).then(
          () => 'read',
          (error: unknown) => (error as { code?: string }).code,
        );
        if (!['DECRYPTION_FAILED', 'KEY_NOT_ALLOWED', 'MALFORMED_CIPHERTEXT'].includes(outcome ?? '')) accepted.push(bit);
      }));
    }
    expect(accepted).toEqual([]);
  });
});

describe('data-key cache', () => {
  it('reuses one V3 data key across objects with the same context, each with its own message id', async () => {
    const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: f.keyArn, client: kmsClient() }) });
    const s3 = encryptedS3({ client: s3Client(), envelope });
    for (const n of [1, 2, 3]) await s3.putObject({ Bucket: f.bucket, Key: `cache/${n}`, Body: `body ${n}`, context: { batch: 'b1' } });
    expect(envelope.stats().kmsGenerateDataKeyCalls).toBe(1);
    const ids = await Promise.all([1, 2, 3].map(async (n) => (await meta(`cache/${n}`))['x-amz-i']));
    expect(new Set(ids).size).toBe(3);
    const edks = await Promise.all([1, 2, 3].map(async (n) => (await meta(`cache/${n}`))['x-amz-3']));
    expect(new Set(edks).size).toBe(1);

    // A fresh reader unwraps the shared data key once.
    const reader = createEnvelope({ keys: new KmsKeyProvider({ keyId: f.keyArn, client: kmsClient() }) });
    const r = encryptedS3({ client: s3Client(), envelope: reader });
    for (const n of [1, 2, 3]) {
      const out = await r.getObject({ Bucket: f.bucket, Key: `cache/${n}`, context: { batch: 'b1' } });
      expect(await out.Body.transformToString()).toBe(`body ${n}`);
    }
    expect(reader.stats().kmsDecryptCalls).toBe(1);
  });

  it('a reader limited to another KMS key cannot read the object', async () => {
    const otherKey = await createKmsKey('another key');
    await f.s3().putObject({ Bucket: f.bucket, Key: 'cache/other-key', Body: 'x' });
    const other = createEnvelope({ keys: new KmsKeyProvider({ keyId: otherKey, client: kmsClient() }) });
    const error = await rejection(encryptedS3({ client: s3Client(), envelope: other }).getObject({ Bucket: f.bucket, Key: 'cache/other-key' }));
    // Real KMS answers IncorrectKeyException (DECRYPTION_FAILED); the emulator answers
    // AccessDeniedException, which the core reports as KMS_KEY_UNUSABLE. Either way: no read.
    expect(['DECRYPTION_FAILED', 'KMS_KEY_UNUSABLE']).toContain(error.code);
  });
});

it('audit events name the operation and the context keys, never the values', async () => {
  const events: AuditEvent[] = [];
  const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: f.keyArn, client: kmsClient() }), audit: (e) => events.push(e) });
  const s3 = encryptedS3({ client: s3Client(), envelope });
  await s3.putObject({ Bucket: f.bucket, Key: 'audit/1', Body: 'x', context: { tenant: 'clinic-zeta' } });
  await (await s3.getObject({ Bucket: f.bucket, Key: 'audit/1', context: { tenant: 'clinic-zeta' } })).Body.transformToString();
  await rejection(s3.getObject({ Bucket: f.bucket, Key: 'audit/1', context: { tenant: 'clinic-eta' } }));
  const ops = events.map((e) => `${e.operation}:${e.outcome}`);
  expect(ops).toContain('s3.putObject:success');
  expect(ops).toContain('s3.getObject:success');
  expect(events.find((e) => e.operation === 's3.getObject' && e.outcome === 'failure')?.errorCode).toBe('CONTEXT_MISMATCH');
  expect(events.find((e) => e.operation === 's3.putObject')?.contextKeys).toEqual(['tenant']);
  expect(JSON.stringify(events)).not.toMatch(/clinic-(zeta|eta)/);
});

it('audits a read whose body fails authentication as a failure, never as a success', async () => {
  const events: AuditEvent[] = [];
  const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: f.keyArn, client: kmsClient() }), audit: (e) => events.push(e) });
  const s3 = encryptedS3({ client: s3Client(), envelope });
  await s3.putObject({ Bucket: f.bucket, Key: 'audit/tampered', Body: 'lab result', context: { tenant: 'a' } });
  const raw = s3Client();
  const stored = await raw.send(new GetObjectCommand({ Bucket: f.bucket, Key: 'audit/tampered' }));
  const body = Buffer.from(await stored.Body!.transformToByteArray());
  body[0]! ^= 1;
  await raw.send(new PutObjectCommand({ Bucket: f.bucket, Key: 'audit/tampered', Body: body, Metadata: stored.Metadata }));
  const read = await s3.getObject({ Bucket: f.bucket, Key: 'audit/tampered', context: { tenant: 'a' } });
  expect((await rejection(read.Body.transformToString())).code).toBe('DECRYPTION_FAILED');
  const reads = events.filter((e) => e.operation === 's3.getObject');
  expect(reads.map((e) => `${e.outcome}:${e.errorCode ?? ''}`)).toEqual(['failure:DECRYPTION_FAILED']);
});
