import type { S3Client } from '@aws-sdk/client-s3';
import type { BucketEncryption } from '@phiseal/s3';
import { mapLimit } from '../fan-out/map-limit.js';
import { objectRunner, type ObjectMigrator } from '../fan-out/object-unit.js';
import type { UnitOutcome } from '../fan-out/unit-outcome.js';
import type { S3BatchResult, S3BatchTaskResult } from './batch-event.js';
import { parseBatchEvent, type ParsedTask } from './parse-batch-event.js';

/** Options of {@link createBatchOperationsHandler}. */
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

/**
 * The Batch Operations handler over an injected per-object migrator (the public
 * {@link createBatchOperationsHandler} passes the migration's own).
 * @internal
 */
export function batchOperationsHandler(
  options: BatchOperationsHandlerOptions,
  migrate: ObjectMigrator,
): (event: unknown) => Promise<S3BatchResult> {
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
