import type { TableConfig } from '@phiseal/dynamodb';
import { rawDynamoClient, type DynamoClientLike } from './internal/dynamo-client.js';
import { describeFailure } from './internal/failure.js';
import { migrateStoredItem } from './internal/item-migration.js';
import type { StoredItem } from './internal/item-state.js';
import { readItem } from './internal/item-write.js';
import { recordId } from './internal/record-id.js';
import type { RecordIdOptions, RecordOutcome } from './types.js';

/**
 * Options of {@link migrateItem}.
 * @example
 * ```ts
 * const options: MigrateItemOptions = { client, table: patients, key: { patientId: { S: 'p-1' } }, id: 'batch-7/0' };
 * ```
 */
export type MigrateItemOptions = RecordIdOptions & {
  /** A plain DynamoDBClient (or DocumentClient); not one wrapped by `withEncryption`. */
  readonly client: DynamoClientLike;
  readonly table: TableConfig;
  /** The item's key in DynamoDB wire form (`{ pk: { S: '...' } }`). */
  readonly key: Record<string, unknown>;
  /** Position shown in the report (default `item`). */
  readonly id?: string;
  readonly dryRun?: boolean;
  readonly verifyEncrypted?: boolean;
  readonly maxConflictRetries?: number;
};

/**
 * The unit of work for one DynamoDB item named by key (a Distributed Map item, a Streams
 * record): reads it strongly consistently, and if it is plaintext encrypts it under `table`
 * and writes it back only if it is unchanged since the read (see `migrateTable`).
 * Never throws for the record: the outcome says what happened.
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` (a client wrapped by withEncryption).
 * @example
 * ```ts
 * const outcome = await migrateItem({ client, table: patients, key: { patientId: { S: 'p-1' } } });
 * if (outcome.outcome === 'failed' && outcome.retryable) retryLater();
 * ```
 */
export async function migrateItem(options: MigrateItemOptions): Promise<RecordOutcome> {
  const client = rawDynamoClient(options.client);
  const key = options.key as StoredItem;
  const id = recordId(options.id ?? 'item', JSON.stringify(key), options);
  let read: StoredItem | undefined;
  try {
    read = await readItem(client, options.table.tableName, key);
  } catch (error) {
    return { outcome: 'failed', id, conflictsRetried: 0, ...describeFailure(error) };
  }
  if (read === undefined) return { outcome: 'skipped', id, conflictsRetried: 0, code: 'GONE' };
  return migrateStoredItem(
    { client, table: options.table, dryRun: options.dryRun === true, verifyEncrypted: options.verifyEncrypted !== false, maxConflictRetries: options.maxConflictRetries ?? 10 },
    read,
    id,
  );
}
