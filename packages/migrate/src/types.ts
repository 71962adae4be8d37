/**
 * What happened to one record (a DynamoDB item or an S3 object):
 * - `migrated`: it was plaintext and is now encrypted (in a dry run: it would have been);
 * - `skipped`: nothing to do (already encrypted and verified, an instruction file, gone);
 * - `refused`: the guard refused a surface that stays in the clear (a key value, an attribute
 *   name, a metadata value): migration cannot fix that, the record is left untouched;
 * - `failed`: the record could not be migrated (tampered, a failed request, conflicts that
 *   did not settle); it is left as it was. `retryable` says whether a later run may succeed.
 * @example
 * ```ts
 * const kind: OutcomeKind = 'migrated';
 * ```
 */
export type OutcomeKind = 'migrated' | 'skipped' | 'refused' | 'failed';

/**
 * The outcome of one unit of work (`migrateObject`, {@link migrateItem}). Holds no value
 * of the record: `id` is a position or a keyed digest (see {@link RecordIdOptions}), `code` a
 * reason code.
 * @example
 * ```ts
 * const outcome: RecordOutcome = { outcome: 'refused', id: 'seg-0/item-12', conflictsRetried: 0, code: 'PHI_DETECTED', retryable: false };
 * ```
 */
export type RecordOutcome = {
  readonly outcome: OutcomeKind;
  /** Value-free record id (see {@link RecordIdOptions}). */
  readonly id: string;
  /** Times the conditional write found the record changed since it was read, re-read and retried. */
  readonly conflictsRetried: number;
  /**
   * Why, for every outcome but `migrated`: a `PhisealError` code (`PHI_DETECTED`,
   * `DECRYPTION_FAILED`, ...), an AWS error name (`ThrottlingException`, ...), or one of
   * `ENCRYPTED` (skipped: already in the format), `INSTRUCTION_FILE` (skipped: an S3EC
   * instruction file), `GONE` (skipped: deleted since it was listed), `CONFLICT` (failed: still
   * changing after the retries).
   */
  readonly code?: string;
  /** For `failed`: whether the same record may succeed on a later run. */
  readonly retryable?: boolean;
};

/**
 * Counts and reasons of a migration run. `migrated + skipped + refused + failed` is the
 * number of records this run looked at; a resumed run counts only its own work and names
 * its checkpoint in `resumedFrom`.
 * @example
 * ```ts
 * const report: MigrationReport = { migrated: 10, skipped: 2, conflictsRetried: 1, refused: 0, failed: 0, errors: [], complete: true };
 * ```
 */
export type MigrationReport = {
  migrated: number;
  skipped: number;
  conflictsRetried: number;
  refused: number;
  failed: number;
  /** One entry per refused or failed record (at most {@link MAX_REPORTED_ERRORS}; ids hold no PHI). */
  errors: Array<{ id: string; code: string }>;
  /** Refused or failed records beyond the first {@link MAX_REPORTED_ERRORS} (counted, not listed). */
  errorsOmitted?: number;
  /** true when every record was visited; false after a stop (signal, KMS budget, a lost worker): resume from the checkpoint. */
  complete: boolean;
  /** Why the run stopped before the end. */
  stopped?: 'interrupted' | 'kms-budget' | 'worker-lost';
  /** The checkpoint this run resumed from (its path or table name), when it resumed. */
  resumedFrom?: string;
  /** Set on a dry run: `migrated` counts records that would have been migrated; nothing was written. */
  dryRun?: true;
  /** S3, versioned buckets: noncurrent plaintext versions found after migration (and `plaintextVersionsDeleted` of them removed). */
  plaintextVersions?: number;
  plaintextVersionsDeleted?: number;
  /**
   * KMS calls (GenerateDataKey + Decrypt) this run made, in every process (the CLI's worker
   * processes included): what `maxKmsCalls` is counted against. Set by `migrateTable` and `migrateBucket`.
   */
  kmsCalls?: number;
  /**
   * S3 key rotation, versioned buckets: versions the rotation replaced (each keeps the old
   * wrapping: the copy or the new instruction file is a new version), and `oldKeyVersionsDeleted`
   * of them removed (`deleteReplacedVersions`).
   */
  oldKeyVersions?: number;
  oldKeyVersionsDeleted?: number;
};

/**
 * At most this many `errors` entries are kept in a report.
 *
 * @example
 * ```ts
 * import { MAX_REPORTED_ERRORS, migrateTable } from '@phiseal/migrate';
 * const report = await migrateTable({ client, table: patients, segments: 8 });
 * if (report.errorsOmitted) console.warn(`${report.refused + report.failed} refused or failed; the first ${MAX_REPORTED_ERRORS} are listed`);
 * ```
 */
export const MAX_REPORTED_ERRORS = 1000;

/**
 * How record ids in reports are formed. By default an id is a position (`seg-3/item-17`,
 * `obj-1204`): it holds nothing of the record, but is only meaningful for this run's listing.
 * With `idKey` (at least 16 random bytes the operator keeps), the id is also
 * `hmac:<first 16 hex of HMAC-SHA256(idKey, key)>`: stable across runs, and whoever holds
 * `idKey` can test a suspected key against it, while a reader of the report cannot (a plain
 * hash of a low-entropy key such as a medical record number could be brute-forced).
 * @example
 * ```ts
 * const ids: RecordIdOptions = { idKey: crypto.randomBytes(32) };
 * ```
 */
export type RecordIdOptions = { readonly idKey?: Uint8Array };

/**
 * Progress of a run, for a progress bar: records done so far and, when known, the total
 * (DynamoDB: the table's approximate item count; S3 manifests: the manifest's rows).
 * @example
 * ```ts
 * const onProgress = (p: MigrationProgress) => process.stderr.write(`${p.done}/${p.total ?? '?'}\r`);
 * ```
 */
export type MigrationProgress = {
  readonly done: number;
  readonly total?: number;
  /** Seconds to go at the rate so far, when the total is known. */
  readonly etaSeconds?: number;
  readonly report: Readonly<MigrationReport>;
};
