// The switch-over stages (plaintextPolicy) on a bucket that already holds plaintext objects,
// in the DB-ESDK's order of deployment: readers first on 'write-plaintext', then writers on
// 'write-encrypted', then the bulk migration, then everyone on 'encrypted-only'.
import { Readable } from 'node:stream';
import { CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createEnvelope, KmsKeyProvider, type AuditEvent } from '@phiseal/core';
import { encryptedS3, objectStateOf, withEncryption, type PlaintextPolicy } from '@phiseal/s3';
import { kmsClient, s3Client } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, rejection, type Fixture } from './setup.js';

let f: Fixture;
const raw = s3Client();
beforeAll(async () => {
  f = await fixture();
});

function service(policy: PlaintextPolicy | undefined, options: { unauthenticatedRangedReads?: boolean } = {}) {
  const events: AuditEvent[] = [];
  const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: f.keyArn, client: kmsClient() }), audit: (e) => events.push(e) });
  const config = { envelope, ...options, ...(policy === undefined ? {} : { plaintextPolicy: policy }) };
  return {
    events,
    s3: encryptedS3({ client: s3Client(), ...config }),
    client: withEncryption(s3Client(), { buckets: { [f.bucket]: config } }),
    plaintextReads: () => events.filter((e) => e.operation === 's3.plaintextRead'),
  };
}
type Service = ReturnType<typeof service>;

const legacyPut = (key: string, body: string) => raw.send(new PutObjectCommand({ Bucket: f.bucket, Key: key, Body: body, Metadata: { kind: 'lab' } }));
const state = (key: string) => objectStateOf(raw, { Bucket: f.bucket, Key: key });
async function read(s: Service, key: string): Promise<string> {
  const out = await s.client.send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
  return out.Body!.transformToString();
}
async function readExplicit(s: Service, key: string): Promise<{ body: string; format: string }> {
  const out = await s.s3.getObject({ Bucket: f.bucket, Key: key });
  return { body: await out.Body.transformToString(), format: out.format };
}

describe('the three stages in the order of deployment', () => {
  it('readers first, then writers, then migration, then encrypted-only', async () => {
    await legacyPut('so/legacy', 'glucose 5.4');
    const unprepared = service(undefined);
    expect((await rejection(read(unprepared, 'so/legacy'))).code).toBe('PLAINTEXT_REFUSED');

    // Step 1: readers on 'write-plaintext'; writers still write plaintext (one through phiseal).
    const reader = service('write-plaintext');
    const writer = service('write-plaintext');
    await writer.client.send(new PutObjectCommand({ Bucket: f.bucket, Key: 'so/one', Body: 'hba1c 6.1', Metadata: { kind: 'lab' } }));
    expect(await state('so/one')).toBe('plaintext');
    expect((await raw.send(new HeadObjectCommand({ Bucket: f.bucket, Key: 'so/one' }))).Metadata).toEqual({ kind: 'lab' });
    expect(await read(reader, 'so/legacy')).toBe('glucose 5.4');
    expect(await readExplicit(reader, 'so/one')).toEqual({ body: 'hba1c 6.1', format: 'plaintext' });

    // Step 2: writers to 'write-encrypted'; readers of step 1 and 'read-both' consumers read both.
    const writer2 = service('write-encrypted');
    await writer2.client.send(new PutObjectCommand({ Bucket: f.bucket, Key: 'so/two', Body: 'ldl 2.9' }));
    expect(await state('so/two')).toBe('encrypted');
    const consumer = service('read-both');
    for (const r of [reader, writer2, consumer]) {
      expect(await read(r, 'so/one')).toBe('hba1c 6.1');
      expect(await readExplicit(r, 'so/two')).toEqual({ body: 'ldl 2.9', format: 'v3' });
    }

    // The bulk migration (what @phiseal/migrate does): plaintext objects rewritten encrypted.
    for (const key of ['so/legacy', 'so/one', 'so/two']) {
      if ((await state(key)) !== 'plaintext') continue;
      const got = await raw.send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
      await writer2.s3.putObject({ Bucket: f.bucket, Key: key, Body: await got.Body!.transformToByteArray(), Metadata: got.Metadata ?? {} });
    }

    // Step 3: everyone on 'encrypted-only'.
    const final = service('encrypted-only');
    for (const key of ['so/legacy', 'so/one', 'so/two']) expect(await state(key)).toBe('encrypted');
    expect(await read(final, 'so/legacy')).toBe('glucose 5.4');
    expect(await read(final, 'so/one')).toBe('hba1c 6.1');
    await legacyPut('so/late', 'late plaintext');
    expect((await rejection(read(final, 'so/late'))).code).toBe('PLAINTEXT_REFUSED');
    expect((await rejection(final.s3.getObject({ Bucket: f.bucket, Key: 'so/late' }))).code).toBe('PLAINTEXT_REFUSED');
  });
});

