import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { PhisealError } from '@phiseal/core';
import type { TableConfig } from '@phiseal/dynamodb';
import type { BucketEncryption } from '@phiseal/s3';
import { mapLimit } from '../fan-out/map-limit.js';
import { objectMigrator } from '../migrate-object.js';
import { migrateScanSegment } from '../migrate-scan-segment.js';
import { objectRunner, type ObjectMigrator, type ObjectRunner, type ObjectTarget } from '../fan-out/object-unit.js';
import { rangeProofs } from '../internal/range-proofs.js';
import { classifyFailure, failed, succeeded, type UnitOutcome } from '../fan-out/unit-outcome.js';
import type { DistributedMapResult, MapBatchInput, MapItemResult, SegmentContinuation } from './map-event.js';
import { openStartKey, sealStartKey } from './continuation-token.js';
import { batchInput, mapWork, type MapWork } from './map-items.js';
import { retryableBatchError } from './retryable-error.js';
import { runSegment, type SegmentMigrator, type SegmentResult } from './segment-unit.js';
import { findTable } from './table-lookup.js';

/**
 * Options of {@link createDistributedMapHandler}: the S3 buckets and/or DynamoDB tables it may migrate.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
 * import { S3Client } from '@aws-sdk/client-s3';
 * import { createDistributedMapHandler, type DistributedMapHandlerOptions } from '@phiseal/migrate';
 * const options: DistributedMapHandlerOptions = {
 *   s3: { client: new S3Client({}), buckets: { 'lab-results': { envelope } } },
 *   dynamodb: { client: new DynamoDBClient({}), tables: { patients } },
 *   concurrency: 8,
 * };
 * export const handler = createDistributedMapHandler(options);
 * ```
 */
export type DistributedMapHandlerOptions = {
  /** Encrypted buckets, as `withEncryption(s3Client, { buckets })` takes them. */
  readonly s3?: { readonly client: S3Client; readonly buckets: Readonly<Record<string, BucketEncryption>> };
  /** Encrypted tables, as `withEncryption(dynamoClient, { tables })` takes them; a plain (unwrapped) client. */
  readonly dynamodb?: { readonly client: DynamoDBClient; readonly tables: Readonly<Record<string, TableConfig>> };
  /** Items of a batch worked on at once; default 8. */
  readonly concurrency?: number;
};

/** The migration's units the handler drives. @internal */
export type MapUnits = { readonly object: ObjectMigrator; readonly segment: SegmentMigrator };

const DEFAULT_MAX_PAGES = 20;

function invalid(reason: string): PhisealError {
  return new PhisealError('INVALID_ARGUMENT', 'The event is not a Distributed Map item batch ({ Items, BatchInput }).', { details: { reason } });
}

function checkOptions(options: DistributedMapHandlerOptions): void {
  if (typeof options !== 'object' || options === null || (options.s3 === undefined && options.dynamodb === undefined)) {
    throw new PhisealError('INVALID_CONFIGURATION', 'createDistributedMapHandler needs { s3: { client, buckets } } and/or { dynamodb: { client, tables } }.');
  }
  const { concurrency } = options;
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)) {
    throw new PhisealError('INVALID_CONFIGURATION', 'concurrency must be an integer from 1 to 256.');
  }
}

/** One item's outcome, counts and (segments) sealed continuation. */
type ItemResult = { outcome: UnitOutcome; counts?: SegmentResult['counts']; next?: SegmentContinuation };
type SegmentWork = Extract<MapWork, { kind: 'segment' }>;

async function segmentItem(options: DistributedMapHandlerOptions, units: MapUnits, input: MapBatchInput, work: SegmentWork): Promise<ItemResult> {
  const table = options.dynamodb === undefined ? undefined : findTable(options.dynamodb.tables, work.table);
  if (options.dynamodb === undefined || table === undefined) return { outcome: failed('table-not-configured') };
  const { segment, totalSegments } = work;
  let startKey: Record<string, unknown> | undefined;
  try {
    startKey = work.startKey === undefined ? undefined : await openStartKey(table.envelope, table.tableName, segment, totalSegments, work.startKey);
  } catch {
    return { outcome: failed('invalid-start-key') };
  }
  const request = { client: options.dynamodb.client, table, segment, totalSegments, maxPages: input.maxPages ?? DEFAULT_MAX_PAGES };
  const result = await runSegment(units.segment, startKey === undefined ? request : { ...request, startKey });
  const base = { outcome: result.outcome, ...(result.counts === undefined ? {} : { counts: result.counts }) };
  if (result.next === undefined) return base;
  try {
    return { ...base, next: { segment, totalSegments, startKey: await sealStartKey(table.envelope, table.tableName, segment, totalSegments, result.next) } };
  } catch (error) {
    // Without a sealed continuation the segment cannot go on: retry it (done items are skipped).
    return { outcome: classifyFailure(error) };
  }
}

/**
 * The batch's object items with `<key>.instruction` absence proofs from one live listing of
 * each configured bucket's key range (see rangeProofs): the items of a batch are neighbours
 * in a listing or an inventory, so one ListObjectsV2 usually covers them all and spares a
 * lookup per plaintext object. Other items pass through as they are.
 */
