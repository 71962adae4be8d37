// One DynamoDB Scan segment through the Distributed Map handler: the migration's segment
// unit scans up to the invocation's page budget and reports counts; the handler turns them
// into an item result and a continuation when the segment is not finished.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableConfig } from '@phiseal/dynamodb';
import { reasonOf } from '../fan-out/record-outcome.js';
import { classifyFailure, type UnitOutcome } from '../fan-out/unit-outcome.js';

/** The counts of a segment run the handler reads (the migration's `MigrationReport`). */
export type SegmentReport = {
  readonly migrated: number;
  readonly skipped: number;
  readonly refused: number;
  readonly failed: number;
  readonly conflictsRetried: number;
  readonly errors: ReadonlyArray<{ readonly id: string; readonly code: string }>;
};

/** Scans and migrates one segment from `startKey` for at most `maxPages` pages. Throws only for a failed Scan. */
export type SegmentMigrator = (request: {
  client: DynamoDBClient;
  table: TableConfig;
  segment: number;
  totalSegments: number;
  startKey?: Record<string, unknown>;
  maxPages: number;
}) => Promise<{ report: SegmentReport; done: boolean; lastEvaluatedKey: Record<string, unknown> | undefined }>;

/** A segment's outcome, its counts and the key it continues after (raw: the handler seals it). */
export type SegmentResult = { outcome: UnitOutcome; counts?: Omit<SegmentReport, 'errors'>; next?: Record<string, unknown> };

// Record failures a later attempt can fix: throttling, unavailable KMS or AWS, unsettled conflicts.
const RETRYABLE_CODES = /^(CONFLICT|KMS_UNAVAILABLE|AWS_REQUEST_FAILED)$|throttl|SlowDown|ProvisionedThroughputExceeded|RequestLimitExceeded|InternalServerError|ServiceUnavailable/i;

function segmentOutcome(report: SegmentReport): UnitOutcome {
  const retryable = report.errors.find((error) => RETRYABLE_CODES.test(error.code));
  if (retryable !== undefined) return { kind: 'retry', reason: reasonOf(retryable.code, 'failed'), cause: undefined };
  const first = report.errors[0];
  if (report.failed + report.refused > 0) return { kind: 'failed', reason: reasonOf(first?.code, 'records-failed') };
  return { kind: 'succeeded', reason: 'migrated' };
}

/**
 * Runs one segment through `migrate` and sorts the result.
 * @throws never (a failed Scan becomes an outcome)
 * @example
 * ```ts
 * const { outcome, next } = await runSegment(migrateScanSegment, { client, table, segment: 0, totalSegments: 8, maxPages: 20 });
 * ```
 */
export async function runSegment(migrate: SegmentMigrator, request: Parameters<SegmentMigrator>[0]): Promise<SegmentResult> {
  try {
    const { report, done, lastEvaluatedKey } = await migrate(request);
    const { errors: _errors, ...counts } = report;
    const clean = { migrated: counts.migrated, skipped: counts.skipped, refused: counts.refused, failed: counts.failed, conflictsRetried: counts.conflictsRetried };
    const outcome = segmentOutcome(report);
    if (done || lastEvaluatedKey === undefined) return { outcome, counts: clean };
    return { outcome, counts: clean, next: lastEvaluatedKey };
  } catch (error) {
    return { outcome: classifyFailure(error) };
  }
}
