// Issue 11: the payload-bucket allow-list is matched in every form S3 accepts for a bucket.
// A pointer is unauthenticated; one that names an access point (ARN or alias) in front of
// who-knows-which bucket is refused before any S3 request, even when the listed bucket
// may be behind it.
import { s3Client } from '@phiseal/test-support';
import { decryptRecord, deletePayload } from '@phiseal/sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, rejection, type Fixture } from './setup.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

function pointer(bucket: string): { MessageId: string; Body: string; MessageAttributes: Record<string, { DataType: string; StringValue: string }> } {
  return {
    MessageId: 'm-1',
    Body: JSON.stringify(['software.amazon.payloadoffloading.PayloadS3Pointer', { s3BucketName: bucket, s3Key: 'k' }]),
    MessageAttributes: { ExtendedPayloadSize: { DataType: 'Number', StringValue: '10' } },
  };
}

const FORMS = [
  'arn:aws:s3:us-east-1:123456789012:accesspoint/payloads',
  'arn:aws:s3:us-east-1:123456789012:accesspoint:payloads',
  'arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap',
  'arn:aws:s3-outposts:us-east-1:123456789012:outpost/op-01ac5d28a6a232904/accesspoint/payloads',
  'payloads-ab12cd34ef56gh78ij90kl12mn34op-s3alias',
  'arn:aws:s3:::payloads',
];

describe('payloadBuckets by every name S3 accepts', () => {
  it.each(FORMS)('a pointer naming %s is refused (not listed, may front a listed bucket)', async (form) => {
    const error = await rejection(decryptRecord(pointer(form), { envelope: f.envelope, s3: s3Client(), payloadBuckets: [f.bucket] }));
    expect(error.code).toBe('UNSUPPORTED_OPERATION');
    expect(error.details?.['rule']).toBe('payloadBucket');
  });

  it('a listed access point matches in its other ARN spelling; the bucket name does not stand in for it', async () => {
    const listed = ['arn:aws:s3:us-east-1:123456789012:accesspoint/payloads'];
    const colon = await rejection(decryptRecord(pointer('arn:aws:s3:us-east-1:123456789012:accesspoint:payloads'), { envelope: f.envelope, s3: s3Client(), payloadBuckets: listed }));
    // Accepted by the allow-list: what fails now is the S3 request to the access point, not the rule.
    expect(colon.details?.['rule']).toBeUndefined();
    const byName = await rejection(decryptRecord(pointer(f.bucket), { envelope: f.envelope, s3: s3Client(), payloadBuckets: listed }));
    expect(byName.details?.['rule']).toBe('payloadBucket');
  });

  it('deletePayload and queue.delete refuse an access point form too', async () => {
    const config = { envelope: f.envelope, s3: s3Client(), payloadBuckets: [f.bucket] };
    expect((await rejection(deletePayload({ bucket: FORMS[0]!, key: 'k' }, config))).code).toBe('INVALID_ARGUMENT');
    const queue = await f.queue();
    const handle = `-..s3BucketName..-${FORMS[4]!}-..s3BucketName..--..s3Key..-k-..s3Key..-handle`;
    expect((await rejection(queue.delete(handle))).code).toBe('INVALID_ARGUMENT');
  });

  it('refuses a payload bucket configuration that names no bucket', async () => {
    expect((await rejection(decryptRecord(pointer(f.bucket), { envelope: f.envelope, s3: s3Client(), payloadBuckets: ['no such/bucket'] }))).code).toBe('INVALID_CONFIGURATION');
  });
});