async function withProofs(works: MapWork[], s3: DistributedMapHandlerOptions['s3'], runObject: ObjectRunner | undefined): Promise<MapWork[]> {
  if (s3 === undefined || runObject === undefined) return works;
  const byBucket = new Map<string, number[]>();
  works.forEach((work, i) => {
    if (work.kind === 'object' && runObject.configFor(work.target.bucket) !== undefined) byBucket.set(work.target.bucket, [...(byBucket.get(work.target.bucket) ?? []), i]);
  });
  const out = [...works];
  for (const [bucket, indexes] of byBucket) {
    const config = runObject.configFor(bucket) as BucketEncryption;
    const targets = indexes.map((i) => (works[i] as Extract<MapWork, { kind: 'object' }>).target);
    const proofs = await rangeProofs(s3.client, bucket, targets.map((t) => t.key), config.envelope.guard);
    indexes.forEach((i, n) => {
      const etag = proofs[n];
      if (etag !== undefined) out[i] = { kind: 'object', target: { ...(targets[n] as ObjectTarget), listedWithoutInstructionFile: etag } };
    });
  }
  return out;
}

function worker(options: DistributedMapHandlerOptions, units: MapUnits, runObject: ObjectRunner | undefined, input: MapBatchInput): (work: MapWork) => Promise<ItemResult> {
  return async (work) => {
    switch (work.kind) {
      case 'invalid':
        return { outcome: failed(work.reason) };
      case 'skip':
        return { outcome: succeeded(work.reason) };
      case 'object':
        return { outcome: runObject === undefined ? failed('s3-not-configured') : await runObject(work.target) };
      default:
        return segmentItem(options, units, input, work);
    }
  };
}

function itemResult(index: number, result: ItemResult): MapItemResult {
  const base = { index, status: result.outcome.kind === 'succeeded' ? 'succeeded' : 'failed', reason: result.outcome.reason } as const;
  return { ...base, ...(result.counts === undefined ? {} : { counts: result.counts }), ...(result.next === undefined ? {} : { next: result.next }) };
}

/**
 * The Distributed Map handler over injected units (the public
 * {@link createDistributedMapHandler} passes the migration's own).
 * @internal
 */
export function distributedMapHandler(options: DistributedMapHandlerOptions, units: MapUnits): (event: unknown) => Promise<DistributedMapResult> {
  checkOptions(options);
  const runObject = options.s3 === undefined ? undefined : objectRunner(options.s3.client, options.s3.buckets, units.object);
  const concurrency = options.concurrency ?? 8;
  return async (event) => {
    if (typeof event !== 'object' || event === null) throw invalid('not-an-object');
    const items = (event as { Items?: unknown }).Items;
    if (!Array.isArray(items)) throw invalid('Items');
    const input = batchInput((event as { BatchInput?: unknown }).BatchInput);
    const work = worker(options, units, runObject, input);
    const works = await withProofs((items as unknown[]).map((item) => mapWork(item, input)), options.s3, runObject);
    const results = await mapLimit(works, concurrency, (w) => work(w));
    const retries = results.map((r) => r.outcome).filter((o): o is Extract<UnitOutcome, { kind: 'retry' }> => o.kind === 'retry');
    // Step Functions retries the whole batch; what was done is skipped on the next run.
    if (retries.length > 0) throw retryableBatchError(retries, items.length);
    const out = results.map((result, index) => itemResult(index, result));
    return {
      results: out,
      succeeded: out.filter((r) => r.status === 'succeeded').length,
      failed: out.filter((r) => r.status === 'failed').length,
      continuations: out.flatMap((r) => (r.next === undefined ? [] : [r.next])),
    };
  };
}

/**
 * An AWS Lambda handler for the item batches of a Step Functions Distributed Map
 * (`ItemBatcher` on: `{ Items, BatchInput }`) that encrypts what the items name: S3 objects
 * from the S3 Inventory manifest, CSV manifest or ListObjectsV2 item readers (see
 * `migrateObject`), and DynamoDB Scan segments `{ segment, totalSegments, startKey? }` with
 * `BatchInput.table` (see `migrateScanSegment`; at most `BatchInput.maxPages` pages per
 * invocation, default 20, then the item's result carries `next` to continue with).
 *
 * Returns per-item results by position (never keys). When some items failed in a way a
 * retry can fix (throttling, 5xx, a lost connection, a concurrent write), it finishes the
 * others and throws a `PhisealError` named `PhisealRetryableError` (`retryable: true`): list
 * that name in the Task's Retry `ErrorEquals`; the rerun skips what was done.
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` (neither `s3` nor `dynamodb`, bad
 * `buckets` keys, bad concurrency). The handler throws `INVALID_ARGUMENT` for an event with
 * no `Items` array, and `PhisealRetryableError` as above.
 * @example
 * ```ts
 * export const handler = createDistributedMapHandler({
 *   s3: { client: new S3Client({}), buckets: { 'lab-results': { envelope } } },
 *   dynamodb: { client: new DynamoDBClient({}), tables: { patients: patientsConfig } },
 * });
 * ```
 */
export function createDistributedMapHandler(options: DistributedMapHandlerOptions): (event: unknown) => Promise<DistributedMapResult> {
  return distributedMapHandler(options, { object: objectMigrator(), segment: migrateScanSegment });
}
