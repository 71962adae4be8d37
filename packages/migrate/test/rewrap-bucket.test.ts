import { GetObjectTaggingCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { rewrapBucket, rewrapObject, rewrapObjects } from '@phiseal/migrate';
import { createEnvelope } from '@phiseal/core';
import { encryptedS3 } from '@phiseal/s3';
import { createBucket, s3Client } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { context, headOf, kmsKeys, localKeys, rawObject, readWith, writeWith } from './rewrap-support.js';

const client = s3Client();

const EDK = { v2: 'x-amz-key-v2', v3: 'x-amz-3' } as const;

describe.each(['v3', 'v2'] as const)('rewrapBucket, %s objects', (format) => {
  describe.each(['local', 'kms'] as const)('%s keys', (kind) => {
    let bucket: string;
    let from: Awaited<ReturnType<typeof kmsKeys>>['keys'] | ReturnType<typeof localKeys>;
    let to: typeof from;
    beforeAll(async () => {
      bucket = await createBucket();
      [from, to] = kind === 'local' ? [localKeys('old-key'), localKeys('new-key')] : [(await kmsKeys()).keys, (await kmsKeys()).keys];
    });

    it('replaces only the wrapped key in object metadata: same body, headers, tags; new key reads, old key does not', async () => {
      const key = `labs/${format}/meta.json`;
      await writeWith(from, bucket, key, '{"hba1c":6.1}', {
        format,
        extra: { Metadata: { source: 'lis' }, Tagging: 'team=lab', ContentType: 'application/json', CacheControl: 'no-store', ContentDisposition: 'inline', StorageClass: 'STANDARD_IA', ChecksumAlgorithm: 'SHA256' },
      });
      const before = await rawObject(client, bucket, key);
      const report = await rewrapBucket({ client, bucket, prefix: `labs/${format}/`, from, to });
      expect(report).toMatchObject({ migrated: 1, skipped: 0, failed: 0, refused: 0, complete: true, errors: [] });
      const after = await rawObject(client, bucket, key);
      expect(after.body.equals(before.body)).toBe(true);
      expect(after.metadata[EDK[format]]).not.toBe(before.metadata[EDK[format]]);
      const { [EDK[format]]: _old, ...kept } = before.metadata;
      const { [EDK[format]]: _new, ...now } = after.metadata;
      expect(now).toEqual(kept);
      const head = await headOf(client, bucket, key);
      expect(head).toMatchObject({ ContentType: 'application/json', CacheControl: 'no-store', ContentDisposition: 'inline', StorageClass: 'STANDARD_IA' });
      expect(head.ChecksumSHA256).toBeDefined();
      expect((await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet).toEqual([{ Key: 'team', Value: 'lab' }]);
      expect(await readWith(to, bucket, key)).toBe('{"hba1c":6.1}');
      expect(await readWith(from, bucket, key)).toMatch(/^error:(KEY_NOT_ALLOWED|DECRYPTION_FAILED|KMS_KEY_UNUSABLE)$/);
      // Idempotent: a second run finds it under the new key.
      expect(await rewrapBucket({ client, bucket, prefix: `labs/${format}/`, from, to })).toMatchObject({ migrated: 0, skipped: 1, failed: 0, complete: true });
    });

    it('rewrites only the instruction file; the object itself is not touched', async () => {
      const key = `ins/${format}/scan.bin`;
      await writeWith(from, bucket, key, 'instruction body', { format, instructionFile: true });
      const object = await rawObject(client, bucket, key);
      const file = await rawObject(client, bucket, `${key}.instruction`);
      const report = await rewrapBucket({ client, bucket, prefix: `ins/${format}/`, from, to });
      // The instruction file is listed too, and skipped as part of its object.
      expect(report).toMatchObject({ migrated: 1, skipped: 1, failed: 0, complete: true });
      const objectAfter = await rawObject(client, bucket, key);
      expect(objectAfter.etag).toBe(object.etag);
      expect(objectAfter.metadata).toEqual(object.metadata);
      const fileAfter = await rawObject(client, bucket, `${key}.instruction`);
      expect(fileAfter.metadata).toEqual(file.metadata);
      const [oldEntries, newEntries] = [JSON.parse(file.body.toString()), JSON.parse(fileAfter.body.toString())] as Record<string, string>[];
      expect(newEntries![EDK[format]]).not.toBe(oldEntries![EDK[format]]);
      expect({ ...newEntries, [EDK[format]]: '' }).toEqual({ ...oldEntries, [EDK[format]]: '' });
      expect(await readWith(to, bucket, key)).toBe('instruction body');
      expect(await readWith(from, bucket, key)).toMatch(/^error:/);
    });
  });
});

describe('rewrapBucket reports', () => {
  const from = localKeys('old-key');
  const to = localKeys('new-key');
  let bucket: string;
  beforeAll(async () => {
    bucket = await createBucket();
  });

  it('skips plaintext, fails tampered objects and keys under neither provider, with codes and no values', async () => {
    await writeWith(from, bucket, 'mix/a', 'alpha');
    await writeWith(localKeys('third-key'), bucket, 'mix/b', 'bravo');
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'mix/c', Body: 'charlie', Metadata: { note: 'plain' } }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'mix/d', Body: 'delta', Metadata: { 'x-amz-c': '115' } }));
    await writeWith(to, bucket, 'mix/e', 'echo');
    const report = await rewrapBucket({ client, bucket, prefix: 'mix/', from, to, concurrency: 2 });
    expect(report).toMatchObject({ migrated: 1, skipped: 2, failed: 2, refused: 0, complete: true });
    expect([...report.errors].sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual([
      { id: 'obj-1', code: 'KEY_NOT_ALLOWED' },
      { id: 'obj-3', code: 'DECRYPTION_FAILED' },
    ]);
    const text = JSON.stringify(report);
    for (const value of ['mix/', 'alpha', 'bravo', 'labs', 'dataset', 'plain', 'old-key', 'new-key']) expect(text).not.toContain(value);
    expect(await readWith(to, bucket, 'mix/a')).toBe('alpha');
    expect(await readWith(to, bucket, 'mix/e')).toBe('echo');
  });

  it('a dry run counts and writes nothing', async () => {
    await writeWith(from, bucket, 'dry/a', 'alpha');
    const before = await rawObject(client, bucket, 'dry/a');
    const report = await rewrapBucket({ client, bucket, prefix: 'dry/', from, to, dryRun: true });
    expect(report).toMatchObject({ migrated: 1, dryRun: true, complete: true });
    expect((await rawObject(client, bucket, 'dry/a')).etag).toBe(before.etag);
    expect(await readWith(from, bucket, 'dry/a')).toBe('alpha');
  });

  it('rewrapObject rotates one object (a fan-out task) with the same outcomes', async () => {
    await writeWith(from, bucket, 'one/a', 'alpha');
    expect(await rewrapObject({ client, bucket, key: 'one/a', from, to, id: 'task-7' })).toEqual({ outcome: 'migrated', id: 'task-7', conflictsRetried: 0 });
    expect(await rewrapObject({ client, bucket, key: 'one/a', from, to })).toMatchObject({ outcome: 'skipped', code: 'REWRAPPED', id: 'object' });
    expect(await rewrapObject({ client, bucket, key: 'one/none', from, to })).toMatchObject({ outcome: 'skipped', code: 'GONE' });
    expect(await readWith(to, bucket, 'one/a')).toBe('alpha');
    await expect(rewrapObject({ client, bucket, key: 'one/a', from, to: from })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses bad options before any request', async () => {
    await expect(rewrapBucket({ client, bucket, from, to: from })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(rewrapBucket({ client, bucket, from, to: {} as never })).rejects.toMatchObject({ code: 'INVALID_CONFIGURATION' });
    await expect(rewrapBucket({ client, bucket, from, to, batchSize: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('rewrapObjects and rewrapBucket batches elsewhere', () => {
  it('rotates a batch (kmsCalls counted), stops before the next object on `stop`, and rewrapBucket commits batches an executor ran', async () => {
    const bucket = await createBucket();
    const { keys: from } = await kmsKeys();
    const { keys: to } = await kmsKeys();
    const keys = Array.from({ length: 6 }, (_, i) => `b/doc-${'bcdfgh'[i]}`);
    for (const key of keys) await writeWith(from, bucket, key, `body of ${key}`);
    const stopped = new AbortController();
    stopped.abort();
    expect(await rewrapObjects({ client, bucket, keys, from, to, stop: stopped.signal })).toMatchObject({ migrated: 0, complete: false });
    const first = await rewrapObjects({ client, bucket, keys: keys.slice(0, 2), from, to });
    expect(first).toMatchObject({ migrated: 2, complete: true });
    expect(first.kmsCalls).toBeGreaterThan(0);
    // An executor (a worker pool, here the batch unit itself): the bucket run checkpoints and counts what it reports.
    const batches: string[][] = [];
    const report = await rewrapBucket({
      client, bucket, from, to, batchSize: 2, batches: 2,
      executeBatch: async (batch) => {
        batches.push([...batch.keys]);
        return rewrapObjects({ client, bucket, keys: batch.keys, ids: batch.ids, from, to });
      },
      kmsCallsElsewhere: () => 7,
    });
    expect(batches).toEqual([keys.slice(0, 2), keys.slice(2, 4), keys.slice(4, 6)]);
    expect(report).toMatchObject({ migrated: 4, skipped: 2, failed: 0, complete: true, kmsCalls: 7 });
    for (const key of keys) expect(await readWith(to, bucket, key)).toBe(`body of ${key}`);
  });
});

describe('rewrapBucket KMS calls', () => {
  it('rotates a wrapping shared by objects in flight once: two KMS calls for 24 objects under one cached data key', async () => {
    const bucket = await createBucket();
    const { keys: from } = await kmsKeys();
    const { keys: to } = await kmsKeys();
    const writer = encryptedS3({ client: s3Client(), envelope: createEnvelope({ keys: from }) });
    for (let i = 0; i < 24; i++) await writer.putObject({ Bucket: bucket, Key: `shared/doc-${i}`, Body: `doc ${i}`, context });
    const report = await rewrapBucket({ client, bucket, from, to, concurrency: 16 });
    expect(report).toMatchObject({ migrated: 24, failed: 0, complete: true, kmsCalls: 2 });
    expect(await readWith(to, bucket, 'shared/doc-23')).toBe('doc 23');
  });
});
