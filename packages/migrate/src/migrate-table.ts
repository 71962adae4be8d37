import type { TableConfig } from '@phiseal/dynamodb';
import { checkpointStore, type CheckpointLocation } from './internal/checkpoint-store.js';
import { rawDynamoClient, type DynamoClientLike } from './internal/dynamo-client.js';
import { kmsBudget } from './internal/kms-budget.js';
import { runTable } from './internal/table-run.js';
import { migrateScanSegment, type SegmentPage } from './migrate-scan-segment.js';
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
  /**
   * Stop (resumably, `stopped: 'kms-budget'`) once this run has made this many KMS calls
   * (`table.envelope`'s plus `kmsCallsElsewhere()`). Checked after each page: the pages in
   * flight finish, so a run may go over by what they need (see the package README).
   */
  readonly maxKmsCalls?: number;
  /**
   * KMS calls made for this run outside `table.envelope`, by executors with envelopes of their
   * own (the CLI's worker processes): counted against `maxKmsCalls` and into `report.kmsCalls`.
   */
  readonly kmsCallsElsewhere?: () => number;
  /** Stop (resumably) after the records in flight: pages being migrated finish, then the checkpoint is written. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: MigrationProgress) => void;
  /** Run segments elsewhere (worker processes); default in this process. */
  readonly executeSegment?: SegmentExecutor;
  readonly verifyEncrypted?: boolean;
  readonly maxConflictRetries?: number;
};

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
  const budget = kmsBudget(table.envelope, options.maxKmsCalls, options.kmsCallsElsewhere);
  return runTable({
    ...options,
    client,
    tableName: table.tableName,
    store: options.checkpoint === undefined ? undefined : checkpointStore(options.checkpoint, table.envelope, 'dynamodb', table.tableName, client),
    budgetExceeded: () => budget.exceeded(),
    kmsCallsUsed: () => budget.used(),
    runSegment: async (task, limiter) => {
      await migrateScanSegment({
        ...options, client, limiter, segment: task.segment, totalSegments: task.totalSegments, signal: task.signal, onPage: task.onPage,
        ...(task.startKey === undefined ? {} : { startKey: task.startKey }),
      });
    },
  });
}
