import { enforceSecureTransport, PhisealError, type AwsClientLike } from '@phiseal/core';
import { installMiddleware, type StackLike } from './internal/middleware.js';
import { resolveTable, type ResolvedTable } from './internal/resolve-table.js';
import { parseTableArn } from './internal/table-arn.js';
import { regionProvider, tableLookup, type ClientScope, type TableMap } from './internal/table-lookup.js';
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
  /**
   * Configured tables, keyed by table name or by table ARN
   * (`arn:aws:dynamodb:us-east-1:111122223333:table/patients`; an ARN key pins the region and
   * account). Requests name a configured table by name or ARN alike; requests on other tables
   * pass through untouched.
   */
  readonly tables: Readonly<Record<string, TableConfig>>;
  /**
   * The 12-digit account of tables keyed by name, so that requests naming them by ARN can be
   * checked. Without it (or an ARN key), a request naming a configured table by ARN is refused
   * with `UNSUPPORTED_OPERATION` rather than guessed to be this account's.
   */
  readonly accountId?: string;
};

/**
 * @internal Resolves a tables option into a map, checking that keys match table names.
 * @throws PhisealError INVALID_CONFIGURATION, PHI_DETECTED.
 * @example
 * ```ts
 * const tables = resolveTables({ patients: config });
 * ```
 */
export function resolveTables(tables: Readonly<Record<string, TableConfig>>, scope: ClientScope = {}): TableMap {
  if (typeof tables !== 'object' || tables === null) throw new PhisealError('INVALID_CONFIGURATION', 'withEncryption needs { tables }.');
  const entries: [string, ResolvedTable][] = [];
  const names = new Set<string>();
  for (const [key, config] of Object.entries(tables)) {
    const t = resolveTable(config);
    const arn = parseTableArn(key);
    if (t.tableName !== key && (arn === undefined || arn.table !== t.tableName || arn.resource !== undefined)) {
      throw new PhisealError('INVALID_CONFIGURATION', 'Each key of `tables` must be the tableName of its configuration or that table\'s ARN.');
    }
    if (names.has(t.tableName)) throw new PhisealError('INVALID_CONFIGURATION', 'A table is configured twice (by name and by ARN).');
    names.add(t.tableName);
    entries.push([key, t]);
  }
  return tableLookup(entries, scope);
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
 * is sent (see the README). A configured table is recognised by name and by ARN in every
 * command; an ARN of a configured table in another region, account or partition than this
 * client's, an index or stream ARN in a table field, or an ARN whose account cannot be
 * checked (no ARN key, no `accountId`) is refused the same way, never sent in the clear.
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
  const accountId = options?.accountId;
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) {
    throw new PhisealError('INVALID_CONFIGURATION', 'accountId must be a 12-digit AWS account id.');
  }
  const tables = resolveTables(options?.tables, { region: regionProvider(client), accountId });
  enforceSecureTransport(client as unknown as AwsClientLike, 'dynamodb');
  installMiddleware(client.middlewareStack as StackLike, tables, true);
  return client;
}
