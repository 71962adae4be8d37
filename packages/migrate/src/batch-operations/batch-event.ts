// The S3 Batch Operations "Invoke AWS Lambda function" payloads, as the S3 User Guide
// documents them (batch-ops-invoke-lambda: "Example request and response"; directory
// buckets and UserArguments: invocation schema 2.0).

/**
 * One object of a Batch Operations job.
 *
 * @example
 * ```ts
 * import type { S3BatchTask } from '@phiseal/migrate';
 * const task: S3BatchTask = { taskId: 'dGFz', s3Key: 'scans/2024/a+b.dcm', s3VersionId: null, s3BucketArn: 'arn:aws:s3:::lab-results' };
 * ```
 */
export type S3BatchTask = {
  /** Opaque id the answer must echo. */
  readonly taskId: string;
  /** The object key, URL-encoded (`+` for a space, `%XX` for other bytes of its UTF-8). */
  readonly s3Key: string;
  /** The version to act on in a versioned bucket; `null` or absent otherwise. */
  readonly s3VersionId?: string | null;
  /** Schema 1.0: the bucket as an ARN (`arn:aws:s3:::name`). */
  readonly s3BucketArn?: string;
  /** Schema 2.0: the bucket name (general purpose or directory bucket). */
  readonly s3Bucket?: string;
};

/**
 * What S3 Batch Operations sends a Lambda function: schema `1.0` (tasks name the bucket by
 * `s3BucketArn`) or `2.0` (tasks name it by `s3Bucket`; the job may carry `userArguments`).
 * @example
 * ```ts
 * const event: S3BatchEvent = {
 *   invocationSchemaVersion: '1.0', invocationId: 'YXNk', job: { id: 'f3cc4f60' },
 *   tasks: [{ taskId: 'dGFz', s3Key: 'scans/2024/a+b.dcm', s3VersionId: null, s3BucketArn: 'arn:aws:s3:::lab-results' }],
 * };
 * ```
 */
export type S3BatchEvent = {
  readonly invocationSchemaVersion: string;
  readonly invocationId: string;
  readonly job: { readonly id: string; readonly userArguments?: Readonly<Record<string, string>> };
  readonly tasks: readonly S3BatchTask[];
};

/**
 * How one task ended, in the three codes Batch Operations knows.
 *
 * @example
 * ```ts
 * import type { S3BatchResult, S3BatchResultCode } from '@phiseal/migrate';
 * const retryLater: S3BatchResultCode = 'TemporaryFailure';
 * const retried = (answer: S3BatchResult): number => answer.results.filter((result) => result.resultCode === retryLater).length;
 * ```
 */
export type S3BatchResultCode = 'Succeeded' | 'TemporaryFailure' | 'PermanentFailure';

/**
 * The answer for one task. `resultString` is a short reason that never holds the key or any value.
 *
 * @example
 * ```ts
 * import type { S3BatchTaskResult } from '@phiseal/migrate';
 * const result: S3BatchTaskResult = { taskId: 'dGFz', resultCode: 'Succeeded', resultString: 'migrated' };
 * ```
 */
export type S3BatchTaskResult = { taskId: string; resultCode: S3BatchResultCode; resultString: string };

/**
 * The answer to one invocation. It echoes the event's schema version and invocation id;
 * `treatMissingKeysAs: 'PermanentFailure'` makes any task left unanswered a failure rather
 * than a silent success.
 * @example
 * ```ts
 * const answer: S3BatchResult = {
 *   invocationSchemaVersion: '1.0', treatMissingKeysAs: 'PermanentFailure', invocationId: 'YXNk',
 *   results: [{ taskId: 'dGFz', resultCode: 'Succeeded', resultString: 'migrated' }],
 * };
 * ```
 */
export type S3BatchResult = {
  invocationSchemaVersion: string;
  treatMissingKeysAs: 'PermanentFailure';
  invocationId: string;
  results: S3BatchTaskResult[];
};
