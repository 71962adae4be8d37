// createBatchOperationsHandler against the emulator with real S3 clients: the documented
// request shapes of both invocation schema versions with URL-encoded keys (spaces, '+',
// non-ASCII), a rerun, a missing key, a PHI-like key (refused, object untouched), buckets
// named by ARN or not configured, and throttling (through the fault proxy: the emulator
// never throttles).
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { withEncryption } from '@phiseal/s3';
import { awsClientConfig, createBucket, fastRetry, s3Client, startFaultProxy, type FaultProxy } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchOperationsHandler } from '../src/batch-operations/create-batch-operations-handler.js';
import { localEnvelope } from './helpers.js';

// What S3 Batch Operations sends: the key URL-encoded, a space as '+'.
const encodeKey = (key: string) => encodeURIComponent(key).replaceAll('%20', '+').replaceAll('%2F', '/');
const KEYS = ['scans/chest x-ray + résumé 検査.dcm', 'a+b c.txt', 'labs/rec-bcdf/100%.json'];
const PHI_KEY = 'patients/jane.doe@example.com/chart.pdf';
const body = (key: string) => `contents of ${key}: glucose 5.4 mmol/L`;

let taskCounter = 0;
type Task = { taskId: string; s3Key: string; s3VersionId: string | null; s3BucketArn?: string; s3Bucket?: string };
function event(version: '1.0' | '2.0', tasks: Array<{ bucket: string; key: string; versionId?: string | null; raw?: string }>) {
  return {
    invocationSchemaVersion: version,
    invocationId: 'YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo',
    job: version === '1.0' ? { id: 'f3cc4f60-61f6-4a2b-8a21-d07600c373ce' } : { id: 'f3cc4f60-61f6-4a2b-8a21-d07600c373ce', userArguments: { k1: 'v1' } },
    tasks: tasks.map((t): Task => ({
      taskId: `dGFza${++taskCounter}`,
      s3Key: t.raw ?? encodeKey(t.key),
      s3VersionId: t.versionId ?? null,
      ...(version === '1.0' ? { s3BucketArn: `arn:aws:s3:::${t.bucket}` } : { s3Bucket: t.bucket }),
    })),
  };
}

