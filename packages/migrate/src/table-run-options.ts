import type { CheckpointLocation } from './internal/checkpoint-store.js';
import type { DynamoClientLike } from './internal/dynamo-client.js';
import type { RateLimiter } from './internal/rate-limiter.js';
import type { SegmentExecutor } from './migrate-table.js';
import type { SegmentPage } from './migrate-scan-segment.js';
import type { MigrationProgress, RecordIdOptions } from './types.js';

/**
 * What every whole-table run takes (`migrateTable`, `rewrapTable`): where, how parallel, how
 * fast, within which KMS budget, and where it resumes from. Each adds its table and keys.
 * @example
 * ```ts
 * const run: TableRunOptions = { client: new DynamoDBClient({}), segments: 8, checkpoint: './patients.ckpt', maxRecordsPerSecond: 500 };
 * ```
 */
export type TableRunOptions = RecordIdOptions & {
  /** A plain DynamoDBClient (or DocumentClient); not one wrapped by `withEncryption`. */
  readonly client: DynamoClientLike;
  /** Parallel Scan segments (default 4). A resumed run keeps its checkpoint's number. */
  readonly segments?: number;
  /** Items worked on at a time within each segment's page (default 16). */
  readonly concurrency?: number;
  /** Items per Scan page (default 100): the checkpoint advances a page at a time. */
  readonly pageSize?: number;
  /** A file path (written atomically, mode 0600) or `{ tableName }` (a table with string key `id`). Resumed from when present. */
  readonly checkpoint?: CheckpointLocation;
  /** Decide and encrypt in memory, write nothing (`migrated` counts what would be written). */
  readonly dryRun?: boolean;
  /** Records per second for the whole run (all segments). */
  readonly maxRecordsPerSecond?: number;
  /**
   * Stop (resumably, `stopped: 'kms-budget'`) once this run has made this many KMS (key
   * provider) calls, its own plus `kmsCallsElsewhere()`. Checked after each page: the pages in
   * flight finish, so a run may go over by what they need (see the package README).
   */
  readonly maxKmsCalls?: number;
  /**
   * KMS calls made for this run by executors with key providers of their own (the CLI's worker
   * processes): counted against `maxKmsCalls` and into `report.kmsCalls`.
   */
  readonly kmsCallsElsewhere?: () => number;
  /** Stop (resumably) after the records in flight: pages being worked on finish, then the checkpoint is written. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: MigrationProgress) => void;
  /** Run segments elsewhere (worker processes running the segment unit of work); default in this process. */
  readonly executeSegment?: SegmentExecutor;
  /** Conflicts tolerated per item before it is reported failed (`CONFLICT`, retryable); default 10. */
  readonly maxConflictRetries?: number;
};

/**
 * What every Scan-segment unit of work takes (`migrateScanSegment`, `rewrapScanSegment`): which
 * segment, from where, how much of it, and how to report each page. Each adds its table and keys.
 * @example
 * ```ts
 * const unit: SegmentRunOptions = { client: new DynamoDBClient({}), segment: 3, totalSegments: 8, maxPages: 50 };
 * ```
 */
export type SegmentRunOptions = RecordIdOptions & {
  /** A plain DynamoDBClient (or DocumentClient); not one wrapped by `withEncryption`. */
  readonly client: DynamoClientLike;
  readonly segment: number;
  readonly totalSegments: number;
  /** Where to continue (a page's `lastEvaluatedKey` from an earlier call or a checkpoint). */
  readonly startKey?: Record<string, unknown>;
  /** Items per Scan page (default 100). A checkpoint advances one page at a time. */
  readonly pageSize?: number;
  /** Stop after this many pages (a Lambda invocation's share); default: to the segment's end. */
  readonly maxPages?: number;
  /** Items of one page worked on at a time (default 16). */
  readonly concurrency?: number;
  /** Decide and encrypt in memory, write nothing. */
  readonly dryRun?: boolean;
  /** Conflicts tolerated per item before it is reported failed (`CONFLICT`, retryable); default 10. */
  readonly maxConflictRetries?: number;
  /** Pace records (shared between segments of one process); see `createRateLimiter`. */
  readonly limiter?: RateLimiter;
  /** Stops before the next page (the current page finishes). */
  readonly signal?: AbortSignal;
  /**
   * Stops before the next record: the records in flight finish, the page is reported cut short
   * (`done: false`, `lastEvaluatedKey` = where that page began, so its records run again and the
   * finished ones are then skipped). The CLI's workers stop so on the run's KMS budget.
   */
  readonly stop?: AbortSignal;
  /** Called after each page with that page's counts and the key to continue from. */
  readonly onPage?: (page: SegmentPage) => void | Promise<void>;
};
