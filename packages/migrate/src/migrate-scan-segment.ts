import type { TableConfig } from '@phiseal/dynamodb';
import { rawDynamoClient, type DynamoClientLike } from './internal/dynamo-client.js';
import { keyOf, migrateStoredItem, type ItemRun } from './internal/item-migration.js';
import { createRateLimiter, type RateLimiter } from './internal/rate-limiter.js';
import { checkSegment, scanPages } from './internal/scan-pages.js';
import type { MigrationReport, RecordIdOptions } from './types.js';

/**
 * Options of {@link migrateScanSegment}.
 * @example
 * ```ts
 * const options: ScanSegmentOptions = { client, table: patients, segment: 0, totalSegments: 8 };
 * ```
 */
export type ScanSegmentOptions = RecordIdOptions & {
  /** A plain DynamoDBClient (or DocumentClient); not one wrapped by `withEncryption`. */
  readonly client: DynamoClientLike;
  readonly table: TableConfig;
  readonly segment: number;
  readonly totalSegments: number;
  /** Where to continue (a page's `lastEvaluatedKey` from an earlier call or a checkpoint). */
  readonly startKey?: Record<string, unknown>;
  /** Items per Scan page (default 100). A checkpoint advances one page at a time. */
  readonly pageSize?: number;
  /** Stop after this many pages (a Lambda invocation's share); default: to the segment's end. */
  readonly maxPages?: number;
  /** Items of one page migrated at a time (default 16). */
  readonly concurrency?: number;
  readonly dryRun?: boolean;
  /** Default true: items already in the format are decrypted so that tampering is reported. */
  readonly verifyEncrypted?: boolean;
  /** Conflicts tolerated per item before it is reported failed (`CONFLICT`, retryable); default 10. */
  readonly maxConflictRetries?: number;
  /** Pace records (shared between segments of one process); see {@link createRateLimiter}. */
  readonly limiter?: RateLimiter;
  /** Stops before the next page (the current page finishes). */
  readonly signal?: AbortSignal;
  /**
   * Stops before the next record: the records in flight finish, the page is reported cut short
   * (`done: false`, `lastEvaluatedKey` = where that page began, so its records run again and the
   * migrated ones are then skipped). The CLI's workers stop so on the run's KMS budget.
   */
  readonly stop?: AbortSignal;
  /** Called after each page with that page's counts and the key to continue from. */
  readonly onPage?: (page: SegmentPage) => void | Promise<void>;
};

/**
 * One finished page of a segment: its counts and where the segment continues
 * (`done`: the segment is done; otherwise `lastEvaluatedKey` is where it continues, undefined
 * for a first page cut short by `stop`: from the segment's start).
 * @example
 * ```ts
 * const onPage = (page: SegmentPage) => checkpoint.save(page.segment, page.lastEvaluatedKey);
 * ```
 */
export type SegmentPage = {
  readonly segment: number;
  readonly report: MigrationReport;
  readonly lastEvaluatedKey: Record<string, unknown> | undefined;
  readonly done: boolean;
};

/**
 * What {@link migrateScanSegment} did: the counts, and where to continue if it stopped early.
 * @example
 * ```ts
 * const { report, done, lastEvaluatedKey } = await migrateScanSegment({ client, table, segment: 0, totalSegments: 4 });
 * ```
 */
export type SegmentOutcome = { readonly segment: number; readonly report: MigrationReport; readonly done: boolean; readonly lastEvaluatedKey: Record<string, unknown> | undefined };

/**
 * The unit of work for DynamoDB: scans one parallel-Scan segment (from `startKey`) and
 * migrates each item (see `migrateTable` for what migrating means). Used by
 * `migrateTable`, the CLI's worker processes and the Step Functions handler alike.
 *
 * @throws {@link PhisealError} `INVALID_ARGUMENT`, `INVALID_CONFIGURATION`; a failed Scan
 * request is thrown as the SDK's error (records are never thrown: they are counted).
 * @example
 * ```ts
 * const out = await migrateScanSegment({ client, table: patients, segment: 3, totalSegments: 8, maxPages: 50 });
 * if (!out.done) next = out.lastEvaluatedKey;
 * ```
 */
export async function migrateScanSegment(options: ScanSegmentOptions): Promise<SegmentOutcome> {
  const { table } = options;
  checkSegment(options.segment, options.totalSegments);
  const client = rawDynamoClient(options.client);
  const run: ItemRun = {
    client,
    table,
    dryRun: options.dryRun === true,
    verifyEncrypted: options.verifyEncrypted !== false,
    maxConflictRetries: options.maxConflictRetries ?? 10,
  };
  return scanPages({
    ...options,
    client,
    tableName: table.tableName,
    dryRun: run.dryRun,
    limiter: options.limiter ?? createRateLimiter(undefined),
    keyOf: (item) => keyOf(table, item),
    handle: (item, id) => migrateStoredItem(run, item, id),
  });
}