describe('stripped and half-encrypted objects', () => {
  const stages: PlaintextPolicy[] = ['write-plaintext', 'write-encrypted', 'read-both', 'encrypted-only'];
  let body: Uint8Array;
  let metadata: Record<string, string>;

  beforeAll(async () => {
    await service(undefined).s3.putObject({ Bucket: f.bucket, Key: 'st/source', Body: 'Katherine Johnson, MRN 448812' });
    const got = await raw.send(new GetObjectCommand({ Bucket: f.bucket, Key: 'st/source' }));
    body = await got.Body!.transformToByteArray();
    metadata = got.Metadata ?? {};
  });

  const copy = (key: string, without: string[]) => {
    const m = { ...metadata };
    for (const k of without) delete m[k];
    return raw.send(new PutObjectCommand({ Bucket: f.bucket, Key: key, Body: body, Metadata: m }));
  };

  it('a stripped object is PLAINTEXT_REFUSED under encrypted-only and read as ciphertext bytes by the reading stages', async () => {
    await copy('st/stripped', Object.keys(metadata));
    expect(await state('st/stripped')).toBe('plaintext');
    expect((await rejection(read(service('encrypted-only'), 'st/stripped'))).code).toBe('PLAINTEXT_REFUSED');
    // The documented limit: nothing tells it from plaintext; what comes back is ciphertext.
    const seen = await service('write-encrypted').s3.getObject({ Bucket: f.bucket, Key: 'st/stripped' });
    expect(seen.format).toBe('plaintext');
    expect(Buffer.from(await seen.Body.transformToByteArray()).toString('latin1')).not.toContain('Katherine');
  });

  it('an object with some but not all of its content metadata is refused in every stage, explicit and middleware', async () => {
    await copy('st/no-key', ['x-amz-3']);
    await copy('st/only-cipher', Object.keys(metadata).filter((k) => k !== 'x-amz-c'));
    await copy('st/no-commitment', ['x-amz-d']);
    await raw.send(new PutObjectCommand({ Bucket: f.bucket, Key: 'st/v2-no-iv', Body: body, Metadata: { 'x-amz-key-v2': 'AAAA', 'x-amz-cek-alg': 'AES/GCM/NoPadding' } }));
    const keys = ['st/no-key', 'st/only-cipher', 'st/no-commitment', 'st/v2-no-iv'];
    for (const key of keys) expect(await state(key), key).toBe('tampered');
    for (const stage of stages) {
      const s = service(stage);
      for (const key of keys) {
        expect(['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT'], `${stage} ${key}`).toContain((await rejection(read(s, key))).code);
        expect(['DECRYPTION_FAILED', 'MALFORMED_CIPHERTEXT'], `${stage} ${key}`).toContain((await rejection(readExplicit(s, key))).code);
      }
      expect(s.plaintextReads()).toEqual([]);
    }
  });
});

describe("writes under 'write-plaintext'", () => {
  it('are guarded (key, metadata, tags) and store no S3EC metadata; stream bodies are refused', async () => {
    const s = service('write-plaintext');
    expect((await rejection(s.client.send(new PutObjectCommand({ Bucket: f.bucket, Key: 'w/123-45-6789.json', Body: 'x' })))).code).toBe('PHI_DETECTED');
    expect((await rejection(s.s3.putObject({ Bucket: f.bucket, Key: 'w/a', Body: 'x', Metadata: { patient: 'john.smith@example.com' } }))).code).toBe('PHI_DETECTED');
    expect((await rejection(s.s3.putObject({ Bucket: f.bucket, Key: 'w/a', Body: 'x', Tagging: 'ssn=123-45-6789' }))).code).toBe('PHI_DETECTED');
    expect((await rejection(s.s3.upload({ Bucket: f.bucket, Key: 'w/stream', Body: Readable.from([Buffer.from('x')]) }))).code).toBe('UNSUPPORTED_OPERATION');
    // Multipart through the middleware always encrypts: refused in the plaintext-writing stage.
    expect((await rejection(s.client.send(new CreateMultipartUploadCommand({ Bucket: f.bucket, Key: 'w/multipart' })))).code).toBe('UNSUPPORTED_OPERATION');
    const out = await s.s3.upload({ Bucket: f.bucket, Key: 'w/bytes', Body: 'twelve bytes' });
    expect(out).toMatchObject({ Bucket: f.bucket, Key: 'w/bytes', parts: 1, bytes: 12 });
    expect(await state('w/bytes')).toBe('plaintext');
    // Nothing was stored by the refused writes.
    expect(await state('w/a').catch((error: unknown) => (error as Error).name)).toMatch(/NotFound|NoSuchKey/);
  });
});

describe('plaintext reads', () => {
  it('emit one value-free audit event each, every time; a refused read is a failure event', async () => {
    await legacyPut('au/one', 'Secret Value');
    const s = service('write-encrypted');
    await read(s, 'au/one');
    await readExplicit(s, 'au/one');
    expect(s.plaintextReads()).toHaveLength(2);
    for (const e of s.plaintextReads()) {
      expect(e).toMatchObject({ outcome: 'success', plaintextPolicy: 'write-encrypted', contextKeys: ['phiseal:s3-bucket'] });
      expect(JSON.stringify(e)).not.toMatch(/Secret|au\/one/);
      expect(JSON.stringify(e)).not.toContain(f.bucket);
    }
    const strict = service(undefined);
    await rejection(read(strict, 'au/one'));
    expect(strict.plaintextReads()).toMatchObject([{ outcome: 'failure', errorCode: 'PLAINTEXT_REFUSED', plaintextPolicy: 'encrypted-only' }]);
  });

  it('a ranged read of a plaintext object returns exactly the requested bytes', async () => {
    await legacyPut('au/range', 'abcdefghijklmnopqrstuvwxyz0123456789');
    const s = service('write-encrypted', { unauthenticatedRangedReads: true });
    const out = await s.s3.getObject({ Bucket: f.bucket, Key: 'au/range', Range: 'bytes=20-29' });
    expect(await out.Body.transformToString()).toBe('uvwxyz0123');
    expect(out.ContentLength).toBe(10);
    expect(out.ContentRange).toBe('bytes 20-29/36');
  });

  it('an unknown plaintextPolicy is INVALID_CONFIGURATION', () => {
    expect(() => encryptedS3({ client: s3Client(), envelope: f.envelope, plaintextPolicy: 'maybe' as PlaintextPolicy })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIGURATION' }) as Error,
    );
  });
});
