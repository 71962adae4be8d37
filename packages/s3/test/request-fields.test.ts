// S3 request fields pass through client-side encryption: SSE-KMS on top of the S3EC format,
// storage class and bucket-owner checks reach S3; fields about the plaintext's bytes are refused.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { withEncryption } from '@phiseal/s3';
import { s3Client } from '@phiseal/test-support';
import { beforeAll, expect, it } from 'vitest';
import { fixture, rejection, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

it('SSE-KMS and client-side encryption together: S3 records aws:kms, phiseal decrypts', async () => {
  await f.s3().putObject({
    Bucket: f.bucket, Key: 'fields/sse-kms', Body: 'MRN 448812', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: f.keyArn,
    BucketKeyEnabled: true, StorageClass: 'STANDARD_IA',
  });
  const head = await s3Client().send(new HeadObjectCommand({ Bucket: f.bucket, Key: 'fields/sse-kms' }));
  expect(head.ServerSideEncryption).toBe('aws:kms');
  expect(head.SSEKMSKeyId).toBe(f.keyArn);
  expect(head.StorageClass).toBe('STANDARD_IA');
  const out = await f.s3().getObject({ Bucket: f.bucket, Key: 'fields/sse-kms' });
  expect(await out.Body.transformToString()).toBe('MRN 448812');
});

it('through the middleware too, and multipart uploads carry the fields', async () => {
  const s3 = withEncryption(s3Client(), { buckets: { [f.bucket]: { envelope: f.envelope } } });
  await s3.send(new PutObjectCommand({ Bucket: f.bucket, Key: 'fields/mw', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: f.keyArn }));
  expect((await s3Client().send(new HeadObjectCommand({ Bucket: f.bucket, Key: 'fields/mw' }))).ServerSideEncryption).toBe('aws:kms');
  expect(await (await s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: 'fields/mw' }))).Body!.transformToString()).toBe('x');
  await f.s3({ partSize: 5 * 1024 * 1024 }).upload({
    Bucket: f.bucket, Key: 'fields/multipart', Body: Buffer.alloc(6 * 1024 * 1024, 1), ServerSideEncryption: 'aws:kms', SSEKMSKeyId: f.keyArn,
  });
  expect((await s3Client().send(new HeadObjectCommand({ Bucket: f.bucket, Key: 'fields/multipart' }))).ServerSideEncryption).toBe('aws:kms');
});

it('refuses fields about the plaintext bytes instead of dropping them', async () => {
  for (const field of [{ ContentMD5: 'AAAAAAAAAAAAAAAAAAAAAA==' }, { ContentEncoding: 'gzip' }, { ChecksumSHA256: 'AAAA' }]) {
    const error = await rejection(f.s3().putObject({ Bucket: f.bucket, Key: 'fields/refused', Body: 'x', ...(field as object) }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.details?.['field']).toBe(Object.keys(field)[0]);
  }
});
