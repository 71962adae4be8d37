import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import type { TableConfig } from '@phiseal/dynamodb';
import { checkpointStore, type CheckpointLocation, type CheckpointStore } from './internal/checkpoint-store.js';
import { rawDynamoClient, type DynamoClientLike } from './internal/dynamo-client.js';
import { kmsBudget } from './internal/kms-budget.js';
import { forEachLimited } from './internal/pool.js';
import { progressReporter } from './internal/progress.js';
import { createRateLimiter } from './internal/rate-limiter.js';
import { migrateScanSegment, type SegmentPage } from './migrate-scan-segment.js';
import { emptyReport, mergeReport } from './report.js';
import type { MigrationProgress, MigrationReport, RecordIdOptions } from './types.js';

/**
 * Runs one segment somewhere (the default runs {@link migrateScanSegment} in this process; the
 * CLI runs it in a worker process). It must call `onPage` after each page, in order, and stop
 * before the next page once `signal` fires.
 * @example
 * ```ts
 * const inProcess: SegmentExecutor = async (task) => void (await migrateScanSegment({ client, table, ...task }));
 * ```
 */
export type SegmentExecutor = (task: {
  readonly segment: number;
  readonly totalSegments: number;
  readonly startKey?: Record<string, unknown>;
  readonly signal: AbortSignal;
  readonly onPage: (page: SegmentPage) => Promise<void>;
  /** Says the segment's runner was lost (a worker process died): the run stops, resumably, with `stopped: 'worker-lost'`. */
  readonly lost: () => void;
}) => Promise<void>;

/**
 * Options of {@link migrateTable}.
 * @example
 * ```ts
 * const options: MigrateTableOptions = { client, table: patients, segments: 8, checkpoint: './patients.ckpt' };
 * ```
 */
export type MigrateTableOptions = RecordIdOptions & {
  /** A plain DynamoDBClient (or DocumentClient); not one wrapped by `withEncryption`. */
  readonly client: DynamoClientLike;
  /** The table's configuration, as the application uses it. */
  readonly table: TableConfig;
  /** Parallel Scan segments (default 4). A resumed run keeps its checkpoint's number. */
  readonly segments?: number;
  /** Items migrated at a time within each segment's page (default 16). */
  readonly concurrency?: number;
  /** Items per Scan page (default 100): the checkpoint advances a page at a time. */
  readonly pageSize?: number;
  /** A file path (written atomically, mode 0600) or `{ tableName }` (a table with string key `id`). Resumed from when present. */
  readonly checkpoint?: CheckpointLocation;
  readonly dryRun?: boolean;
  /** Records per second for the whole run (all segments). */
  readonly maxRecordsPerSecond?: number;
  /** Stop (resumably) once the envelope has made this many KMS calls in this run. */
  readonly maxKmsCalls?: number;
  /** Stop (resumably) after the records in flight: pages being migrated finish, then the checkpoint is written. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: MigrationProgress) => void;
  /** Run segments elsewhere (worker processes); default in this process. */
  readonly executeSegment?: SegmentExecutor;
  readonly verifyEncrypted?: boolean;
  readonly maxConflictRetries?: number;
};

type SegmentState = { done: boolean; startKey?: Record<string, unknown> };
type TableState = { totalSegments: number; segments: SegmentState[] };

function checkSegments(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new PhisealError('INVALID_ARGUMENT', 'segments must be an integer from 1 to 1000000.');
  return n;
}

async function approximateCount(options: MigrateTableOptions): Promise<number | undefined> {
  try {
    const out = await rawDynamoClient(options.client).send(new DescribeTableCommand({ TableName: options.table.tableName }));
    return out.Table?.ItemCount;
  } catch {
    return undefined;
  }
}

async function loadState(store: CheckpointStore | undefined, segments: number): Promise<{ state: TableState; resumed: boolean }> {
  const saved = (await store?.load()) as TableState | undefined;
  if (saved !== undefined && Number.isInteger(saved.totalSegments) && Array.isArray(saved.segments) && saved.segments.length === saved.totalSegments) {
    return { state: saved, resumed: true };
  }
  return { state: { totalSegments: segments, segments: Array.from({ length: segments }, () => ({ done: false })) }, resumed: false };
}

