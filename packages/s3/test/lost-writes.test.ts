// Defects #17.4 and #17.5 through the fault proxy: a write whose answer is lost says
// `outcome: 'unknown'` and leaves the object readable (its instruction file kept); an upload
// whose parts and abort both fail names the incomplete upload it leaves.
import { AbortMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { encryptedS3 } from '@phiseal/s3';
import { awsClientConfig, pattern, proxiedClients, rejection, s3Client, startFaultProxy, watchdog, type FaultProxy } from '@phiseal/test-support';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixture, objectExists, readBack, type Fixture } from './setup.js';

const MiB = 1024 * 1024;
let f: Fixture;
let proxy: FaultProxy;
beforeAll(async () => {
  f = await fixture();
  proxy = await startFaultProxy({ target: awsClientConfig().endpoint, seed: 5 });
});
afterEach(() => proxy.clear());
afterAll(() => proxy.stop());

const through = (options: { instructionFile?: boolean } = {}) =>
  encryptedS3({ client: proxiedClients(proxy, { maxAttempts: 2 }).s3, envelope: f.envelope, partSize: 5 * MiB, ...options });

const uploadsOf = async (key: string) =>
  (await s3Client().send(new ListMultipartUploadsCommand({ Bucket: f.bucket, Prefix: key }))).Uploads ?? [];

describe('a write whose answer is lost', () => {
  it('putObject: outcome unknown, retryable, and the object is stored and readable (instruction file kept)', async () => {
    const key = 'lost/put';
    proxy.add({ service: 's3', operation: 'PutObject', contains: `${key}?`, fault: { kind: 'reset-after' } });
    const body = pattern(10_000, 1);
    const error = await rejection(watchdog(through({ instructionFile: true }).putObject({ Bucket: f.bucket, Key: key, Body: body }), 20_000));
    expect(error).toMatchObject({ code: 'AWS_REQUEST_FAILED', retryable: true, details: { outcome: 'unknown', operation: 'PutObject' } });
    expect((await readBack(f, key)).equals(body)).toBe(true);
  });

  it('upload in one part: outcome unknown, object readable', async () => {
    const key = 'lost/upload-single';
    proxy.add({ service: 's3', operation: 'PutObject', contains: `${key}?`, fault: { kind: 'reset-after' } });
    const body = pattern(1000, 2);
    const error = await rejection(through().upload({ Bucket: f.bucket, Key: key, Body: Readable.from([body]) }));
    expect(error.details?.['outcome']).toBe('unknown');
    expect((await readBack(f, key)).equals(body)).toBe(true);
  });

  it('CompleteMultipartUpload: outcome unknown, the object complete and readable, instruction file kept', async () => {
    const key = 'lost/complete';
    proxy.add({ service: 's3', operation: 'CompleteMultipartUpload', fault: { kind: 'reset-after' } });
    const body = pattern(6 * MiB, 3);
    const error = await rejection(through({ instructionFile: true }).upload({ Bucket: f.bucket, Key: key, Body: Readable.from([body]) }));
    expect(error).toMatchObject({ code: 'AWS_REQUEST_FAILED', retryable: true, details: { outcome: 'unknown' } });
    expect(error.details?.['incompleteUpload']).toBeUndefined();
    expect((await readBack(f, key)).equals(body)).toBe(true);
    expect(await uploadsOf(key)).toEqual([]);
  });

  it('CompleteMultipartUpload cut before it reached S3: the abort proves it, the outcome is known and nothing is left', async () => {
    const key = 'lost/complete-before';
    proxy.add({ service: 's3', operation: 'CompleteMultipartUpload', fault: { kind: 'reset-before' } });
    const error = await rejection(through({ instructionFile: true }).upload({ Bucket: f.bucket, Key: key, Body: Readable.from([pattern(6 * MiB, 4)]) }));
    expect(error.code).toBe('AWS_REQUEST_FAILED');
    expect(error.details?.['outcome']).toBeUndefined();
    expect(await objectExists(f, key)).toBe(false);
    expect(await objectExists(f, `${key}.instruction`)).toBe(false);
    expect(await uploadsOf(key)).toEqual([]);
  });

  it('a PutObject refused with a 4xx: outcome known, no object, no instruction file', async () => {
    const key = 'lost/refused';
    proxy.add({ service: 's3', operation: 'PutObject', contains: `${key}?`, fault: { kind: 'status', status: 403, code: 'AccessDenied' } });
    const error = await rejection(through({ instructionFile: true }).putObject({ Bucket: f.bucket, Key: key, Body: 'x' }));
    expect(error.details?.['outcome']).toBeUndefined();
    expect(await objectExists(f, key)).toBe(false);
    expect(await objectExists(f, `${key}.instruction`)).toBe(false);
  });
});

describe('a failed upload whose abort fails too', () => {
  it('reports incompleteUpload { bucket, key, uploadId }, and that upload is the one left', async () => {
    const key = 'abort-fails/upload';
    proxy.add({ service: 's3', operation: 'UploadPart', fault: { kind: 'status', status: 500, code: 'InternalError' } });
    proxy.add({ service: 's3', operation: 'AbortMultipartUpload', fault: { kind: 'status', status: 503, code: 'ServiceUnavailable' } });
    const error = await rejection(through().upload({ Bucket: f.bucket, Key: key, Body: Readable.from([pattern(6 * MiB, 5)]) }));
    expect(error).toMatchObject({ code: 'AWS_REQUEST_FAILED', retryable: true });
    const left = await uploadsOf(key);
    expect(left).toHaveLength(1);
    expect(error.details?.['incompleteUpload']).toEqual({ bucket: f.bucket, key, uploadId: left[0]!.UploadId });
    await s3Client().send(new AbortMultipartUploadCommand({ Bucket: f.bucket, Key: key, UploadId: left[0]!.UploadId }));
  });

  it('when the abort succeeds nothing is reported left and nothing is', async () => {
    const key = 'abort-ok/upload';
    proxy.add({ service: 's3', operation: 'UploadPart', fault: { kind: 'status', status: 500, code: 'InternalError' } });
    const error = await rejection(through().upload({ Bucket: f.bucket, Key: key, Body: Readable.from([pattern(6 * MiB, 6)]) }));
    expect(error.details?.['incompleteUpload']).toBeUndefined();
    expect(await uploadsOf(key)).toEqual([]);
  });
});
