import type { TableConfig } from '@phiseal/dynamodb';
import { checkpointStore } from './internal/checkpoint-store.js';
import { rawDynamoClient } from './internal/dynamo-client.js';
import { kmsBudget } from './internal/kms-budget.js';
import { runTable, segmentTask } from './internal/table-run.js';
import { migrateScanSegment, type SegmentPage } from './migrate-scan-segment.js';
import type { TableRunOptions } from './table-run-options.js';
import type { MigrationReport } from './types.js';

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
 * Options of {@link migrateTable}: the run's (see {@link TableRunOptions}) and the table.
 * @example
 * ```ts
 * const options: MigrateTableOptions = { client, table: patients, segments: 8, checkpoint: './patients.ckpt' };
 * ```
 */
export type MigrateTableOptions = TableRunOptions & {
  /** The table's configuration, as the application uses it. */
  readonly table: TableConfig;
  /** Default true: items already in the format are decrypted so that tampering is reported. */
  readonly verifyEncrypted?: boolean;
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
    runSegment: async (task, limiter) => void (await migrateScanSegment({ ...options, client, ...segmentTask(task, limiter) })),
  });
}
