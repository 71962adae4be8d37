import type { KeyProvider } from '@phiseal/core';
import { checkpointStore } from './internal/checkpoint-store.js';
import { rawDynamoClient } from './internal/dynamo-client.js';
import { PhisealError } from '@phiseal/core';
import { rewrapKeys, type RewrapTableConfig } from './internal/rewrap-run.js';
import { runTable, segmentTask } from './internal/table-run.js';
import { rewrapSegmentWith } from './rewrap-scan-segment.js';
import type { TableRunOptions } from './table-run-options.js';
import type { MigrationReport } from './types.js';

/**
 * Options of {@link rewrapTable}: the run's (see {@link TableRunOptions}), the table and both keys.
 * A dry run verifies and re-keys in memory and writes nothing (`migrated` counts what would be
 * re-keyed); the checkpoint is sealed under `to`.
 * @example
 * ```ts
 * const options: RewrapTableOptions = { client, table: patients, from: oldKeys, to: newKeys, segments: 8, checkpoint: './rekey.ckpt' };
 * ```
 */
export type RewrapTableOptions = TableRunOptions & {
  /** The table's configuration as the application uses it; `envelope` is optional (its guard and audit sink are used). */
  readonly table: RewrapTableConfig;
  /** The key provider items are wrapped under now (the old KMS key, branch key version or tenant key). */
  readonly from: KeyProvider;
  /** The key provider items are wrapped under afterwards. */
  readonly to: KeyProvider;
};

/**
 * Key rotation for a DynamoDB table in the DB-ESDK item format: every item whose data key is
 * wrapped under `from` gets a new header and footer with the data key wrapped under `to` (see
 * `rewrapItem` of @phiseal/dynamodb: the attribute ciphertexts are not re-encrypted), written
 * back only if the item is unchanged since it was read, so a write the application makes
 * meanwhile wins (on a conflict the item is re-read and decided again). Items already under
 * `to` are verified and skipped (`REWRAPPED`), plaintext items skipped (`PLAINTEXT`: encrypt
 * them with `migrateTable`), items under neither key reported failed (`KEY_NOT_ALLOWED`),
 * tampered ones failed (`DECRYPTION_FAILED`); none of those is written. Parallel Scan segments,
 * checkpoints, dry run, rate and KMS budget work as in `migrateTable`; `migrated` counts the
 * items re-keyed. When `to` implements `isCurrent` (a `HierarchicalKeyProvider`), "already under
 * `to`" means at its current version, and `from` and `to` may be the same provider: items under
 * older branch key versions are re-keyed to the active one (docs/migrate.md "Rotating keys").
 *
 * @throws {@link PhisealError} `INVALID_ARGUMENT` (bad options, `from` and `to` the same key
 * without `isCurrent`, a
 * checkpoint of another run), `INVALID_CONFIGURATION` (a client wrapped by withEncryption, not a
 * key provider); a
 * failed Scan reaches you as the SDK's error after the checkpoint is saved.
 * @example
 * ```ts
 * const report = await rewrapTable({
 *   client: new DynamoDBClient({}), table: patients,
 *   from: new KmsKeyProvider({ keyId: oldKeyArn }), to: new KmsKeyProvider({ keyId: newKeyArn }),
 *   segments: 8, checkpoint: './patients-rekey.ckpt',
 * });
 * if (!report.complete || report.failed > 0) console.error(report.errors);
 * ```
 */
export async function rewrapTable(options: RewrapTableOptions): Promise<MigrationReport> {
  const { table } = options;
  if (typeof table !== 'object' || table === null) throw new PhisealError('INVALID_CONFIGURATION', 'rewrapTable needs `table`: the table configuration.');
  const client = rawDynamoClient(options.client);
  const keys = rewrapKeys(table, options.from, options.to);
  const { maxKmsCalls } = options;
  if (maxKmsCalls !== undefined && !(Number.isInteger(maxKmsCalls) && maxKmsCalls >= 0)) throw new PhisealError('INVALID_ARGUMENT', 'maxKmsCalls must be a whole number.');
  const used = (): number => keys.kmsCalls() + (options.kmsCallsElsewhere?.() ?? 0);
  const run = { ...keys.run, client, dryRun: options.dryRun === true, maxConflictRetries: options.maxConflictRetries ?? 10 };
  try {
    return await runTable({
      ...options,
      client,
      tableName: table.tableName,
      // Bound to the table and both keys: a checkpoint of another rotation is refused, not resumed.
      store: options.checkpoint === undefined ? undefined : checkpointStore(options.checkpoint, keys.sealing, 'dynamodb-rewrap', `${table.tableName}\n${options.from.id}\n${options.to.id}`, client),
      budgetExceeded: () => maxKmsCalls !== undefined && used() >= maxKmsCalls,
      kmsCallsUsed: used,
      runSegment: async (task, limiter) => void (await rewrapSegmentWith(run, { ...options, ...segmentTask(task, limiter) })),
    });
  } finally {
    keys.destroy();
  }
}
