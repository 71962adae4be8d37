import { gzipSync } from 'node:zlib';
import { GetObjectCommand, PutBucketVersioningCommand, PutObjectCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { encryptedS3 } from '@phiseal/s3';
import { createBucket, s3Client, scratchDir } from '@phiseal/test-support';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyReport, migrateBucket, migrateObjects, recordsSeen } from '@phiseal/migrate';
import { keyOf, localEnvelope } from './helpers.js';

const client = s3Client();
const envelope = localEnvelope();
const config = { envelope };
const reader = encryptedS3({ client: s3Client(), envelope });
const scratch = scratchDir('migrate-bucket');

async function fill(c: S3Client, bucket: string, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 20) {
    await Promise.all(keys.slice(i, i + 20).map((Key) => c.send(new PutObjectCommand({ Bucket: bucket, Key, Body: `body of ${Key}` }))));
  }
}

async function expectEncrypted(bucket: string, key: string): Promise<void> {
  const out = await reader.getObject({ Bucket: bucket, Key: key });
  expect(await out.Body.transformToString()).toBe(`body of ${key}`);
}

describe('migrateBucket', () => {
  it('migrates the keys under a prefix, and no other', async () => {
    const bucket = await createBucket();
    const inside = Array.from({ length: 30 }, (_, i) => `labs/${keyOf(i)}`);
    await fill(client, bucket, [...inside, 'other/x']);
    const report = await migrateBucket({ client, bucket, prefix: 'labs/', config });
    expect(report).toMatchObject({ migrated: 30, skipped: 0, failed: 0, complete: true });
    for (const key of inside.slice(0, 5)) await expectEncrypted(bucket, key);
    const raw = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'other/x' }));
    expect(await raw.Body!.transformToString()).toBe('body of other/x');
  });

  it('stops on a signal and resumes from the checkpoint; counts add up across the runs', async () => {
    const bucket = await createBucket();
    const keys = Array.from({ length: 240 }, (_, i) => `r/${keyOf(i)}`);
    await fill(client, bucket, keys);
    const checkpoint = join(scratch, 'bucket.ckpt');
    const stop = new AbortController();
    const first = await migrateBucket({ client, bucket, config, checkpoint, signal: stop.signal, batchSize: 40, onProgress: (p) => { if (p.done >= 80) stop.abort(); } });
    expect(first).toMatchObject({ complete: false, stopped: 'interrupted' });
    const second = await migrateBucket({ client, bucket, config, checkpoint, batchSize: 40, batches: 2 });
    expect(second).toMatchObject({ complete: true, resumedFrom: checkpoint, failed: 0 });
    expect(recordsSeen(first)).toBeLessThan(240);
    expect(recordsSeen(first) + recordsSeen(second)).toBe(240);
    expect(first.migrated + second.migrated).toBe(240);
    await expectEncrypted(bucket, keys[239]!);
  });

  it('a lost batch stops the run before it; the batches that finished after it are counted, and resumed as skipped', async () => {
    const bucket = await createBucket();
    const keys = Array.from({ length: 200 }, (_, i) => `w/${keyOf(i)}`);
    await fill(client, bucket, keys);
    const checkpoint = join(scratch, 'lost.ckpt');
    let calls = 0;
    // The executor is the seam the CLI's worker pool plugs into; this one runs batches here and
    // reports the second one lost, as the pool does when its worker process dies.
    const first = await migrateBucket({
      client, bucket, config, checkpoint, batchSize: 40, batches: 4,
      executeBatch: async ({ keys: batchKeys, ids }) => {
        const n = calls++;
        if (n === 1) return { ...emptyReport(), stopped: 'worker-lost' };
        return migrateObjects({ client, bucket, config, keys: batchKeys, ids });
      },
    });
    expect(first).toMatchObject({ complete: false, stopped: 'worker-lost', failed: 0 });
    // Batch 0 committed; 2, 3 and 4 were in flight with the lost batch 1 and finished: counted,
    // but the checkpoint stays after batch 0.
    expect(first.migrated).toBe(160);
    const second = await migrateBucket({ client, bucket, config, checkpoint, batchSize: 40 });
    expect(second).toMatchObject({ complete: true, resumedFrom: checkpoint, migrated: 40, skipped: 120, failed: 0 });
    expect(first.migrated + second.migrated).toBe(200);
    for (const key of [keys[40]!, keys[199]!]) await expectEncrypted(bucket, key);
  });

  it('reads a Batch Operations CSV manifest and an S3 Inventory manifest (gzip CSV)', async () => {
    const bucket = await createBucket();
    const keys = ['m/a b.txt', 'm/c+d.txt', 'm/e.txt'];
    await fill(client, bucket, keys);
    const enc = (k: string) => encodeURIComponent(k).replaceAll('%20', '+');
    const csv = `${bucket},${enc('m/a b.txt')}\n"${bucket}","${enc('m/c+d.txt')}"\nsomeone-else,x\n${bucket},bad%zz\n`;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'manifests/batch.csv', Body: csv }));
    const report = await migrateBucket({ client, bucket, manifest: `s3://${bucket}/manifests/batch.csv`, config });
    expect(report).toMatchObject({ migrated: 2, failed: 2, complete: true });
    expect(report.errors.map((e) => e.code).sort()).toEqual(['INVALID_KEY_ENCODING', 'OTHER_BUCKET']);
    await expectEncrypted(bucket, 'm/a b.txt');
    await expectEncrypted(bucket, 'm/c+d.txt');

    const data = gzipSync(`"${bucket}","${enc('m/e.txt')}","v1","true","false"\n"${bucket}","${enc('m/a b.txt')}","v0","false","false"\n"${bucket}","${enc('m/c+d.txt')}","v1","true","false"\n`);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'inv/data/one.csv.gz', Body: data }));
    const manifest = { sourceBucket: bucket, destinationBucket: `arn:aws:s3:::${bucket}`, fileFormat: 'CSV', fileSchema: 'Bucket, Key, VersionId, IsLatest, IsDeleteMarker', files: [{ key: 'inv/data/one.csv.gz', size: data.length, MD5checksum: 'x' }] };
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'inv/manifest.json', Body: JSON.stringify(manifest) }));
    const inventory = await migrateBucket({ client, bucket, manifest: `s3://${bucket}/inv/manifest.json`, config });
    // m/e.txt migrated, m/c+d.txt already encrypted, the noncurrent row is not a record.
    expect(inventory).toMatchObject({ migrated: 1, skipped: 1, failed: 0, complete: true });
    await expectEncrypted(bucket, 'm/e.txt');
  });

  it('in a versioned bucket, counts the plaintext versions left and deletes them only when asked', async () => {
    const bucket = await createBucket();
    await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await fill(client, bucket, ['v/a', 'v/b']);
    const first = await migrateBucket({ client, bucket, config });
    expect(first).toMatchObject({ migrated: 2, plaintextVersions: 2 });
    expect(first.plaintextVersionsDeleted).toBeUndefined();
    const second = await migrateBucket({ client, bucket, config, deletePlaintextVersions: true });
    expect(second).toMatchObject({ skipped: 2, plaintextVersions: 2, plaintextVersionsDeleted: 2 });
    const versions = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(versions.Versions?.length).toBe(2);
    await expectEncrypted(bucket, 'v/a');
  });
});
