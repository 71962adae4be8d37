import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import type { TableConfig } from '@phiseal/dynamodb';
import { rawDynamoClient, type DynamoClientLike } from './internal/dynamo-client.js';
import { keyOf, migrateStoredItem, type ItemRun } from './internal/item-migration.js';
import type { StoredItem } from './internal/item-state.js';
import { forEachLimited } from './internal/pool.js';
import { createRateLimiter, type RateLimiter } from './internal/rate-limiter.js';
import { recordId } from './internal/record-id.js';
import { addOutcome, emptyReport, mergeReport } from './report.js';
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
  /** Called after each page with that page's counts and the key to continue from. */
  readonly onPage?: (page: SegmentPage) => void | Promise<void>;
};

/**
 * One finished page of a segment: its counts and where the segment continues
 * (`lastEvaluatedKey` undefined = the segment is done).
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

function checkSegment(segment: number, total: number): void {
  if (!Number.isInteger(total) || total < 1 || total > 1_000_000 || !Number.isInteger(segment) || segment < 0 || segment >= total) {
    throw new PhisealError('INVALID_ARGUMENT', 'segment must be an integer in [0, totalSegments) and totalSegments in [1, 1000000].');
  }
}

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
  const { table, segment, totalSegments } = options;
  checkSegment(segment, totalSegments);
  const client = rawDynamoClient(options.client);
  const run: ItemRun = {
    client,
    table,
    dryRun: options.dryRun === true,
    verifyEncrypted: options.verifyEncrypted !== false,
    maxConflictRetries: options.maxConflictRetries ?? 10,
  };
  const limiter = options.limiter ?? createRateLimiter(undefined);
  const total = emptyReport();
  if (run.dryRun) total.dryRun = true;
  let startKey = options.startKey as StoredItem | undefined;
  let pages = 0;
  let ordinal = 0;
  for (;;) {
    if (options.signal?.aborted === true || (options.maxPages !== undefined && pages >= options.maxPages)) {
      return { segment, report: total, done: false, lastEvaluatedKey: startKey };
    }
    const out = await client.send(
      new ScanCommand({ TableName: table.tableName, Segment: segment, TotalSegments: totalSegments, Limit: options.pageSize ?? 100, ExclusiveStartKey: startKey }),
    );
    const items = (out.Items ?? []) as StoredItem[];
    const page = emptyReport();
    const base = ordinal;
    ordinal += items.length;
    await forEachLimited(items, options.concurrency ?? 16, async (item, i) => {
      await limiter.take();
      const id = recordId(`seg-${segment}/item-${base + i}`, JSON.stringify(keyOf(table, item)), options);
      addOutcome(page, await migrateStoredItem(run, item, id));
    });
    pages++;
    startKey = out.LastEvaluatedKey;
    const done = startKey === undefined;
    page.complete = done;
    if (run.dryRun) page.dryRun = true;
    mergeReport(total, page);
    total.complete = done;
    await options.onPage?.({ segment, report: page, lastEvaluatedKey: startKey, done });
    if (done) return { segment, report: total, done: true, lastEvaluatedKey: undefined };
  }
}
