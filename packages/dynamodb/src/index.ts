/**
 * Client-side encrypted and signed DynamoDB items for PHI: per-attribute encryption with
 * keys derived from one cached envelope data key, one tag over the table name, primary key
 * and every signed attribute, searchable beacons, and an integration that keeps the
 * DocumentClient code you have.
 *
 * @example
 * ```ts
 * import { withEncryption } from '@phiseal/dynamodb';
 * const doc = withEncryption(DynamoDBDocumentClient.from(new DynamoDBClient({})), {
 *   tables: { patients: { tableName: 'patients', partitionKey: 'patientId', envelope } },
 * });
 * ```
 *
 * @packageDocumentation
 * @module @phiseal/dynamodb
 */
export { withEncryption } from './with-encryption.js';
export { encryptedTable } from './encrypted-table.js';
export { encryptItem, decryptItem } from './encrypt-item.js';
export { createBeaconKey } from './beacon-key.js';
export { computeBeacon } from './compute-beacon.js';

export type { TableConfig, AttributeAction, BeaconConfig } from './table-config.js';
export type { WithEncryptionOptions, DynamoDbClientLike } from './with-encryption.js';
export type {
  EncryptedTable,
  EncryptedTableOptions,
  Item,
  Key,
  Condition,
  ReadParameters,
  Page,
  TransactAction,
  Changes,
} from './encrypted-table-types.js';

// Re-exported so callers can branch on errors without importing @phiseal/core.
export { PhisealError } from '@phiseal/core';
export type { PhisealErrorCode } from '@phiseal/core';
