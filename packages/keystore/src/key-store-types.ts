import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { Guard, PhisealErrorCode } from '@phiseal/core';

/**
 * Options of {@link createKeyStore}.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
 * import { KMSClient } from '@aws-sdk/client-kms';
 * import { createKeyStore, type KeyStoreOptions } from '@phiseal/keystore';
 * const options: KeyStoreOptions = {
 *   tableName: process.env.KEYSTORE_TABLE,
 *   ddbClient: new DynamoDBClient({}),
 *   kmsClient: new KMSClient({}),
 *   kmsKeyArn: process.env.KEYSTORE_KMS_KEY_ARN,
 *   audit: (event) => console.log(event.operation, event.branchKeyId, event.outcome),
 * };
 * const keyStore = createKeyStore(options);
 * ```
 */
export type KeyStoreOptions = {
  /**
   * The DynamoDB table holding the branch keys (branch-key-store.md §Table). `undefined` is
   * accepted so that `process.env.X` type-checks; it is refused with `INVALID_CONFIGURATION`.
   */
  tableName: string | undefined;
  /**
   * Bound into every branch key's KMS encryption context as `tablename`; every reader of the
   * store must use the same value. Default: `tableName` (what the AWS examples use).
   */
  logicalKeyStoreName?: string | undefined;
  /** Your DynamoDB client. */
  ddbClient: DynamoDBClient;
  /** Your KMS client. */
  kmsClient: KMSClient;
  /** The KMS key (a key ARN, not an alias) that wraps every branch key of this store; `undefined` is refused (`INVALID_CONFIGURATION`). */
  kmsKeyArn: string | undefined;
  /** Checks branch key ids and key-store context for PHI. Default: `createGuard()`. `false` turns it off. */
  guard?: Guard | false;
  /** Receives one value-free event per key-store operation. Must not throw; errors are ignored. */
  audit?: (event: KeyStoreAuditEvent) => void;
};

/**
 * A decrypted branch key. The caller owns `key` and should zeroize it after use.
 *
 * @example
 * ```ts
 * import type { BranchKeyMaterials } from '@phiseal/keystore';
 * const branchKey: BranchKeyMaterials = await keyStore.getActiveBranchKey('tenant-0042');
 * console.log(branchKey.branchKeyVersion, branchKey.encryptionContext);
 * branchKey.key.fill(0);
 * ```
 */
export type BranchKeyMaterials = {
  branchKeyId: string;
  /** The version (a UUID) this key is. */
  branchKeyVersion: string;
  /** 32 bytes. */
  key: Uint8Array;
  /** The custom encryption context given to `createKey` (without the `aws-crypto-ec:` prefix). */
  encryptionContext: Record<string, string>;
};

/**
 * A decrypted beacon key (for searchable encryption). The caller owns `key`.
 *
 * @example
 * ```ts
 * import type { BeaconKeyMaterials } from '@phiseal/keystore';
 * const beaconKey: BeaconKeyMaterials = await keyStore.getBeaconKey('tenant-0042');
 * // ... derive beacons with beaconKey.key ...
 * beaconKey.key.fill(0);
 * ```
 */
export type BeaconKeyMaterials = {
  beaconKeyId: string;
  /** 32 bytes. */
  key: Uint8Array;
  encryptionContext: Record<string, string>;
};

/**
 * One branch key as listed by {@link KeyStore.listBranchKeys}; nothing is decrypted.
 *
 * @example
 * ```ts
 * import type { BranchKeySummary } from '@phiseal/keystore';
 * const summaries: BranchKeySummary[] = await keyStore.listBranchKeys();
 * for (const { branchKeyId, activeVersion, versions } of summaries) {
 *   console.log(branchKeyId, activeVersion, `${versions.length} version(s)`);
 * }
 * ```
 */
export type BranchKeySummary = {
  branchKeyId: string;
  /** The active version, when the active record exists. */
  activeVersion: string | undefined;
  /** Every version record, active one included. */
  versions: string[];
  hasBeaconKey: boolean;
};

/**
 * Key-store operations named in audit events.
 *
 * @example
 * ```ts
 * import type { KeyStoreOperation } from '@phiseal/keystore';
 * // Operations that call KMS Decrypt on a branch key.
 * const kmsReads: KeyStoreOperation[] = ['keystore.getActiveBranchKey', 'keystore.getBranchKeyVersion', 'keystore.getBeaconKey'];
 * ```
 */
export type KeyStoreOperation =
  | 'keystore.createTable'
  | 'keystore.createKey'
  | 'keystore.versionKey'
  | 'keystore.getActiveBranchKey'
  | 'keystore.getBranchKeyVersion'
  | 'keystore.getBeaconKey'
  | 'keystore.destroy'
  | 'hierarchy.generate'
  | 'hierarchy.unwrap';

/**
 * One audit record of the key store or the hierarchical provider. Names the branch key
 * id and version (which the guard has checked for PHI when the key was made), never key
 * bytes or encryption-context values.
 *
 * @example
 * ```ts
 * import { createKeyStore, type KeyStoreAuditEvent } from '@phiseal/keystore';
 * const audit = (event: KeyStoreAuditEvent): void => {
 *   if (event.outcome === 'failure') console.error(event.operation, event.branchKeyId, event.errorCode);
 * };
 * const keyStore = createKeyStore({ tableName, ddbClient, kmsClient, kmsKeyArn, audit });
 * ```
 */
