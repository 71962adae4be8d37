// Reads an S3 Batch Operations invocation without trusting it: every field is checked for
// its documented type, each task is turned into a target (bucket, decoded key, version) or
// into the fixed reason it cannot be acted on.
import { PhisealError } from '@phiseal/core';
import { decodeManifestKey } from '../fan-out/decode-manifest-key.js';
import type { S3BatchTask } from './batch-event.js';
import { taskBucket } from './task-bucket.js';

/** The object a task names. `bucket` is a bucket name or an access point ARN. */
export type TaskTarget = { readonly bucket: string; readonly key: string; readonly versionId?: string };

/** One task: its id and either its target or why it has none. */
export type ParsedTask = { readonly taskId: string } & ({ readonly target: TaskTarget } | { readonly problem: string });

/** A checked invocation. `schema` is undefined for a version this handler does not know (every task then fails). */
export type ParsedBatchEvent = {
  readonly invocationSchemaVersion: string;
  readonly invocationId: string;
  readonly schema: '1.0' | '2.0' | undefined;
  readonly tasks: readonly ParsedTask[];
};

function invalid(reason: string): PhisealError {
  return new PhisealError('INVALID_ARGUMENT', 'The event is not an S3 Batch Operations invocation.', { details: { reason } });
}

function field(record: object, name: string): unknown {
  return (record as Record<string, unknown>)[name];
}

function parseTask(raw: unknown, schema: '1.0' | '2.0' | undefined): ParsedTask | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const taskId = field(raw, 'taskId');
  // A task without an id cannot be answered; treatMissingKeysAs makes it a failure.
  if (typeof taskId !== 'string' || taskId.length === 0) return undefined;
  if (schema === undefined) return { taskId, problem: 'unsupported-schema-version' };
  const task = raw as S3BatchTask;
  const bucket = taskBucket(task, schema);
  if (bucket === undefined) return { taskId, problem: 'invalid-bucket' };
  const key = typeof task.s3Key === 'string' ? decodeManifestKey(task.s3Key) : undefined;
  if (key === undefined) return { taskId, problem: 'invalid-key-encoding' };
  const version = task.s3VersionId;
  if (version !== undefined && version !== null && (typeof version !== 'string' || version.length === 0)) {
    return { taskId, problem: 'invalid-version-id' };
  }
  return { taskId, target: typeof version === 'string' ? { bucket, key, versionId: version } : { bucket, key } };
}

/**
 * Checks an S3 Batch Operations Lambda event (schema 1.0 or 2.0) and decodes each task's
 * object key as AWS documents it (URL-encoded, `+` for a space).
 * @throws {@link PhisealError} `INVALID_ARGUMENT` when the event has no invocation id, no
 * schema version or no task list: there is then nothing to answer.
 * @example
 * ```ts
 * const parsed = parseBatchEvent(event);
 * for (const task of parsed.tasks) if ('target' in task) console.log(task.taskId);
 * ```
 */
export function parseBatchEvent(event: unknown): ParsedBatchEvent {
  if (typeof event !== 'object' || event === null) throw invalid('not-an-object');
  const version = field(event, 'invocationSchemaVersion');
  const invocationId = field(event, 'invocationId');
  const tasks = field(event, 'tasks');
  if (typeof version !== 'string' || version.length === 0 || version.length > 64) throw invalid('invocationSchemaVersion');
  if (typeof invocationId !== 'string' || invocationId.length === 0) throw invalid('invocationId');
  if (!Array.isArray(tasks)) throw invalid('tasks');
  const schema = version === '1.0' || version === '2.0' ? version : undefined;
  const parsed = (tasks as unknown[]).map((task) => parseTask(task, schema)).filter((task) => task !== undefined);
  return { invocationSchemaVersion: version, invocationId, schema, tasks: parsed };
}
