import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PhisealError } from '@phiseal/core';
import type { SegmentOutcome } from '../migrate-scan-segment.js';
import { addOutcome, emptyReport, mergeReport } from '../report.js';
import type { SegmentRunOptions } from '../table-run-options.js';
import type { RecordOutcome } from '../types.js';
import type { StoredItem } from './item-state.js';
import { forEachLimited } from './pool.js';
import { createRateLimiter } from './rate-limiter.js';
import { recordId } from './record-id.js';

/** One segment's scan: the unit's options, and what to do with each item (migrate it, rewrap it). */
export type PageScan = Omit<SegmentRunOptions, 'client' | 'maxConflictRetries'> & {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** The item's key (for the keyed record id; never shown). */
  readonly keyOf: (item: StoredItem) => StoredItem;
  /** The unit of work for one item: never throws, the outcome says what happened. */
  readonly handle: (item: StoredItem, id: string) => Promise<RecordOutcome>;
};

/**
 * Checks a segment number against its total.
 * @throws PhisealError INVALID_ARGUMENT
 */
export function checkSegment(segment: number, total: number): void {
  if (!Number.isInteger(total) || total < 1 || total > 1_000_000 || !Number.isInteger(segment) || segment < 0 || segment >= total) {
    throw new PhisealError('INVALID_ARGUMENT', 'segment must be an integer in [0, totalSegments) and totalSegments in [1, 1000000].');
  }
}

/**
 * Scans one parallel-Scan segment page by page from `startKey`, hands each item to `handle`
 * (`concurrency` at a time, paced by `limiter`) and reports each finished page, so a checkpoint
 * advances a page at a time. Stops before the next page on `signal` or after `maxPages`, before
 * the next record on `stop` (the page is then reported with `done: false` and its own start key).
 * @throws the SDK's error for a failed Scan request (records are counted, never thrown).
 */
export async function scanPages(scan: PageScan): Promise<SegmentOutcome> {
  const { segment, totalSegments } = scan;
  checkSegment(segment, totalSegments);
  const total = emptyReport();
  const dryRun = scan.dryRun === true;
  const limiter = scan.limiter ?? createRateLimiter(undefined);
  if (dryRun) total.dryRun = true;
  let startKey = scan.startKey as StoredItem | undefined;
  let pages = 0;
  let ordinal = 0;
  for (;;) {
    if (scan.signal?.aborted === true || (scan.maxPages !== undefined && pages >= scan.maxPages)) {
      return { segment, report: total, done: false, lastEvaluatedKey: startKey };
    }
    const out = await scan.client.send(
      new ScanCommand({ TableName: scan.tableName, Segment: segment, TotalSegments: totalSegments, Limit: scan.pageSize ?? 100, ExclusiveStartKey: startKey }),
    );
    const items = (out.Items ?? []) as StoredItem[];
    const page = emptyReport();
    const base = ordinal;
    ordinal += items.length;
    const started = await forEachLimited(items, scan.concurrency ?? 16, async (item, i) => {
      await limiter.take();
      const position = `seg-${segment}/item-${base + i}`;
      // The key is serialized only for a keyed id (most runs have none).
      const id = scan.idKey === undefined ? position : recordId(position, JSON.stringify(scan.keyOf(item)), scan);
      addOutcome(page, await scan.handle(item, id));
    }, () => scan.stop?.aborted === true);
    if (started < items.length) {
      // Cut short: report what was done, continue (on a later run) from where this page began.
      if (dryRun) page.dryRun = true;
      mergeReport(total, page);
      await scan.onPage?.({ segment, report: page, lastEvaluatedKey: startKey, done: false });
      return { segment, report: total, done: false, lastEvaluatedKey: startKey };
    }
    pages++;
    startKey = out.LastEvaluatedKey;
    const done = startKey === undefined;
    page.complete = done;
    if (dryRun) page.dryRun = true;
    mergeReport(total, page);
    total.complete = done;
    await scan.onPage?.({ segment, report: page, lastEvaluatedKey: startKey, done });
    if (done) return { segment, report: total, done: true, lastEvaluatedKey: undefined };
  }
}
