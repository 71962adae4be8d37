import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, rejection, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

describe('conditional writes (IfMatch / IfNoneMatch) and the checksum algorithm', () => {
  it('writes only over the ETag named, and answers a stale one with the SDK\'s PreconditionFailed', async () => {
    const s3 = f.s3({});
    const first = await s3.putObject({ Bucket: f.bucket, Key: 'cond/a', Body: 'one' });
    const etag = (first as { ETag?: string }).ETag as string;
    await s3.putObject({ Bucket: f.bucket, Key: 'cond/a', Body: 'two', IfMatch: etag, ChecksumAlgorithm: 'SHA256' });
    const head = await s3Client().send(new HeadObjectCommand({ Bucket: f.bucket, Key: 'cond/a', ChecksumMode: 'ENABLED' }));
    expect(head.ChecksumSHA256).toBeDefined();
    const stale = await s3.putObject({ Bucket: f.bucket, Key: 'cond/a', Body: 'three', IfMatch: etag }).catch((e: unknown) => e);
    expect((stale as { name?: string }).name).toBe('PreconditionFailed');
    const exists = await s3.putObject({ Bucket: f.bucket, Key: 'cond/a', Body: 'four', IfNoneMatch: '*' }).catch((e: unknown) => e);
    expect((exists as { name?: string }).name).toBe('PreconditionFailed');
    const out = await s3.getObject({ Bucket: f.bucket, Key: 'cond/a' });
    expect(await out.Body.transformToString()).toBe('two');
  });

  it('refuses a conditional write with an instruction file, before sending anything', async () => {
    const s3 = f.s3({ instructionFile: true });
    expect((await rejection(s3.putObject({ Bucket: f.bucket, Key: 'cond/b', Body: 'x', IfMatch: '"abc"' }))).code).toBe('INVALID_ARGUMENT');
    expect((await rejection(s3.putObject({ Bucket: f.bucket, Key: 'cond/b', Body: 'x', IfNoneMatch: '*' }))).code).toBe('INVALID_ARGUMENT');
  });
});
