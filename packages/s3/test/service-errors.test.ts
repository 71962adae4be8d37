// The error policy on the emulator: when S3 answers with an error, the caller gets the SDK's
// own object (instanceof, name, $metadata), not a PhisealError wrapper.
import { NoSuchBucket, NoSuchKey, S3ServiceException } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/core';
import { uniqueName } from '@phiseal/test-support';
import { beforeAll, expect, it } from 'vitest';
import { fixture, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

const caught = (promise: Promise<unknown>): Promise<unknown> => promise.then(
  () => {
    throw new Error('expected a rejection');
  },
  (error: unknown) => error,
);

it('getObject of a missing key rejects with the SDK NoSuchKey and its $metadata', async () => {
  const error = await caught(f.s3().getObject({ Bucket: f.bucket, Key: 'absent/object' }));
  expect(error).toBeInstanceOf(NoSuchKey);
  expect(PhisealError.is(error)).toBe(false);
  expect((error as NoSuchKey).name).toBe('NoSuchKey');
  expect((error as NoSuchKey).$metadata.httpStatusCode).toBe(404);
});

it('putObject and upload to a missing bucket reject with the SDK NoSuchBucket', async () => {
  const bucket = uniqueName('phiseal-absent');
  const put = await caught(f.s3().putObject({ Bucket: bucket, Key: 'k', Body: 'x' }));
  expect(put).toBeInstanceOf(NoSuchBucket);
  const upload = await caught(f.s3().upload({ Bucket: bucket, Key: 'k', Body: Buffer.from('x') }));
  expect(upload).toBeInstanceOf(S3ServiceException);
  expect((upload as S3ServiceException).name).toBe('NoSuchBucket');
});

it('deleteObject on a missing bucket rejects with the SDK error', async () => {
  const error = await caught(f.s3().deleteObject({ Bucket: uniqueName('phiseal-absent'), Key: 'k' }));
  expect(error).toBeInstanceOf(S3ServiceException);
  expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(404);
});