describe('createBatchOperationsHandler', () => {
  let client: S3Client;
  let bucket: string;
  let other: string;
  const envelope = localEnvelope();

  beforeAll(async () => {
    client = s3Client();
    [bucket, other] = [await createBucket(), await createBucket()];
    for (const key of [...KEYS, PHI_KEY]) await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body(key), ContentType: 'text/plain' }));
    await client.send(new PutObjectCommand({ Bucket: other, Key: KEYS[0], Body: body(KEYS[0]!) }));
  });

  const reader = () => withEncryption(s3Client(), { buckets: { [bucket]: { envelope } } });
  const readBack = async (key: string) => (await reader().send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  const head = (b: string, key: string) => client.send(new HeadObjectCommand({ Bucket: b, Key: key }));

  it('migrates the tasks of a schema 1.0 invocation (bucket ARN, URL-encoded keys) and echoes the invocation', async () => {
    const handler = createBatchOperationsHandler({ client, buckets: { [bucket]: { envelope } } });
    const request = event('1.0', KEYS.slice(0, 2).map((key) => ({ bucket, key })));
    const answer = await handler(request);
    expect(answer).toEqual({
      invocationSchemaVersion: '1.0',
      treatMissingKeysAs: 'PermanentFailure',
      invocationId: request.invocationId,
      results: request.tasks.map((t) => ({ taskId: t.taskId, resultCode: 'Succeeded', resultString: 'migrated' })),
    });
    for (const key of KEYS.slice(0, 2)) {
      expect(Object.keys((await head(bucket, key)).Metadata ?? {})).toContain('x-amz-3');
      expect(await readBack(key)).toBe(body(key));
    }
  });

  it('migrates the tasks of a schema 2.0 invocation (bucket name, null version, user arguments)', async () => {
    const handler = createBatchOperationsHandler({ client, buckets: { [bucket]: { envelope } } });
    const key = KEYS[2]!;
    const answer = await handler(event('2.0', [{ bucket, key }]));
    expect(answer.invocationSchemaVersion).toBe('2.0');
    expect(answer.results).toEqual([expect.objectContaining({ resultCode: 'Succeeded', resultString: 'migrated' })]);
    expect(await readBack(key)).toBe(body(key));
  });

  it('is idempotent: a rerun of the same tasks succeeds and leaves the objects as they are', async () => {
    const handler = createBatchOperationsHandler({ client, buckets: { [bucket]: { envelope } } });
    const before = await Promise.all(KEYS.map(async (key) => (await head(bucket, key)).ETag));
    for (const version of ['1.0', '2.0'] as const) {
      const answer = await handler(event(version, KEYS.map((key) => ({ bucket, key }))));
      expect(answer.results.map((r) => [r.resultCode, r.resultString])).toEqual(KEYS.map(() => ['Succeeded', 'already-encrypted']));
    }
    expect(await Promise.all(KEYS.map(async (key) => (await head(bucket, key)).ETag))).toEqual(before);
  });

  it('fails for good, with a reason that holds no key: a missing key, a PHI-like key (untouched), an unconfigured bucket, a bad encoding', async () => {
    const handler = createBatchOperationsHandler({ client, buckets: { [bucket]: { envelope } } });
    const phiBefore = await head(bucket, PHI_KEY);
    const request = event('1.0', [
      { bucket, key: 'scans/rec-zzzz/never-written.dcm' },
      { bucket, key: PHI_KEY },
      { bucket: other, key: KEYS[0]! },
      { bucket, key: '', raw: 'bad%zzkey' },
    ]);
    const answer = await handler(request);
    expect(answer.results.map((r) => [r.resultCode, r.resultString])).toEqual([
      ['PermanentFailure', 'no-such-key'],
      ['PermanentFailure', 'phi-detected'],
      ['PermanentFailure', 'bucket-not-configured'],
      ['PermanentFailure', 'invalid-key-encoding'],
    ]);
    const after = await head(bucket, PHI_KEY);
    expect([after.ETag, after.LastModified, after.Metadata]).toEqual([phiBefore.ETag, phiBefore.LastModified, phiBefore.Metadata]);
    expect(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: PHI_KEY }))).Body!.transformToString()).toBe(body(PHI_KEY));
    // The other bucket's object is plaintext still.
    expect(Object.keys((await head(other, KEYS[0]!)).Metadata ?? {})).not.toContain('x-amz-3');
    const text = JSON.stringify(answer);
    for (const fragment of ['never-written', 'jane.doe', 'example.com', 'chest', 'bad%zz']) expect(text).not.toContain(fragment);
  });

  it('matches a configured bucket in any spelling of the task and refuses others', async () => {
    const arnKeyed = createBatchOperationsHandler({ client, buckets: { [bucket]: { envelope } } });
    const odd = { ...event('1.0', [{ bucket, key: KEYS[0]! }]) };
    // The S3 User Guide's example ARN carries a region and account; the bucket is the last part.
    odd.tasks[0]!.s3BucketArn = `arn:aws:s3:us-east-1:123456789012:${bucket}`;
    expect((await arnKeyed(odd)).results[0]).toMatchObject({ resultCode: 'Succeeded' });
    const other2 = event('2.0', [{ bucket: 'not-a-configured-bucket', key: 'k' }]);
    expect((await arnKeyed(other2)).results[0]).toMatchObject({ resultCode: 'PermanentFailure', resultString: 'bucket-not-configured' });
    const ap = { ...event('1.0', [{ bucket, key: 'k' }]) };
    ap.tasks[0]!.s3BucketArn = 'arn:aws:s3:us-east-1:123456789012:accesspoint/fronts-anything';
    expect((await arnKeyed(ap)).results[0]).toMatchObject({ resultCode: 'PermanentFailure', resultString: 'bucket-not-configured' });
  });

  it('refuses an event that is no invocation, and bad options', async () => {
    const handler = createBatchOperationsHandler({ client, buckets: { [bucket]: { envelope } } });
    for (const bad of [null, {}, { invocationSchemaVersion: '1.0', invocationId: 'x' }]) await expect(handler(bad)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => createBatchOperationsHandler({ client, buckets: { 'not a bucket!': { envelope } } })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }) as Error);
    expect(() => createBatchOperationsHandler({ client, buckets: {}, concurrency: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }) as Error);
  });

  describe('throttling (fault proxy)', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy({ target: awsClientConfig().endpoint, seed: 18 });
    });
    afterAll(async () => {
      await proxy.stop();
    });

    it('answers TemporaryFailure while S3 throttles, Succeeded once it stops', async () => {
      const key = 'scans/rec-throttled.dcm';
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body(key) }));
      const throttled = new S3Client({ ...awsClientConfig(), endpoint: proxy.endpoint, forcePathStyle: true, maxAttempts: 2, retryStrategy: fastRetry(2) });
      const handler = createBatchOperationsHandler({ client: throttled, buckets: { [bucket]: { envelope } } });
      proxy.add({ service: 's3', fault: { kind: 'throttle' } });
      const first = await handler(event('2.0', [{ bucket, key }]));
      // The object's first request is its GET, whose throttling answer names the error (a HEAD's could not: no body).
      expect(first.results[0]).toMatchObject({ resultCode: 'TemporaryFailure', resultString: 'throttled' });
      expect(Object.keys((await head(bucket, key)).Metadata ?? {})).not.toContain('x-amz-3');
      proxy.clear();
      const second = await handler(event('2.0', [{ bucket, key }]));
      expect(second.results[0]).toMatchObject({ resultCode: 'Succeeded', resultString: 'migrated' });
      expect(await readBack(key)).toBe(body(key));
    });
  });
});
