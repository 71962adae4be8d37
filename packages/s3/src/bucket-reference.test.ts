import { describe, expect, it } from 'vitest';
import { bucketMatcher, parseBucketReference } from './bucket-reference.js';

const AP = 'arn:aws:s3:us-east-1:111122223333:accesspoint/lab';

function code(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('parseBucketReference', () => {
  it('reads every data-plane form S3 accepts', () => {
    expect(parseBucketReference('lab-results')).toMatchObject({ kind: 'bucket', bucket: 'lab-results' });
    expect(parseBucketReference(AP)).toMatchObject({ kind: 'access-point', account: '111122223333', region: 'us-east-1', name: 'lab' });
    expect(parseBucketReference('arn:aws:s3:us-east-1:111122223333:accesspoint:lab').key).toBe(AP);
    expect(parseBucketReference('arn:aws-cn:s3:cn-north-1:111122223333:accesspoint/lab')).toMatchObject({ kind: 'access-point', partition: 'aws-cn' });
    expect(parseBucketReference('arn:aws:s3::111122223333:accesspoint/mfzwi23gnjvgw.mrap')).toMatchObject({ kind: 'multi-region-access-point' });
    expect(parseBucketReference('arn:aws:s3-outposts:us-west-2:111122223333:outpost/op-01ac5d28a6a232904/accesspoint/lab')).toMatchObject({
      kind: 'outposts-access-point',
    });
    expect(parseBucketReference('arn:aws:s3-object-lambda:us-east-1:111122223333:accesspoint/redact')).toMatchObject({ kind: 'object-lambda-access-point' });
    expect(parseBucketReference('lab-ab12cd34ef56gh78ij90kl12mn34op-s3alias')).toMatchObject({ kind: 'access-point-alias' });
    expect(parseBucketReference('lab--ol-s3')).toMatchObject({ kind: 'access-point-alias' });
  });

  it('refuses what is neither a bucket name nor an S3 ARN', () => {
    for (const bad of ['', ' lab-results', 'lab/../x', 'a..b', 'ARN:aws:s3:us-east-1:111122223333:accesspoint/lab', 'arn:aws:s3:::lab-results', 'arn:aws:sqs:us-east-1:111122223333:q']) {
      expect(code(() => parseBucketReference(bad))).toBe('UNSUPPORTED_OPERATION');
    }
  });
});

describe('bucketMatcher', () => {
  const buckets = bucketMatcher(['lab-results', AP]);

  it('finds a configured bucket by name and a configured access point in either ARN spelling', () => {
    expect(buckets.find('lab-results')).toBe('lab-results');
    expect(buckets.find(AP)).toBe(AP);
    expect(buckets.find('arn:aws:s3:us-east-1:111122223333:accesspoint:lab')).toBe(AP);
  });

  it('an unconfigured bucket name is not configured', () => {
    expect(buckets.find('other-bucket')).toBeUndefined();
  });

  it('fails closed: an access point, alias or odd spelling that is not itself configured is refused (it may front lab-results)', () => {
    for (const reference of [
      'arn:aws:s3:us-east-1:111122223333:accesspoint/other',
      'arn:aws:s3:eu-west-1:111122223333:accesspoint/lab',
      'arn:aws:s3:us-east-1:444455556666:accesspoint/lab',
      'arn:aws:s3::111122223333:accesspoint/mfzwi23gnjvgw.mrap',
      'arn:aws:s3-outposts:us-west-2:111122223333:outpost/op-01ac5d28a6a232904/accesspoint/lab',
      'arn:aws:s3-object-lambda:us-east-1:111122223333:accesspoint/lab',
      'lab-ab12cd34ef56gh78ij90kl12mn34op-s3alias',
      'lab-results/',
      'arn:aws:s3:::lab-results',
    ]) {
      expect(code(() => buckets.find(reference)), reference).toBe('UNSUPPORTED_OPERATION');
    }
  });

  it('refuses a configuration key that names no bucket', () => {
    expect(code(() => bucketMatcher(['lab results']))).toBe('INVALID_CONFIGURATION');
  });
});
