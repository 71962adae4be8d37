/**
 * Per-tenant keys for phiseal: the AWS branch key store (DynamoDB + one KMS key) and the
 * hierarchical keyring as a phiseal key provider, wire-compatible with the AWS
 * Cryptographic Material Providers Library and the Encryption SDKs. Crypto-shredding by
 * deleting a tenant's branch key.
 *
 * @example
 * ```ts
 * import { createKeyStore, HierarchicalKeyProvider } from '@phiseal/keystore';
 * const keyStore = createKeyStore({ tableName: 'keys', ddbClient, kmsClient, kmsKeyArn });
 * const { branchKeyId } = await keyStore.createKey();
 * const envelope = createEnvelope({ keys: new HierarchicalKeyProvider({ keyStore, branchKeyId }) });
 * ```
 *
 * @packageDocumentation
 * @module @phiseal/keystore
 */
export { createKeyStore } from './key-store.js';
export { HierarchicalKeyProvider } from './hierarchical-key-provider.js';
export { PhisealError } from '@phiseal/core';

export type {
  BeaconKeyMaterials,
  BranchKeyMaterials,
  BranchKeySummary,
  CreateTableResult,
  DestroyConfirmation,
  KeyStore,
  KeyStoreAuditEvent,
  KeyStoreOperation,
  KeyStoreOptions,
} from './key-store-types.js';
export type { HierarchicalCacheOptions, HierarchicalKeySource } from './hierarchical-key-provider.js';
export type { BranchKeyCacheStats } from './internal/branch-key-cache.js';
export type { PhisealErrorCode } from '@phiseal/core';
