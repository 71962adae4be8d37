import type { TableConfig } from '@phiseal/dynamodb';
import { rawDynamoClient } from './internal/dynamo-client.js';
import { keyOf, migrateStoredItem, type ItemRun } from './internal/item-migration.js';
import { checkSegment, scanPages } from './internal/scan-pages.js';
import type { SegmentRunOptions } from './table-run-options.js';
import type { MigrationReport } from './types.js';

/**
 * Options of {@link migrateScanSegment}: the unit's (see {@link SegmentRunOptions}) and the table.
 * @example
 * ```ts
 * const options: ScanSegmentOptions = { client, table: patients, segment: 0, totalSegments: 8 };
 * ```
 */
export type ScanSegmentOptions = SegmentRunOptions & {
  readonly table: TableConfig;
  /** Default true: items already in the format are decrypted so that tampering is reported. */
  readonly verifyEncrypted?: boolean;
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
  return scanPages({ ...options, client, tableName: table.tableName, keyOf: (item) => keyOf(table, item), handle: (item, id) => migrateStoredItem(run, item, id) });
}
