import type { S3Client } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/core';
import type { BucketEncryption } from '@phiseal/s3';
import { objectMigrator } from '../migrate-object.js';
import { mapLimit } from '../fan-out/map-limit.js';
import { objectRunner, type ObjectMigrator } from '../fan-out/object-unit.js';
import type { UnitOutcome } from '../fan-out/unit-outcome.js';
import type { S3BatchResult, S3BatchTaskResult } from './batch-event.js';
import { parseBatchEvent, type ParsedTask } from './parse-batch-event.js';

/**
 * Options of {@link createBatchOperationsHandler}.
 *
 * @example
 * ```ts
 * import { S3Client } from '@aws-sdk/client-s3';
 * import { createBatchOperationsHandler, type BatchOperationsHandlerOptions } from '@phiseal/migrate';
 * const options: BatchOperationsHandlerOptions = {
 *   client: new S3Client({}),
 *   buckets: { 'lab-results': { envelope } },
 *   concurrency: 4,
 * };
 * export const handler = createBatchOperationsHandler(options);
 * ```
 */
export type BatchOperationsHandlerOptions = {
  /** The S3 client the objects are read and written with. */
  readonly client: S3Client;
  /** The encrypted buckets, as `withEncryption(s3Client, { buckets })` takes them (name or access point ARN). */
  readonly buckets: Readonly<Record<string, BucketEncryption>>;
  /** Tasks migrated at once within one invocation; default 4 (Batch Operations usually sends one). */
  readonly concurrency?: number;
};

function answer(taskId: string, outcome: UnitOutcome): S3BatchTaskResult {
  const resultCode = outcome.kind === 'succeeded' ? 'Succeeded' : outcome.kind === 'retry' ? 'TemporaryFailure' : 'PermanentFailure';
  return { taskId, resultCode, resultString: outcome.reason };
}

function checkOptions(options: BatchOperationsHandlerOptions): void {
  if (typeof options !== 'object' || options === null || typeof options.client?.send !== 'function') {
    throw new PhisealError('INVALID_CONFIGURATION', 'createBatchOperationsHandler needs { client: S3Client, buckets }.');
  }
  if (typeof options.buckets !== 'object' || options.buckets === null) throw new PhisealError('INVALID_CONFIGURATION', 'createBatchOperationsHandler needs { buckets }.');
  const { concurrency } = options;
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)) {
    throw new PhisealError('INVALID_CONFIGURATION', 'concurrency must be an integer from 1 to 256.');
  }
}

/**
 * The Batch Operations handler over an injected per-object migrator (the public
 * {@link createBatchOperationsHandler} passes the migration's own).
 * @internal
 */
export function batchOperationsHandler(
  options: BatchOperationsHandlerOptions,
  migrate: ObjectMigrator,
): (event: unknown) => Promise<S3BatchResult> {
  checkOptions(options);
  const run = objectRunner(options.client, options.buckets, migrate);
  const concurrency = options.concurrency ?? 4;
  const perTask = async (task: ParsedTask): Promise<S3BatchTaskResult> =>
    'problem' in task ? answer(task.taskId, { kind: 'failed', reason: task.problem }) : answer(task.taskId, await run(task.target));
  return async (event) => {
    const parsed = parseBatchEvent(event);
    const results = await mapLimit(parsed.tasks, concurrency, perTask);
    return {
      invocationSchemaVersion: parsed.invocationSchemaVersion,
      treatMissingKeysAs: 'PermanentFailure',
      invocationId: parsed.invocationId,
      results,
    };
  };
}

/**
 * An AWS Lambda handler for S3 Batch Operations' *Invoke AWS Lambda function* operation
 * that encrypts each task's object in place (see `migrateObject`: read, encrypt under the
 * bucket's configuration, write back only if unchanged since the read; an encrypted object
 * is skipped). Takes invocation schema 1.0 (`s3BucketArn`) and 2.0 (`s3Bucket`,
 * `userArguments`), decodes keys as AWS documents (URL-encoded, `+` for a space), and
 * answers with the event's schema version, `treatMissingKeysAs: 'PermanentFailure'` and per
 * task `Succeeded` (`migrated`, `already-encrypted`), `TemporaryFailure` (throttling, 5xx,
 * a lost connection, a concurrent write: Batch Operations redrives it) or
 * `PermanentFailure` with a reason that never holds the key (`no-such-key`, `phi-detected`
 * — the guard refused the key and the object was not touched —, `bucket-not-configured`,
 * `invalid-key-encoding`, `access-denied`, `decryption-failed`, `aws-<Code>`, ...).
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` (no client, bad `buckets` keys, bad
 * concurrency). The handler throws `INVALID_ARGUMENT` for an event that is no invocation
 * (no invocation id, schema version or task list); every task-level failure is an answer.
 * @example
 * ```ts
 * export const handler = createBatchOperationsHandler({
 *   client: new S3Client({}),
 *   buckets: { 'lab-results': { envelope, context: { dataset: 'labs' } } },
 * });
 * ```
 */
export function createBatchOperationsHandler(options: BatchOperationsHandlerOptions): (event: unknown) => Promise<S3BatchResult> {
  return batchOperationsHandler(options, objectMigrator());
}
