import type { KeyProvider } from '@phiseal/core';
import { rawDynamoClient, type DynamoClientLike } from './internal/dynamo-client.js';
import { rewrapStoredItem, type RewrapRun } from './internal/item-rewrap.js';
import { keyOf } from './internal/item-migration.js';
import { createRateLimiter, type RateLimiter } from './internal/rate-limiter.js';
import { rewrapKeys, type RewrapTableConfig } from './internal/rewrap-run.js';
import { checkSegment, scanPages } from './internal/scan-pages.js';
import type { SegmentOutcome, SegmentPage } from './migrate-scan-segment.js';
import type { RecordIdOptions } from './types.js';

/**
 * Options of {@link rewrapScanSegment}.
 * @example
 * ```ts
 * const options: RewrapSegmentOptions = { client, table: patients, from: oldKeys, to: newKeys, segment: 0, totalSegments: 8 };
 * ```
 */
export type RewrapSegmentOptions = RecordIdOptions & {
  /** A plain DynamoDBClient (or DocumentClient); not one wrapped by `withEncryption`. */
  readonly client: DynamoClientLike;
  /** The table's configuration; its `envelope` is optional (its guard and audit sink are used when given). */
  readonly table: RewrapTableConfig;
  /** The key provider items are wrapped under now. */
  readonly from: KeyProvider;
  /** The key provider they are wrapped under afterwards. */
  readonly to: KeyProvider;
  readonly segment: number;
  readonly totalSegments: number;
  /** Where to continue (a page's `lastEvaluatedKey` from an earlier call or a checkpoint). */
  readonly startKey?: Record<string, unknown>;
  /** Items per Scan page (default 100). */
  readonly pageSize?: number;
  /** Stop after this many pages; default: to the segment's end. */
  readonly maxPages?: number;
  /** Items of one page re-keyed at a time (default 16). */
  readonly concurrency?: number;
  readonly dryRun?: boolean;
  /** Conflicts tolerated per item before it is reported failed (`CONFLICT`, retryable); default 10. */
  readonly maxConflictRetries?: number;
  readonly limiter?: RateLimiter;
  /** Stops before the next page (the current page finishes). */
  readonly signal?: AbortSignal;
  /** Stops before the next item (the page is then reported cut short, with `done: false`): the CLI's workers stop so on the run's KMS budget. */
  readonly stop?: AbortSignal;
  readonly onPage?: (page: SegmentPage) => void | Promise<void>;
};

/**
 * @internal The segment scan with an already built run (shared by rewrapTable's segments).
 * @throws as {@link rewrapScanSegment}.
 * @example
 * ```ts
 * await rewrapSegmentWith(run, options);
 * ```
 */
export async function rewrapSegmentWith(run: RewrapRun, options: Omit<RewrapSegmentOptions, 'client' | 'from' | 'to'>): Promise<SegmentOutcome> {
  return scanPages({
    ...options,
    client: run.client,
    tableName: run.fromTable.tableName,
    dryRun: run.dryRun,
    limiter: options.limiter ?? createRateLimiter(undefined),
    keyOf: (item) => keyOf(run.fromTable, item),
    handle: (item, id) => rewrapStoredItem(run, item, id),
  });
}

/**
 * The unit of work of key rotation for DynamoDB: scans one parallel-Scan segment (from
 * `startKey`) and re-keys each item from `from` to `to` (see `rewrapTable`). Used by
 * `rewrapTable` and the CLI's worker processes.
 *
 * @throws {@link PhisealError} `INVALID_ARGUMENT`, `INVALID_CONFIGURATION`; a failed Scan
 * request is thrown as the SDK's error (records are never thrown: they are counted).
 * @example
 * ```ts
 * const out = await rewrapScanSegment({ client, table: patients, from: oldKeys, to: newKeys, segment: 3, totalSegments: 8 });
 * if (!out.done) next = out.lastEvaluatedKey;
 * ```
 */
export async function rewrapScanSegment(options: RewrapSegmentOptions): Promise<SegmentOutcome> {
  checkSegment(options.segment, options.totalSegments);
  const client = rawDynamoClient(options.client);
  const keys = rewrapKeys(options.table, options.from, options.to);
  try {
    return await rewrapSegmentWith({ ...keys.run, client, dryRun: options.dryRun === true, maxConflictRetries: options.maxConflictRetries ?? 10 }, options);
  } finally {
    keys.destroy();
  }
}
