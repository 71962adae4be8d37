import type { KeyStore, KeyStoreOptions } from './key-store-types.js';
import { createKeyStoreTable } from './internal/create-table.js';
import { audited } from './internal/audited.js';
import { activeBranchKey, beaconKey, branchKeyVersion, createKey, destroyKey, versionKey } from './internal/key-operations.js';
import { listBranchKeys } from './internal/list-keys.js';
import { openStore } from './internal/open-store.js';

/**
 * Opens a branch key store: the DynamoDB table and KMS key of the AWS hierarchical keyring,
 * shared with the Python, Java, .NET and JavaScript SDKs.
 *
 * @throws {@link PhisealError} `INVALID_CONFIGURATION` (bad names, an alias for the KMS key),
 * `PHI_DETECTED` (table or logical name), `INSECURE_ENDPOINT`.
 * @example
 * ```ts
 * const keyStore = createKeyStore({
 *   tableName: 'phiseal-keys', ddbClient: new DynamoDBClient({}), kmsClient: new KMSClient({}),
 *   kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
 * });
 * await keyStore.createKeyStoreTable();
 * const { branchKeyId } = await keyStore.createKey();
 * ```
 */
export function createKeyStore(options: KeyStoreOptions): KeyStore {
  const ctx = openStore(options);
  const listeners = new Set<(id: string) => void>();
  const changed = (id: string): void => listeners.forEach((l) => l(id));
  return {
    tableName: ctx.tableName,
    logicalKeyStoreName: ctx.logicalKeyStoreName,
    kmsKeyArn: ctx.kmsKeyArn,
    guard: ctx.guard,
    emitAudit: ctx.emit,
    createKeyStoreTable: () => audited(ctx, 'keystore.createTable', {}, () => createKeyStoreTable(ctx)),
    createKey: (input = {}) => createKey(ctx, input),
    async versionKey(branchKeyId) {
      changed(await versionKey(ctx, branchKeyId));
    },
    getActiveBranchKey: (branchKeyId) => activeBranchKey(ctx, branchKeyId),
    getBranchKeyVersion: (branchKeyId, version) => branchKeyVersion(ctx, branchKeyId, version),
    getBeaconKey: (branchKeyId) => beaconKey(ctx, branchKeyId),
    listBranchKeys: () => listBranchKeys(ctx),
    async destroy(branchKeyId, confirmation) {
      const out = await destroyKey(ctx, branchKeyId, confirmation);
      changed(branchKeyId);
      return out;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