export type KeyStoreAuditEvent = {
  operation: KeyStoreOperation;
  /** Milliseconds since the epoch. */
  time: number;
  tableName: string;
  branchKeyId?: string;
  branchKeyVersion?: string;
  /** For the provider's operations: whether the branch key came from its cache. */
  cacheHit?: boolean;
  /** For `keystore.destroy`: items deleted. */
  deletedItems?: number;
  outcome: 'success' | 'failure';
  errorCode?: PhisealErrorCode | (string & {});
};

/**
 * What {@link KeyStore.createKeyStoreTable} did.
 *
 * @example
 * ```ts
 * import type { CreateTableResult } from '@phiseal/keystore';
 * const { created, tableArn }: CreateTableResult = await keyStore.createKeyStoreTable();
 * console.log(created ? `created ${tableArn}` : 'table already there, key schema verified');
 * ```
 */
export type CreateTableResult = { tableArn: string | undefined; created: boolean };

/**
 * Confirmation for {@link KeyStore.destroy}: the branch key id typed again.
 *
 * @example
 * ```ts
 * import type { DestroyConfirmation } from '@phiseal/keystore';
 * // Crypto-shredding: every record of tenant-0042's branch key is deleted.
 * const confirmation: DestroyConfirmation = { confirm: 'tenant-0042' };
 * const { deletedItems } = await keyStore.destroy('tenant-0042', confirmation);
 * ```
 */
export type DestroyConfirmation = { confirm: string };

/**
 * A branch key store on DynamoDB and KMS, wire-compatible with the AWS Cryptographic
 * Material Providers Library (Python, Java, .NET, Rust, Go) and the JavaScript Encryption
 * SDK's `@aws-crypto/branch-keystore-node`. Made by {@link createKeyStore}.
 *
 * @example
 * ```ts
 * import { createKeyStore, type KeyStore } from '@phiseal/keystore';
 * const keyStore: KeyStore = createKeyStore({ tableName: 'branch-keys', ddbClient, kmsClient, kmsKeyArn });
 * await keyStore.createKeyStoreTable();
 * const { branchKeyId } = await keyStore.createKey({ encryptionContext: { department: 'cardiology' } });
 * await keyStore.versionKey(branchKeyId); // rotate; old versions stay readable
 * ```
 */
export type KeyStore = {
  readonly tableName: string;
  readonly logicalKeyStoreName: string;
  readonly kmsKeyArn: string;
  /** The guard this store checks ids and contexts with (providers on the store use it too). */
  readonly guard: Guard;
  /** Sends an event to this store's audit sink (used by providers on the store). Never throws. */
  emitAudit(event: Omit<KeyStoreAuditEvent, 'time' | 'tableName'>): void;
  /**
   * Creates the table (partition key `branch-key-id` S, sort key `type` S, on demand) or
   * verifies an existing one has that key schema.
   * @throws {@link PhisealError} `INVALID_CONFIGURATION` for a table with another key schema.
   */
  createKeyStoreTable(): Promise<CreateTableResult>;
  /**
   * Creates a branch key (its first version, active record and beacon key).
   * @throws {@link PhisealError} `PHI_DETECTED`, `INVALID_ARGUMENT`, `KMS_KEY_UNUSABLE`, `KMS_UNAVAILABLE`.
   */
  createKey(input?: { branchKeyId?: string; encryptionContext?: Record<string, string> }): Promise<{ branchKeyId: string }>;
  /**
   * Rotates: a new active version; every old version stays readable.
   * @throws {@link PhisealError} `BRANCH_KEY_NOT_FOUND`, `KMS_KEY_UNUSABLE`, `KMS_UNAVAILABLE`.
   */
  versionKey(branchKeyId: string): Promise<void>;
  /** @throws {@link PhisealError} `BRANCH_KEY_NOT_FOUND`, `KEYSTORE_RECORD_INVALID`, `KEY_NOT_ALLOWED`, `KMS_*`. */
  getActiveBranchKey(branchKeyId: string): Promise<BranchKeyMaterials>;
  /** @throws {@link PhisealError} as {@link KeyStore.getActiveBranchKey}. */
  getBranchKeyVersion(branchKeyId: string, branchKeyVersion: string): Promise<BranchKeyMaterials>;
  /** @throws {@link PhisealError} as {@link KeyStore.getActiveBranchKey}. */
  getBeaconKey(branchKeyId: string): Promise<BeaconKeyMaterials>;
  /** Lists branch keys from the table's key attributes; decrypts nothing, calls no KMS. */
  listBranchKeys(): Promise<BranchKeySummary[]>;
  /**
   * Crypto-shredding: deletes every record of the branch key (active, all versions,
   * beacon). Refuses unless `confirmation.confirm` repeats the branch key id.
   * @throws {@link PhisealError} `INVALID_ARGUMENT` without the confirmation.
   */
  destroy(branchKeyId: string, confirmation: DestroyConfirmation): Promise<{ deletedItems: number }>;
  /**
   * Called by this store after {@link KeyStore.destroy} and {@link KeyStore.versionKey}
   * with the branch key id, so providers in this process drop their cached copies at once.
   * Returns the function that unsubscribes.
   */
  onChange(listener: (branchKeyId: string) => void): () => void;
};
