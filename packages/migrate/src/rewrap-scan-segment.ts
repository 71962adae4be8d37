import type { KeyProvider } from '@phiseal/core';
import { rawDynamoClient } from './internal/dynamo-client.js';
import { rewrapStoredItem, type RewrapRun } from './internal/item-rewrap.js';
import { keyOf } from './internal/item-migration.js';
import { rewrapKeys, type RewrapTableConfig } from './internal/rewrap-run.js';
import { checkSegment, scanPages } from './internal/scan-pages.js';
import type { SegmentOutcome } from './migrate-scan-segment.js';
import type { SegmentRunOptions } from './table-run-options.js';

/**
 * Options of {@link rewrapScanSegment}: the unit's (see {@link SegmentRunOptions}), the table and both keys.
 * @example
 * ```ts
 * const options: RewrapSegmentOptions = { client, table: patients, from: oldKeys, to: newKeys, segment: 0, totalSegments: 8 };
 * ```
 */
export type RewrapSegmentOptions = SegmentRunOptions & {
  /** The table's configuration; its `envelope` is optional (its guard and audit sink are used when given). */
  readonly table: RewrapTableConfig;
  /** The key provider items are wrapped under now. */
  readonly from: KeyProvider;
  /** The key provider they are wrapped under afterwards. */
  readonly to: KeyProvider;
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
  return scanPages({ ...options, client: run.client, tableName: run.fromTable.tableName, dryRun: run.dryRun, keyOf: (item) => keyOf(run.fromTable, item), handle: (item, id) => rewrapStoredItem(run, item, id) });
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
