import { enforceSecureTransport, PhisealError, type AwsClientLike } from '@phiseal/core';
import { installMiddleware, type StackLike } from './internal/middleware.js';
import type { TableMap } from './internal/request-transform.js';
import { resolveTable, type ResolvedTable } from './internal/resolve-table.js';
import type { TableConfig } from './table-config.js';

/**
 * A `DynamoDBClient` or a `DynamoDBDocumentClient` (anything with an SDK v3 middleware stack).
 * @example
 * ```ts
 * const client: DynamoDbClientLike = DynamoDBDocumentClient.from(new DynamoDBClient({}));
 * ```
 */
export type DynamoDbClientLike = { readonly middlewareStack: unknown };

/**
 * Options of {@link withEncryption}.
 * @example
 * ```ts
 * const options: WithEncryptionOptions = { tables: { patients: { tableName: 'patients', partitionKey: 'patientId', envelope } } };
 * ```
 */
export type WithEncryptionOptions = {
  /** Configured tables by table name; requests on other tables pass through untouched. */
  readonly tables: Readonly<Record<string, TableConfig>>;
};

/**
 * @internal Resolves a tables option into a map, checking that keys match table names.
 * @throws PhisealError INVALID_CONFIGURATION, PHI_DETECTED.
 * @example
 * ```ts
 * const tables = resolveTables({ patients: config });
 * ```
 */
export function resolveTables(tables: Readonly<Record<string, TableConfig>>): TableMap {
  if (typeof tables !== 'object' || tables === null) throw new PhisealError('INVALID_CONFIGURATION', 'withEncryption needs { tables }.');
  const map = new Map<string, ResolvedTable>();
  for (const [name, config] of Object.entries(tables)) {
    const t = resolveTable(config);
    if (t.tableName !== name) {
      throw new PhisealError('INVALID_CONFIGURATION', 'Each key of `tables` must equal the tableName of its configuration.');
    }
    map.set(name, t);
  }
  return map;
}

/**
 * Makes an existing client encrypt, sign and verify items of the configured tables, keeping
 * your code: PutCommand, GetCommand, DeleteCommand, QueryCommand, ScanCommand,
 * BatchGetCommand, BatchWriteCommand, TransactGetCommand, TransactWriteCommand (and their
 * low-level `*ItemCommand` forms), including returned `Attributes`, work as before. Adds
 * middleware to the client's stack — shared by a `DynamoDBDocumentClient` and the
 * `DynamoDBClient` it wraps, so either may be passed — and returns the same client.
 * Calling it again replaces the table set. Also refuses plain-http endpoints that are not
 * loopback.
 *
 * Requests that cannot be done safely fail with `UNSUPPORTED_OPERATION` before anything
 * is sent (see the README).
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION`, `PHI_DETECTED` (a configured name),
 * `INSECURE_ENDPOINT`. Requests then throw `UNSUPPORTED_OPERATION`, `LIMIT_EXCEEDED`,
 * `PHI_DETECTED`, `DECRYPTION_FAILED` and key-provider errors.
 * @example
 * ```ts
 * const doc = withEncryption(DynamoDBDocumentClient.from(new DynamoDBClient({})), {
 *   tables: { patients: { tableName: 'patients', partitionKey: 'patientId', envelope } },
 * });
 * await doc.send(new PutCommand({ TableName: 'patients', Item: { patientId: 'p-1', name: 'Ada' } }));
 * ```
 */
export function withEncryption<C extends DynamoDbClientLike>(client: C, options: WithEncryptionOptions): C {
  const tables = resolveTables(options?.tables);
  enforceSecureTransport(client as unknown as AwsClientLike, 'dynamodb');
  installMiddleware(client.middlewareStack as StackLike, tables, true);
  return client;
}
