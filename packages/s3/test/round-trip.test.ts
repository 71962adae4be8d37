import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, pattern, rejection, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

const SIZES = [0, 1, 15, 16, 17, 31, 33, 1000];

describe.each(['v3', 'v2'] as const)('putObject / getObject round trip (%s)', (format) => {
  for (const size of SIZES) {
    it(`${size} bytes`, async () => {
      const s3 = f.s3({ format });
      const key = `rt/${format}/${size}`;
      const body = pattern(size, size + 7);
      await s3.putObject({ Bucket: f.bucket, Key: key, Body: body, context: { tenant: 'clinic-a' } });
      const out = await s3.getObject({ Bucket: f.bucket, Key: key, context: { tenant: 'clinic-a' } });
      expect(out.format).toBe(format);
      expect(out.ContentLength).toBe(size);
      expect(Buffer.from(await out.Body.transformToByteArray()).equals(body)).toBe(true);
      // The stored object is ciphertext || 16-byte tag.
      const head = await s3Client().send(new HeadObjectCommand({ Bucket: f.bucket, Key: key }));
      expect(head.ContentLength).toBe(size + 16);
    });
  }

  it('strings, user metadata and the metadata keys written', async () => {
    const s3 = f.s3({ format });
    const key = `rt/${format}/meta`;
    await s3.putObject({ Bucket: f.bucket, Key: key, Body: 'hello', Metadata: { department: 'radiology' }, ContentType: 'text/plain' });
    const head = await s3Client().send(new HeadObjectCommand({ Bucket: f.bucket, Key: key }));
    const expected = format === 'v3'
      ? ['x-amz-3', 'x-amz-c', 'x-amz-d', 'x-amz-i', 'x-amz-t', 'x-amz-w']
      : ['x-amz-cek-alg', 'x-amz-iv', 'x-amz-key-v2', 'x-amz-matdesc', 'x-amz-tag-len', 'x-amz-wrap-alg'];
    expect(Object.keys(head.Metadata ?? {}).filter((k) => k.startsWith('x-amz-')).sort()).toEqual(expected);
    const out = await s3.getObject({ Bucket: f.bucket, Key: key });
    expect(await out.Body.transformToString()).toBe('hello');
    // A second read is a caller error, reported as a typed error like every other one.
    expect((await rejection(out.Body.transformToString())).code).toBe('INVALID_ARGUMENT');
    expect(out.Metadata).toEqual({ department: 'radiology' });
    expect(out.ContentType).toBe('text/plain');
  });
});
