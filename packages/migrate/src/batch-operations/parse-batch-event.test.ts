import { describe, expect, it } from 'vitest';
import type { PhisealError } from '@phiseal/core';
import { parseBatchEvent } from './parse-batch-event.js';
import { taskBucket } from './task-bucket.js';

// The request examples of the AWS documentation, verbatim but for the key.
const schema1 = (task: Record<string, unknown>) => ({
  invocationSchemaVersion: '1.0',
  invocationId: 'YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo',
  job: { id: 'f3cc4f60-61f6-4a2b-8a21-d07600c373ce' },
  tasks: [{ taskId: 'dGFza2lkZ29lc2hlcmUK', s3Key: 'customerImage1.jpg', s3VersionId: '1', s3BucketArn: 'arn:aws:s3:::amzn-s3-demo-bucket', ...task }],
});
const schema2 = (task: Record<string, unknown>) => ({
  invocationSchemaVersion: '2.0',
  invocationId: 'YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo',
  job: { id: 'f3cc4f60-61f6-4a2b-8a21-d07600c373ce', userArguments: { k1: 'v1', k2: 'v2' } },
  tasks: [{ taskId: 'dGFza2lkZ29lc2hlcmUK', s3Key: 'customerImage1.jpg', s3VersionId: null, s3Bucket: 'amzn-s3-demo-bucket', ...task }],
});

describe('parseBatchEvent', () => {
  it('reads the documented schema 1.0 request', () => {
    const parsed = parseBatchEvent(schema1({}));
    expect(parsed.schema).toBe('1.0');
    expect(parsed.invocationId).toBe('YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo');
    expect(parsed.tasks).toEqual([
      { taskId: 'dGFza2lkZ29lc2hlcmUK', target: { bucket: 'amzn-s3-demo-bucket', key: 'customerImage1.jpg', versionId: '1' } },
    ]);
  });

  it('reads the documented schema 2.0 request (bucket name, null version, user arguments)', () => {
    const parsed = parseBatchEvent(schema2({}));
    expect(parsed.schema).toBe('2.0');
    expect(parsed.tasks).toEqual([{ taskId: 'dGFza2lkZ29lc2hlcmUK', target: { bucket: 'amzn-s3-demo-bucket', key: 'customerImage1.jpg' } }]);
  });

  it('decodes URL-encoded keys in both schema versions', () => {
    for (const make of [schema1, schema2]) {
      const parsed = parseBatchEvent(make({ s3Key: 'scans/chest+x-ray+%2B+r%C3%A9sum%C3%A9+%E6%A4%9C%E6%9F%BB.dcm' }));
      expect(parsed.tasks[0]).toMatchObject({ target: { key: 'scans/chest x-ray + résumé 検査.dcm' } });
    }
  });

  it('turns a task it cannot act on into a fixed reason, never the key', () => {
    expect(parseBatchEvent(schema1({ s3Key: 'bad%zz' })).tasks[0]).toEqual({ taskId: 'dGFza2lkZ29lc2hlcmUK', problem: 'invalid-key-encoding' });
    expect(parseBatchEvent(schema1({ s3Key: 7 })).tasks[0]).toMatchObject({ problem: 'invalid-key-encoding' });
    expect(parseBatchEvent(schema1({ s3VersionId: 5 })).tasks[0]).toMatchObject({ problem: 'invalid-version-id' });
    // Schema 1.0 names the bucket by ARN, 2.0 by name: the other spelling alone is no bucket.
    expect(parseBatchEvent(schema1({ s3BucketArn: undefined, s3Bucket: 'amzn-s3-demo-bucket' })).tasks[0]).toMatchObject({ problem: 'invalid-bucket' });
    expect(parseBatchEvent(schema2({ s3Bucket: undefined, s3BucketArn: 'arn:aws:s3:::amzn-s3-demo-bucket' })).tasks[0]).toMatchObject({ problem: 'invalid-bucket' });
    expect(parseBatchEvent({ ...schema1({}), invocationSchemaVersion: '3.0' }).tasks[0]).toMatchObject({ problem: 'unsupported-schema-version' });
  });

  it('drops tasks without an id (treatMissingKeysAs answers for them)', () => {
    const event = { ...schema1({}), tasks: [{ s3Key: 'a' }, null, 'x', { taskId: '' }, ...schema1({}).tasks] };
    expect(parseBatchEvent(event).tasks).toHaveLength(1);
  });

  it('refuses an event that is no invocation with INVALID_ARGUMENT', () => {
    for (const bad of [null, 'x', {}, { ...schema1({}), invocationId: 3 }, { ...schema1({}), tasks: {} }, { ...schema1({}), invocationSchemaVersion: '' }]) {
      expect(() => parseBatchEvent(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as PhisealError);
    }
  });
});

describe('taskBucket', () => {
  it('takes the bucket from every ARN spelling AWS shows', () => {
    expect(taskBucket({ taskId: 't', s3Key: 'k', s3BucketArn: 'arn:aws:s3:::amzn-s3-demo-bucket' }, '1.0')).toBe('amzn-s3-demo-bucket');
    expect(taskBucket({ taskId: 't', s3Key: 'k', s3BucketArn: 'arn:aws:s3:us-east-1:012345678812:amzn-s3-demo-bucket1' }, '1.0')).toBe('amzn-s3-demo-bucket1');
    expect(taskBucket({ taskId: 't', s3Key: 'k', s3BucketArn: 'arn:aws-cn:s3:::lab.results' }, '1.0')).toBe('lab.results');
    expect(taskBucket({ taskId: 't', s3Key: 'k', s3BucketArn: 'arn:aws:s3:us-east-1:111122223333:accesspoint/lab' }, '1.0')).toBe(
      'arn:aws:s3:us-east-1:111122223333:accesspoint/lab',
    );
    expect(taskBucket({ taskId: 't', s3Key: 'k', s3Bucket: 'scans--usw2-az1--x-s3' }, '2.0')).toBe('scans--usw2-az1--x-s3');
  });

  it('names no bucket for anything else', () => {
    for (const arn of ['amzn-s3-demo-bucket', 'arn:aws:s3:::', 'arn:aws:s3:::Bad_Name', 'arn:aws:sqs:::q', 'arn:aws:s3:::a/b', 'arn:aws:s3:::a..b'.replace('..', '/')]) {
      expect(taskBucket({ taskId: 't', s3Key: 'k', s3BucketArn: arn }, '1.0'), arn).toBeUndefined();
    }
    expect(taskBucket({ taskId: 't', s3Key: 'k', s3Bucket: 'a..b' }, '2.0')).toBeUndefined();
    expect(taskBucket({ taskId: 't', s3Key: 'k', s3Bucket: 'one', s3BucketArn: 'arn:aws:s3:::two' }, '2.0')).toBeUndefined();
  });
});
