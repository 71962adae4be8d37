// What a Step Functions Distributed Map hands a Lambda item processor when items are
// batched (ItemBatcher): `{ Items: [...], BatchInput: {...} }` (Step Functions Developer
// Guide, "ItemBatcher"). Items come from the ItemReader:
// - S3 ListObjectsV2: `{ Key, Size, Etag, LastModified, StorageClass }` (the bucket is the
//   reader's Parameters.Bucket, so BatchInput must carry it);
// - S3 Inventory manifest (ReaderConfig.ManifestType S3_INVENTORY): one row per object,
//   `{ Bucket, Key, Size?, LastModifiedDate?, VersionId?, IsLatest?, IsDeleteMarker? }` as
//   strings, the key URL-encoded as S3 Inventory writes it;
// - CSV manifest (S3 Batch Operations manifest layout, CSVHeaders Bucket,Key[,VersionId]):
//   the same shape, keys URL-encoded;
// - DynamoDB Scan segments (an array the workflow builds): `{ segment, totalSegments, startKey? }`,
//   `startKey` being the sealed continuation a previous invocation returned.

/**
 * The BatchInput a workflow passes with every batch (all fields optional).
 *
 * @example
 * ```ts
 * import type { MapBatchInput } from '@phiseal/migrate';
 * const objects: MapBatchInput = { bucket: 'lab-results', keyEncoding: 'plain' }; // ListObjectsV2 items
 * const segments: MapBatchInput = { table: 'patients', maxPages: 10 };             // DynamoDB Scan segments
 * ```
 */
export type MapBatchInput = {
  /** S3 ListObjectsV2 items: the bucket they were listed from (name or access point ARN). */
  readonly bucket?: string;
  /** How item keys are written: `url` (default for manifest rows with a Bucket column) or `plain` (default for ListObjectsV2 items). */
  readonly keyEncoding?: 'url' | 'plain';
  /** DynamoDB segments: the table (name or ARN, as configured). */
  readonly table?: string;
  /** DynamoDB segments: Scan pages per invocation before returning a continuation (default 20). */
  readonly maxPages?: number;
};

/**
 * One batch of a Distributed Map.
 * @example
 * ```ts
 * const event: DistributedMapEvent = {
 *   Items: [{ Key: 'scans/1.dcm', Size: 65536, Etag: '"9b2cf535f27731c974343645a3985328"', LastModified: 1668699881, StorageClass: 'STANDARD' }],
 *   BatchInput: { bucket: 'lab-results' },
 * };
 * ```
 */
export type DistributedMapEvent = { readonly Items: readonly unknown[]; readonly BatchInput?: MapBatchInput };

/**
 * Where a DynamoDB segment continues: `startKey` is the segment's last evaluated key sealed
 * under the table's envelope (keys may be PHI; this travels through Step Functions).
 *
 * @example
 * ```ts
 * import type { DistributedMapResult, SegmentContinuation } from '@phiseal/migrate';
 * // Feed unfinished segments back to the map as its next items.
 * const nextItems = (result: DistributedMapResult): SegmentContinuation[] => result.continuations;
 * ```
 */
export type SegmentContinuation = { readonly segment: number; readonly totalSegments: number; readonly startKey: string };

/**
 * The outcome of one item, by its position in the batch (never its key). DynamoDB segment
 * items also carry their counts and, when the invocation's page budget ran out, `next`: the
 * item to process next (feed it back to the map, as the deploy template's loop does).
 *
 * @example
 * ```ts
 * import type { MapItemResult } from '@phiseal/migrate';
 * const result: MapItemResult = { index: 0, status: 'failed', reason: 'table-not-configured' };
 * ```
 */
export type MapItemResult = {
  readonly index: number;
  readonly status: 'succeeded' | 'failed';
  readonly reason: string;
  readonly counts?: { migrated: number; skipped: number; refused: number; failed: number; conflictsRetried: number };
  readonly next?: SegmentContinuation;
};

/**
 * What the handler returns for a batch that had nothing to retry.
 *
 * @example
 * ```ts
 * import { createDistributedMapHandler, type DistributedMapResult } from '@phiseal/migrate';
 * const handle = createDistributedMapHandler({ s3: { client: s3, buckets: { 'lab-results': { envelope } } } });
 * const result = (await handle(event)) satisfies DistributedMapResult;
 * console.log(`${result.succeeded} succeeded, ${result.failed} failed`);
 * ```
 */
export type DistributedMapResult = {
  readonly results: MapItemResult[];
  readonly succeeded: number;
  readonly failed: number;
  /** DynamoDB segments not finished in this invocation (their `next` items). */
  readonly continuations: SegmentContinuation[];
};
