import { randomBytes } from 'node:crypto';
import { GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { encryptedS3 } from '@phiseal/s3';
import { createBucket, s3Client } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrateObject, migrateObjects } from '@phiseal/migrate';
import { migrateStoredObject, objectRun } from '../src/internal/object-migration.js';
import { localEnvelope } from './helpers.js';

const client = s3Client();
const envelope = localEnvelope();
const config = { envelope, context: { dataset: 'labs' } };
const reader = encryptedS3({ client: s3Client(), envelope });

async function plaintextOf(bucket: string, key: string): Promise<string> {
  const out = await reader.getObject({ Bucket: bucket, Key: key, context: { dataset: 'labs' } });
  return Buffer.from(await out.Body.transformToByteArray()).toString();
}

describe('migrating one object', () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = await createBucket();
  });

  it('encrypts in place keeping metadata, tags, headers, storage class and checksum algorithm; a second run skips it', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket, Key: 'labs/a.json', Body: '{"hba1c":6.1}', Metadata: { source: 'lis' }, Tagging: 'team=lab&tier=hot',
        ContentType: 'application/json', CacheControl: 'no-store', ContentDisposition: 'inline', StorageClass: 'STANDARD_IA', ChecksumAlgorithm: 'SHA256',
      }),
    );
    const out = await migrateObject({ client, bucket, key: 'labs/a.json', config });
    expect(out).toMatchObject({ outcome: 'migrated', conflictsRetried: 0 });
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'labs/a.json', ChecksumMode: 'ENABLED' }));
    expect(head.Metadata?.['source']).toBe('lis');
    expect(head.Metadata?.['x-amz-3']).toBeDefined();
    expect(head).toMatchObject({ ContentType: 'application/json', CacheControl: 'no-store', ContentDisposition: 'inline', StorageClass: 'STANDARD_IA' });
    expect(head.ChecksumSHA256).toBeDefined();
    const tags = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'labs/a.json' }));
    expect(tags.TagSet).toEqual([{ Key: 'team', Value: 'lab' }, { Key: 'tier', Value: 'hot' }]);
    const raw = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'labs/a.json' }));
    expect(Buffer.from(await raw.Body!.transformToByteArray()).toString()).not.toContain('hba1c');
    expect(await plaintextOf(bucket, 'labs/a.json')).toBe('{"hba1c":6.1}');
    expect(await migrateObject({ client, bucket, key: 'labs/a.json', config })).toMatchObject({ outcome: 'skipped', code: 'ENCRYPTED' });
  });

  it('refuses a key the guard takes for PHI without reading it', async () => {
    const key = 'patients/jane.doe@example.com.pdf';
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
    const out = await migrateObject({ client, bucket, key, config });
    expect(out).toMatchObject({ outcome: 'refused', code: 'PHI_DETECTED' });
    expect(out.id).toBe('object');
    const raw = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(await raw.Body!.transformToString()).toBe('x');
  });

  it('never overwrites a write the application made between the read and the write', async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'labs/b.json', Body: 'v1' }));
    let writes = 0;
    const run = objectRun({
      client, bucket, config, dryRun: false, maxConflictRetries: 5, bufferBytes: 1 << 20,
      beforeWrite: async () => {
        if (writes++ === 0) await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'labs/b.json', Body: 'v2' }));
      },
    });
    const out = await migrateStoredObject(run, 'labs/b.json', 'x');
    expect(out).toMatchObject({ outcome: 'migrated', conflictsRetried: 1 });
    expect(await plaintextOf(bucket, 'labs/b.json')).toBe('v2');
  });

  it('skips an object the application encrypted meanwhile, and a deleted one', async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'labs/c.json', Body: 'v1' }));
    const run = objectRun({
      client, bucket, config, dryRun: false, maxConflictRetries: 5, bufferBytes: 1 << 20,
      beforeWrite: async () => void (await reader.putObject({ Bucket: bucket, Key: 'labs/c.json', Body: 'v2', context: { dataset: 'labs' } })),
    });
    expect(await migrateStoredObject(run, 'labs/c.json', 'x')).toMatchObject({ outcome: 'skipped', code: 'ENCRYPTED', conflictsRetried: 1 });
    expect(await plaintextOf(bucket, 'labs/c.json')).toBe('v2');
    expect(await migrateObject({ client, bucket, key: 'labs/none', config })).toMatchObject({ outcome: 'skipped', code: 'GONE' });
  });

  it('streams an object larger than the buffer through a multipart upload', async () => {
    const body = randomBytes(11 * 1024 * 1024);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'scans/big.bin', Body: body, Metadata: { modality: 'ct' } }));
    const out = await migrateObject({ client, bucket, key: 'scans/big.bin', config, bufferBytes: 1024 });
    expect(out).toMatchObject({ outcome: 'migrated' });
    const got = await reader.getObject({ Bucket: bucket, Key: 'scans/big.bin', context: { dataset: 'labs' } });
    expect(Buffer.from(await got.Body.transformToByteArray()).equals(body)).toBe(true);
    expect(got.Metadata?.['modality']).toBe('ct');
  });

  it('leaves an object with a Content-Encoding as it is (the ciphertext would contradict it)', async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'labs/d.gz', Body: 'zz', ContentEncoding: 'gzip' }));
    expect(await migrateObject({ client, bucket, key: 'labs/d.gz', config })).toMatchObject({ outcome: 'failed', code: 'UNSUPPORTED_OPERATION', retryable: false });
  });

  it('migrateObjects: `stop` leaves the objects not yet started and says the batch is not complete', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => `stop/${i}`);
    for (const key of keys) await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    const stop = new AbortController();
    let taken = 0;
    const limiter = { take: (): Promise<void> => Promise.resolve(void (++taken === 3 && stop.abort())) };
    const cut = await migrateObjects({ client, bucket, keys, config, concurrency: 1, limiter, stop: stop.signal });
    expect(cut).toMatchObject({ migrated: 3, complete: false });
    const rest = await migrateObjects({ client, bucket, keys, config });
    expect(rest).toMatchObject({ migrated: 5, skipped: 3, complete: true });
  });

  it('a dry run reads nothing and writes nothing', async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'labs/e.json', Body: 'e' }));
    expect(await migrateObject({ client, bucket, key: 'labs/e.json', config, dryRun: true })).toMatchObject({ outcome: 'migrated' });
    const raw = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'labs/e.json' }));
    expect(await raw.Body!.transformToString()).toBe('e');
  });
});
