/**
 * Bulk jobs on data that already exists: encrypt plaintext DynamoDB items and S3 objects in
 * place, without losing a write the application makes meanwhile (conditional writes on what
 * was read), resumably and within a rate; the same per-record units run in the local runner,
 * the CLI's worker processes and AWS Lambda handlers.
 *
 * @example
 * ```ts
 * import { migrateScanSegment } from '@phiseal/migrate';
 * const { report } = await migrateScanSegment({ client, table: patients, segment: 0, totalSegments: 1 });
 * ```
 *
 * @packageDocumentation
 * @module @phiseal/migrate
 */
export { migrateTable } from './migrate-table.js';
export { migrateBucket } from './migrate-bucket.js';
export { migrateItem } from './migrate-item.js';
export { migrateScanSegment } from './migrate-scan-segment.js';
export { migrateObject, DEFAULT_BUFFER_BYTES } from './migrate-object.js';
export { migrateObjects } from './migrate-objects.js';
export { rewrap } from './rewrap.js';
export { rewrapBucket } from './rewrap-bucket.js';
export { rewrapObject } from './rewrap-object.js';
export { rewrapObjects } from './rewrap-objects.js';
export { rewrapTable } from './rewrap-table.js';
export { rewrapScanSegment } from './rewrap-scan-segment.js';
export { emptyReport, addOutcome, mergeReport, recordsSeen } from './report.js';
export { createRateLimiter } from './internal/rate-limiter.js';
export { MAX_REPORTED_ERRORS } from './types.js';

export type { MigrateTableOptions, SegmentExecutor } from './migrate-table.js';
export type { MigrateBucketOptions, BatchExecutor, ObjectBatch } from './migrate-bucket.js';
export type { CheckpointLocation } from './internal/checkpoint-store.js';
export type { MigrateItemOptions } from './migrate-item.js';
export type { MigrateObjectOptions } from './migrate-object.js';
export type { MigrateObjectsOptions } from './migrate-objects.js';
export type { RewrapOptions, RewrapTarget } from './rewrap.js';
export type { RewrapBucketOptions } from './rewrap-bucket.js';
export type { RewrapObjectOptions } from './rewrap-object.js';
export type { RewrapObjectsOptions } from './rewrap-objects.js';
export type { RewrapTableOptions } from './rewrap-table.js';
export type { RewrapSegmentOptions } from './rewrap-scan-segment.js';
export type { RewrapTableConfig } from './internal/rewrap-run.js';
export type { ScanSegmentOptions, SegmentPage, SegmentOutcome } from './migrate-scan-segment.js';
export type { TableRunOptions, SegmentRunOptions } from './table-run-options.js';
export type { RateLimiter } from './internal/rate-limiter.js';
export type { DynamoClientLike } from './internal/dynamo-client.js';
export type { OutcomeKind, RecordOutcome, MigrationReport, RecordIdOptions, MigrationProgress } from './types.js';

// AWS Lambda handlers for S3 Batch Operations and Step Functions Distributed Map (fan-out).
export { createBatchOperationsHandler } from './batch-operations/create-batch-operations-handler.js';
export { createDistributedMapHandler } from './distributed-map/create-distributed-map-handler.js';
export { RETRYABLE_ERROR_NAME } from './distributed-map/retryable-error.js';
export { lambdaHandlerFromEnvironment, LAMBDA_ENVIRONMENT } from './lambda/lambda-handler-from-environment.js';
export type { BatchOperationsHandlerOptions } from './batch-operations/create-batch-operations-handler.js';
export type { S3BatchEvent, S3BatchTask, S3BatchResult, S3BatchResultCode, S3BatchTaskResult } from './batch-operations/batch-event.js';
export type { DistributedMapHandlerOptions } from './distributed-map/create-distributed-map-handler.js';
export type { DistributedMapEvent, DistributedMapResult, MapBatchInput, MapItemResult, SegmentContinuation } from './distributed-map/map-event.js';
export type { LambdaEnvironmentOptions } from './lambda/lambda-handler-from-environment.js';

// Re-exported so callers can branch on errors without importing @phiseal/core.
export { PhisealError } from '@phiseal/core';
export type { PhisealErrorCode } from '@phiseal/core';