/**
 * Encrypts every plaintext item of a table in place, in parallel Scan segments: each item is
 * encrypted under `table` (the DB-ESDK format, as `encryptItem`) and written back only if it
 * is unchanged since it was read, so a write the application makes meanwhile is never lost
 * (see the package README for how; the migration adds no attribute of its own). Items already
 * encrypted are verified and skipped, tampered ones reported `failed`, items whose key or
 * attribute names the guard refuses reported `refused`; all of them are left untouched.
 * Resumes from `checkpoint`; the report counts this run's work only and names the
 * checkpoint it resumed from.
 *
 * @throws {@link PhisealError} `INVALID_ARGUMENT` (bad options, a checkpoint of another table),
 * `INVALID_CONFIGURATION`; a failed Scan reaches you as the SDK's error after the checkpoint
 * is saved.
 * @example
 * ```ts
 * const report = await migrateTable({ client: new DynamoDBClient({}), table: patients, segments: 8, checkpoint: './patients.ckpt' });
 * console.log(report.migrated, report.failed, report.errors);
 * ```
 */
export async function migrateTable(options: MigrateTableOptions): Promise<MigrationReport> {
  const { table } = options;
  const client = rawDynamoClient(options.client);
  const store = options.checkpoint === undefined ? undefined : checkpointStore(options.checkpoint, table.envelope, 'dynamodb', table.tableName, client);
  const { state, resumed } = await loadState(store, checkSegments(options.segments ?? 4));
  const report = emptyReport();
  if (resumed && store) report.resumedFrom = store.where;
  if (options.dryRun === true) report.dryRun = true;
  const stop = new AbortController();
  const budget = kmsBudget(table.envelope, options.maxKmsCalls);
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted === true) stop.abort();
  let total: number | undefined;
  const progress = progressReporter(options.onProgress, () => total);
  void approximateCount(options).then((n) => (total = n));
  const limiter = createRateLimiter(options.maxRecordsPerSecond);
  const execute: SegmentExecutor =
    options.executeSegment ??
    (async (task) => {
      await migrateScanSegment({
        ...options, client, limiter, segment: task.segment, totalSegments: task.totalSegments, signal: task.signal, onPage: task.onPage,
        ...(task.startKey === undefined ? {} : { startKey: task.startKey }),
      });
    });
  const pending = state.segments.flatMap((s, i) => (s.done ? [] : [i]));
  let failure: Error | undefined;
  try {
    await forEachLimited(pending, pending.length, async (segment) => {
      const startKey = state.segments[segment]?.startKey;
      await execute({
        segment, totalSegments: state.totalSegments, signal: stop.signal, ...(startKey === undefined ? {} : { startKey }),
        lost: () => {
          report.stopped ??= 'worker-lost';
          stop.abort();
        },
        onPage: async (page) => {
          mergeReport(report, page.report);
          state.segments[segment] = page.done || page.lastEvaluatedKey === undefined ? { done: true } : { done: false, startKey: page.lastEvaluatedKey };
          if (budget.exceeded()) {
            report.stopped = 'kms-budget';
            stop.abort();
          }
          progress(report);
          await store?.save(state);
        },
      }).catch((error: unknown) => {
        // One segment's failed Scan stops the others after their pages: the checkpoint keeps all of them.
        failure ??= error instanceof Error ? error : new PhisealError('AWS_REQUEST_FAILED', 'A segment failed.', { cause: error, retryable: true });
        stop.abort();
      });
    });
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  await store?.save(state);
  report.complete = state.segments.every((s) => s.done);
  if (!report.complete && report.stopped === undefined && options.signal?.aborted === true) report.stopped = 'interrupted';
  progress(report, true);
  if (failure !== undefined) throw failure;
  return report;
}
