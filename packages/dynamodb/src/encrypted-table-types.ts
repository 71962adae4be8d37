import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import type { TableConfig } from './table-config.js';
import type { DynamoDbClientLike } from './with-encryption.js';

/**
 * An item in DocumentClient form (plain JavaScript values).
 * @example
 * ```ts
 * const item: Item = { patientId: 'pt-1', name: 'Ada', allergies: new Set(['latex']) };
 * ```
 */
export type Item = Record<string, NativeAttributeValue>;

/**
 * A primary key in DocumentClient form.
 * @example
 * ```ts
 * const key: Key = { patientId: 'pt-1' };
 * ```
 */
export type Key = Record<string, NativeAttributeValue>;

/**
 * A condition on signed or plain attributes; naming an encrypted attribute (other than in
 * `attribute_exists` / `attribute_not_exists`) throws `UNSUPPORTED_OPERATION`.
 * @example
 * ```ts
 * const condition: Condition = { expression: '#v = :v', names: { '#v': 'version' }, values: { ':v': 3 } };
 * ```
 */
export type Condition = {
  readonly expression: string;
  readonly names?: Record<string, string>;
  readonly values?: Record<string, NativeAttributeValue>;
};

/**
 * Options of `encryptedTable`: a table configuration plus the client to send with.
 * @example
 * ```ts
 * const options: EncryptedTableOptions = { tableName: 'patients', partitionKey: 'patientId', envelope, client: new DynamoDBClient({}) };
 * ```
 */
export type EncryptedTableOptions = TableConfig & {
  /** A `DynamoDBClient` or `DynamoDBDocumentClient` (its marshalling options are kept). */
  readonly client: DynamoDbClientLike;
  /** Retries of unprocessed batch items: attempts (default 5) and first back-off in ms (default 50, doubling). */
  readonly retry?: { readonly attempts?: number; readonly baseDelayMs?: number };
};

/**
 * Query or scan parameters, without the table name.
 * @example
 * ```ts
 * const p: ReadParameters = { keyCondition: { expression: 'patientId = :p', values: { ':p': 'pt-1' } }, limit: 50 };
 * ```
 */
export type ReadParameters = {
  readonly index?: string;
  /** Key condition (query only), for example `pk = :pk AND begins_with(sk, :prefix)`. */
  readonly keyCondition?: Condition;
  /** Filter on signed or plain attributes; applied by DynamoDB before decryption. */
  readonly filter?: Condition;
  readonly limit?: number;
  readonly consistentRead?: boolean;
  readonly scanIndexForward?: boolean;
  readonly startKey?: Key;
};

/**
 * One page of a query or scan; pass `lastEvaluatedKey` as `startKey` for the next.
 * @example
 * ```ts
 * const { items, lastEvaluatedKey } = await patients.query(p);
 * ```
 */
export type Page = { readonly items: Item[]; readonly lastEvaluatedKey?: Key };

/**
 * One action of `transactWrite`.
 * @example
 * ```ts
 * const actions: TransactAction[] = [{ put: item }, { delete: { patientId: 'pt-2' } }];
 * ```
 */
export type TransactAction =
  | { readonly put: Item; readonly condition?: Condition }
  | { readonly delete: Key; readonly condition?: Condition }
  | { readonly conditionCheck: Key; readonly condition: Condition };

/**
 * Changes for `update`: new values, `undefined` to remove; or a function from the current
 * item (undefined when absent) to the new one.
 * @example
 * ```ts
 * await patients.update(key, { phone: '555-0100', fax: undefined });
 * await patients.update(key, (current) => ({ ...current!, visits: Number(current?.visits ?? 0) + 1 }));
 * ```
 */
export type Changes = Readonly<Record<string, NativeAttributeValue>> | ((current: Item | undefined) => Item);

/**
 * The operations of one encrypted table (see `encryptedTable`). Every method throws
 * `PhisealError` (`UNSUPPORTED_OPERATION`, `LIMIT_EXCEEDED`, `PHI_DETECTED`,
 * `DECRYPTION_FAILED`, `INVALID_ARGUMENT`, key-provider errors) or the AWS SDK's own errors
 * (for example `ConditionalCheckFailedException`).
 * @example
 * ```ts
 * const patients: EncryptedTable = encryptedTable({ tableName: 'patients', partitionKey: 'patientId', envelope, client });
 * ```
 */
export type EncryptedTable = {
  readonly tableName: string;
  /** Encrypts and writes an item; with `condition`, only if it holds. Returns the previous item when `returnOld`. */
  put(item: Item, options?: { condition?: Condition; returnOld?: boolean }): Promise<Item | undefined>;
  /** Reads, verifies and decrypts one item. */
  get(key: Key, options?: { consistentRead?: boolean }): Promise<Item | undefined>;
  /** Deletes one item; returns it (decrypted) when `returnOld`. */
  delete(key: Key, options?: { condition?: Condition; returnOld?: boolean }): Promise<Item | undefined>;
  /** One page of a query. */
  query(parameters: ReadParameters): Promise<Page>;
  /** Every page of a query, lazily. */
  queryPages(parameters: ReadParameters): AsyncGenerator<Page>;
  /** All items of a query. */
  queryAll(parameters: ReadParameters): Promise<Item[]>;
  /** One page of a scan. */
  scan(parameters?: ReadParameters): Promise<Page>;
  /** Every page of a scan, lazily. */
  scanPages(parameters?: ReadParameters): AsyncGenerator<Page>;
  /** Reads many items (any number; sent 100 at a time, unprocessed keys retried). */
  batchGet(keys: readonly Key[]): Promise<{ items: Item[]; unprocessedKeys: Key[] }>;
  /** Writes and deletes many items (sent 25 at a time, unprocessed requests retried). */
  batchWrite(requests: { put?: readonly Item[]; delete?: readonly Key[] }): Promise<{ unprocessedPuts: Item[]; unprocessedDeletes: Key[] }>;
  /** Reads up to 100 items atomically. */
  transactGet(keys: readonly Key[]): Promise<(Item | undefined)[]>;
  /** Writes up to 100 actions atomically. */
  transactWrite(actions: readonly TransactAction[]): Promise<void>;
  /** Read, modify, conditional put on the version attribute (retried on a concurrent change up to 3 times). */
  update(key: Key, changes: Changes): Promise<Item>;
  /**
   * Items whose beacon matches `value`, read through `index`, with false positives dropped after
   * decryption. `keyId`: the tenant's branch key id with a multi-tenant beacon key source.
   */
  queryByBeacon(
    name: string,
    value: string | number | Readonly<Record<string, string | number>>,
    options: { index: string; consistentRead?: boolean; keyId?: string },
  ): Promise<Item[]>;
};
