import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { Guard, PhisealErrorCode } from '@phiseal/core';

/** Options of {@link createKeyStore}. */
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

/** A decrypted branch key. The caller owns `key` and should zeroize it after use. */
export type BranchKeyMaterials = {
  branchKeyId: string;
  /** The version (a UUID) this key is. */
  branchKeyVersion: string;
  /** 32 bytes. */
  key: Uint8Array;
  /** The custom encryption context given to `createKey` (without the `aws-crypto-ec:` prefix). */
  encryptionContext: Record<string, string>;
};

/** A decrypted beacon key (for searchable encryption). The caller owns `key`. */
export type BeaconKeyMaterials = {
  beaconKeyId: string;
  /** 32 bytes. */
  key: Uint8Array;
  encryptionContext: Record<string, string>;
};

/** One branch key as listed by {@link KeyStore.listBranchKeys}; nothing is decrypted. */
export type BranchKeySummary = {
  branchKeyId: string;
  /** The active version, when the active record exists. */
  activeVersion: string | undefined;
  /** Every version record, active one included. */
  versions: string[];
  hasBeaconKey: boolean;
};

/** Key-store operations named in audit events. */
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

/** What {@link KeyStore.createKeyStoreTable} did. */
export type CreateTableResult = { tableArn: string | undefined; created: boolean };

/** Confirmation for {@link KeyStore.destroy}: the branch key id typed again. */
export type DestroyConfirmation = { confirm: string };

/**
 * A branch key store on DynamoDB and KMS, wire-compatible with the AWS Cryptographic
 * Material Providers Library (Python, Java, .NET, Rust, Go) and the JavaScript Encryption
 * SDK's `@aws-crypto/branch-keystore-node`. Made by {@link createKeyStore}.
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
