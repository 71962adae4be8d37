// createDistributedMapHandler on S3 item batches, against the emulator with real clients:
// ListObjectsV2 items (plain keys, bucket in BatchInput), S3 Inventory rows (URL-encoded
// keys), a rerun, a PHI-like key and a missing key in the results, and throttling thrown as
// the retryable error Step Functions retries on (fault proxy: the emulator never throttles).
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { withEncryption } from '@phiseal/s3';
import { awsClientConfig, createBucket, fastRetry, s3Client, startFaultProxy, type FaultProxy } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistributedMapHandler } from '../src/distributed-map/create-distributed-map-handler.js';
import { RETRYABLE_ERROR_NAME } from '../src/distributed-map/retryable-error.js';
import { localEnvelope } from './helpers.js';

const encodeKey = (key: string) => encodeURIComponent(key).replaceAll('%20', '+').replaceAll('%2F', '/');
const body = (key: string) => `contents of ${key}: HbA1c 6.1%`;
const PHI_KEY = 'patients/jane.doe@example.com/chart.pdf';

describe('createDistributedMapHandler: S3 objects', () => {
  const envelope = localEnvelope();
  let client: S3Client;
  let bucket: string;
  const put = (key: string) => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body(key), ContentType: 'text/plain' }));
  const read = async (key: string) => (await withEncryption(s3Client(), { buckets: { [bucket]: { envelope } } }).send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  const isEncrypted = async (key: string) => Object.keys((await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).Metadata ?? {}).includes('x-amz-3');

  beforeAll(async () => {
    client = s3Client();
    bucket = await createBucket();
  });

  it('migrates a batch of ListObjectsV2 items (as the listObjectsV2 reader emits them), and a rerun skips them', async () => {
    const keys = ['list/a b+c.txt', 'list/résumé 検査.txt', 'list/rec-bcdf.json'];
    for (const key of keys) await put(key);
    const listed = (await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/' }))).Contents ?? [];
    const Items = listed.map((o) => ({ Etag: o.ETag, Key: o.Key, LastModified: Math.floor(o.LastModified!.getTime() / 1000), Size: o.Size, StorageClass: o.StorageClass }));
    const handler = createDistributedMapHandler({ s3: { client, buckets: { [bucket]: { envelope } } } });
    const out = await handler({ Items, BatchInput: { bucket } });
    expect(out).toMatchObject({ succeeded: 3, failed: 0, continuations: [] });
    expect(out.results.map((r) => r.reason)).toEqual(['migrated', 'migrated', 'migrated']);
    for (const key of keys) expect(await read(key)).toBe(body(key));
    const again = await handler({ Items, BatchInput: { bucket } });
    expect(again.results.map((r) => r.reason)).toEqual(['already-encrypted', 'already-encrypted', 'already-encrypted']);
  });

  it('migrates S3 Inventory rows (URL-encoded keys), reports a PHI-like and a missing key without naming them, skips delete markers', async () => {
    const keys = ['inv/chest x-ray + 2.dcm', 'inv/données.csv'];
    for (const key of [...keys, PHI_KEY]) await put(key);
    const row = (key: string, extra: Record<string, string> = {}) => ({ Bucket: bucket, Key: encodeKey(key), Size: '42', LastModifiedDate: '2026-11-30T00:00:00.000Z', ...extra });
    const handler = createDistributedMapHandler({ s3: { client, buckets: { [bucket]: { envelope } } } });
    const out = await handler({
      Items: [row(keys[0]!), row(keys[1]!), row(PHI_KEY), row('inv/rec-zzzz-gone.dcm'), row('inv/old.dcm', { IsDeleteMarker: 'true' }), row('x', { Bucket: 'not-configured-bucket' })],
      BatchInput: { keyEncoding: 'url' },
    });
    expect(out.results.map((r) => [r.index, r.status, r.reason])).toEqual([
      [0, 'succeeded', 'migrated'],
      [1, 'succeeded', 'migrated'],
      [2, 'failed', 'phi-detected'],
      [3, 'failed', 'no-such-key'],
      [4, 'succeeded', 'delete-marker'],
      [5, 'failed', 'bucket-not-configured'],
    ]);
    for (const key of keys) expect(await read(key)).toBe(body(key));
    expect(await isEncrypted(PHI_KEY)).toBe(false);
    expect(JSON.stringify(out)).not.toMatch(/jane|example|gone|chest|donn/);
  });

  describe('throttling (fault proxy)', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy({ target: awsClientConfig().endpoint, seed: 18 });
    });
    afterAll(async () => {
      await proxy.stop();
    });

    it('finishes the batch, then throws PhisealRetryableError; the retried batch skips what was done', async () => {
      const keys = ['thr/one.txt', 'thr/two.txt', 'thr/three.txt'];
      for (const key of keys) await put(key);
      const throttled = new S3Client({ ...awsClientConfig(), endpoint: proxy.endpoint, forcePathStyle: true, maxAttempts: 2, retryStrategy: fastRetry(2) });
      const handler = createDistributedMapHandler({ s3: { client: throttled, buckets: { [bucket]: { envelope } } }, concurrency: 1 });
      const event = { Items: keys.map((Key) => ({ Key, Size: 10, Etag: '"x"', LastModified: 1, StorageClass: 'STANDARD' })), BatchInput: { bucket } };
      // Only the second object is throttled (every attempt, so the SDK's own retries give up).
      proxy.add({ service: 's3', contains: 'thr/two.txt', fault: { kind: 'throttle' } });
      const error = await handler(event).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: RETRYABLE_ERROR_NAME, retryable: true, details: { reason: 'throttled', retryItems: 1, items: 3 } });
      expect([await isEncrypted('thr/one.txt'), await isEncrypted('thr/two.txt'), await isEncrypted('thr/three.txt')]).toEqual([true, false, true]);
      proxy.clear();
      const out = await handler(event);
      expect(out.results.map((r) => r.reason)).toEqual(['already-encrypted', 'migrated', 'already-encrypted']);
    });
  });
});
