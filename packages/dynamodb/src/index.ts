/**
 * Client-side encrypted and signed DynamoDB items for PHI in the AWS Database Encryption SDK
 * item format (aws_dbe_head / aws_dbe_foot / aws_dbe_b_*): items written here are read by the
 * Java DB-ESDK and the other way round. Per-attribute actions, searchable beacons, PHI guards
 * on names and key values, refusal of unsafe operations, and an integration that keeps the
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
export { rewrapItem } from './rewrap-item.js';
export { computeBeacon } from './compute-beacon.js';
export { itemState } from './item-state.js';

export type { TableConfig, AttributeAction } from './table-config.js';
export type { RewrapItemOptions } from './rewrap-item.js';
export type {
  BeaconConfig,
  BeaconKeyStore,
  BeaconStyle,
  CompoundBeacon,
  Constructor,
  ConstructorPart,
  EncryptedPart,
  SignedPart,
  StandardBeacon,
  TerminalLocation,
  VirtualField,
  VirtualPart,
  VirtualTransform,
} from './beacon-config.js';
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
export type { PhisealErrorCode, PlaintextPolicy, RecordState } from '@phiseal/core';
