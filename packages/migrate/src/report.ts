import { MAX_REPORTED_ERRORS, type MigrationReport, type RecordOutcome } from './types.js';

/**
 * A report with nothing counted yet.
 * @throws never
 * @example
 * ```ts
 * const report = emptyReport();
 * ```
 */
export function emptyReport(): MigrationReport {
  return { migrated: 0, skipped: 0, conflictsRetried: 0, refused: 0, failed: 0, errors: [], complete: false };
}

function noteError(report: MigrationReport, id: string, code: string): void {
  if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ id, code });
  else report.errorsOmitted = (report.errorsOmitted ?? 0) + 1;
}

/**
 * Counts one record's outcome into `report` (in place) and returns it.
 * @throws never
 * @example
 * ```ts
 * addOutcome(report, await migrateObject({ client, bucket, key, config }));
 * ```
 */
export function addOutcome(report: MigrationReport, outcome: RecordOutcome): MigrationReport {
  report[outcome.outcome]++;
  report.conflictsRetried += outcome.conflictsRetried;
  if (outcome.outcome === 'refused' || outcome.outcome === 'failed') noteError(report, outcome.id, outcome.code ?? 'UNKNOWN');
  return report;
}

/**
 * Adds the counts of `part` (a segment's, a worker's) into `total` (in place) and returns it.
 * `complete`, `stopped` and `resumedFrom` stay the caller's to set.
 * @throws never
 * @example
 * ```ts
 * for (const part of parts) mergeReport(total, part);
 * ```
 */
export function mergeReport(total: MigrationReport, part: Readonly<MigrationReport>): MigrationReport {
  total.migrated += part.migrated;
  total.skipped += part.skipped;
  total.conflictsRetried += part.conflictsRetried;
  total.refused += part.refused;
  total.failed += part.failed;
  for (const e of part.errors) noteError(total, e.id, e.code);
  if (part.errorsOmitted) total.errorsOmitted = (total.errorsOmitted ?? 0) + part.errorsOmitted;
  for (const field of ['plaintextVersions', 'plaintextVersionsDeleted', 'kmsCalls', 'oldKeyVersions', 'oldKeyVersionsDeleted'] as const) {
    const n = part[field];
    if (n !== undefined) total[field] = (total[field] ?? 0) + n;
  }
  return total;
}

/**
 * Records this report counts (each record exactly once).
 * @throws never
 * @example
 * ```ts
 * if (recordsSeen(report) !== expected) throw new Error('lost records');
 * ```
 */
export function recordsSeen(report: Readonly<MigrationReport>): number {
  return report.migrated + report.skipped + report.refused + report.failed;
}
