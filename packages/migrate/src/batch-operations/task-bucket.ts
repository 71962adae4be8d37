// Which bucket a Batch Operations task names. Schema 1.0 gives an ARN: the Lambda guide
// shows `arn:aws:s3:::name`, the S3 guide's example `arn:aws:s3:us-east-1:0123456788:name`,
// and AWS's sample code takes the text after the last colon; other partitions (aws-cn,
// aws-us-gov) spell the same. Schema 2.0 gives the bucket name (S3 API reference,
// LambdaInvokeOperation: "uses bucket name rather than bucket ARN").
import type { S3BatchTask } from './batch-event.js';

// arn:<partition>:s3:<region, may be empty>:<account, may be empty>:<bucket>
const BUCKET_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):s3:([a-z0-9-]*):(\d{12})?:([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;
// An access point ARN is passed on whole: the bucket configuration may be keyed by it.
const ACCESS_POINT_ARN = /^arn:[a-z-]+:s3:[a-z0-9-]+:\d{12}:accesspoint[/:][a-z0-9-]{3,50}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function fromArn(arn: string): string | undefined {
  const bucket = BUCKET_ARN.exec(arn);
  if (bucket) return bucket[4];
  return ACCESS_POINT_ARN.test(arn) ? arn : undefined;
}

/**
 * The bucket a task names (a bucket name, or an access point ARN), or `undefined` when the
 * task does not name one the way its schema version does.
 * @throws never
 * @example
 * ```ts
 * taskBucket({ taskId: 't', s3Key: 'k', s3BucketArn: 'arn:aws:s3:::lab-results' }, '1.0'); // 'lab-results'
 * taskBucket({ taskId: 't', s3Key: 'k', s3Bucket: 'lab-results' }, '2.0');                  // 'lab-results'
 * ```
 */
export function taskBucket(task: S3BatchTask, schemaVersion: '1.0' | '2.0'): string | undefined {
  const arn = typeof task.s3BucketArn === 'string' ? fromArn(task.s3BucketArn) : undefined;
  if (schemaVersion === '1.0') return arn;
  const name = typeof task.s3Bucket === 'string' && BUCKET_NAME.test(task.s3Bucket) && !task.s3Bucket.includes('..') ? task.s3Bucket : undefined;
  // Two spellings that disagree name no bucket for sure: refuse rather than pick one.
  if (name !== undefined && task.s3BucketArn !== undefined && arn !== name) return undefined;
  return name;
}
