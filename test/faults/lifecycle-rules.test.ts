// The lifecycle rules docs/operations.md tells operators to paste are valid as written: each
// JSON block of its "Lifecycle rules to paste" section is applied to a bucket and read back.
import { GetBucketLifecycleConfigurationCommand, PutBucketLifecycleConfigurationCommand, type LifecycleRule } from '@aws-sdk/client-s3';
import { createBucket, s3Client } from '@phiseal/test-support';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

function pastedRules(): Array<{ Rules: LifecycleRule[] }> {
  const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
  const section = doc.split('## Lifecycle rules to paste')[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as { Rules: LifecycleRule[] });
}

it('both pasted rules are accepted by S3 and abort incomplete multipart uploads', async () => {
  const configurations = pastedRules();
  expect(configurations).toHaveLength(2);
  for (const configuration of configurations) {
    const bucket = await createBucket();
    await s3Client().send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: configuration }));
    const stored = await s3Client().send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(stored.Rules?.[0]?.AbortIncompleteMultipartUpload?.DaysAfterInitiation).toBe(1);
    expect(stored.Rules?.[0]?.Status).toBe('Enabled');
  }
});
