import { PhisealError, secureClient, type Guard } from '@phiseal/core';
import { createGuard } from '@phiseal/guard';
import type { KeyStore, KeyStoreAuditEvent, KeyStoreOptions } from './key-store-types.js';
import { ACTIVE_TYPE, BEACON_TYPE, VERSION_PREFIX } from './internal/constants.js';
import { createKeyStoreTable } from './internal/create-table.js';
import { destroyBranchKey } from './internal/destroy-key.js';
import { listBranchKeys } from './internal/list-keys.js';
import { officialCreateKey, officialVersionKey } from './internal/official-store.js';
import { decryptRecord, readRecord } from './internal/read-record.js';
import type { StoreContext } from './internal/store-context.js';
import { isUuid } from './internal/uuid.js';

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const OFF: Guard = { mode: 'off', check: () => undefined, inspect: () => [] };

const invalidConfig = (why: string): PhisealError => new PhisealError('INVALID_CONFIGURATION', why);
const invalidArg = (why: string): PhisealError => new PhisealError('INVALID_ARGUMENT', why);

/** A missing setting, with what it is (values from process.env are typed `string | undefined`). */
const missing = (option: string): PhisealError =>
  new PhisealError('INVALID_CONFIGURATION', `createKeyStore needs ${option} (undefined or empty: is its environment variable set?)`, { details: { option } });

function checkOptions(options: KeyStoreOptions): { tableName: string; kmsKeyArn: string } {
  if (typeof options?.tableName !== 'string' || options.tableName.length === 0) throw missing('tableName');
  if (options.kmsKeyArn === undefined || options.kmsKeyArn === '') throw missing('kmsKeyArn');
  if (options.logicalKeyStoreName !== undefined && (typeof options.logicalKeyStoreName !== 'string' || options.logicalKeyStoreName === '')) {
    throw invalidConfig('logicalKeyStoreName must be a non-empty string');
  }
  // branch-key-store.md §AWS KMS Configuration: a key ARN; an alias could be re-pointed.
  if (typeof options.kmsKeyArn !== 'string' || !KEY_ARN.test(options.kmsKeyArn)) throw invalidConfig('kmsKeyArn must be a KMS key ARN (not an alias)');
  if (!options.ddbClient || !options.kmsClient) throw invalidConfig('createKeyStore needs ddbClient and kmsClient');
  return { tableName: options.tableName, kmsKeyArn: options.kmsKeyArn };
}

function checkId(guard: Guard, id: unknown): string {
  if (typeof id !== 'string' || id.length === 0) throw invalidArg('A branch key id must be a non-empty string.');
  // Branch key ids are DynamoDB keys and KMS encryption-context values: clear text in the
  // table, in CloudTrail and in every message header.
  guard.check(id, 'dynamodb.key');
  return id;
}

function checkCustomContext(guard: Guard, context: unknown): Record<string, string> | undefined {
  if (context === undefined) return undefined;
  if (typeof context !== 'object' || context === null || Array.isArray(context)) throw invalidArg('encryptionContext must be an object of strings');
  for (const [key, value] of Object.entries(context)) {
    if (key.length === 0 || typeof value !== 'string') throw invalidArg('encryptionContext must map non-empty keys to strings');
    guard.check(key, 'encryptionContext');
    guard.check(value, 'encryptionContext');
  }
  return { ...(context as Record<string, string>) };
}

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
  const { tableName, kmsKeyArn } = checkOptions(options);
  const guard = options.guard === false ? OFF : (options.guard ?? createGuard());
  guard.check(tableName, 'dynamodb.table');
  const logicalKeyStoreName = options.logicalKeyStoreName ?? tableName;
  guard.check(logicalKeyStoreName, 'encryptionContext');
  const ready = Promise.all([secureClient(options.ddbClient, 'dynamodb'), secureClient(options.kmsClient, 'kms')]).then(() => undefined);
  ready.catch(() => undefined);
  const sink = options.audit;
  const ctx: StoreContext = {
    tableName,
    logicalKeyStoreName,
    kmsKeyArn,
    ddb: options.ddbClient,
    kms: options.kmsClient,
    guard,
    ready,
    emit: (event) => {
      try {
        sink?.({ ...event, time: Date.now(), tableName });
      } catch {
        // an audit sink that throws must not fail a key operation
      }
    },
  };
  const listeners = new Set<(id: string) => void>();
  const changed = (id: string): void => listeners.forEach((l) => l(id));

  const audited = async <T>(
    operation: KeyStoreAuditEvent['operation'],
    ids: { branchKeyId?: string; branchKeyVersion?: string },
    run: () => Promise<T>,
    extra: (result: T) => Partial<KeyStoreAuditEvent> = () => ({}),
  ): Promise<T> => {
    try {
      const result = await run();
      ctx.emit({ operation, ...ids, ...extra(result), outcome: 'success' });
      return result;
    } catch (error) {
      const code = PhisealError.is(error) ? error.code : error instanceof Error ? error.name : 'Unknown';
      ctx.emit({ operation, ...ids, outcome: 'failure', errorCode: code });
      throw error;
    }
  };

  const materials = async (id: string, type: string) => {
    const record = await readRecord(ctx, id, type);
    const key = await decryptRecord(ctx, record);
    return { record, key };
  };

  return {
    tableName,
    logicalKeyStoreName,
    kmsKeyArn,
    guard,
    emitAudit: ctx.emit,
    createKeyStoreTable: () => audited('keystore.createTable', {}, () => createKeyStoreTable(ctx)),
    async createKey(input = {}) {
      const id = input.branchKeyId === undefined ? undefined : checkId(guard, input.branchKeyId);
      const context = checkCustomContext(guard, input.encryptionContext);
      // branch-key-store.md §CreateKey: a caller-chosen id needs a non-empty context.
      if (id !== undefined && (context === undefined || Object.keys(context).length === 0)) {
        throw invalidArg('createKey with a branchKeyId needs a non-empty encryptionContext (branch-key-store.md §CreateKey).');
      }
      return audited('keystore.createKey', id === undefined ? {} : { branchKeyId: id }, async () => ({
        branchKeyId: await officialCreateKey(ctx, id, context),
      }), (r) => ({ branchKeyId: r.branchKeyId }));
    },
    async versionKey(branchKeyId) {
      const id = checkId(guard, branchKeyId);
      await audited('keystore.versionKey', { branchKeyId: id }, () => officialVersionKey(ctx, id));
      changed(id);
    },
    getActiveBranchKey: (branchKeyId) =>
      audited('keystore.getActiveBranchKey', { branchKeyId }, async () => {
        const { record, key } = await materials(branchKeyId, ACTIVE_TYPE);
        return { branchKeyId, branchKeyVersion: record.version!, key, encryptionContext: record.custom };
      }, (m) => ({ branchKeyVersion: m.branchKeyVersion })),
    getBranchKeyVersion: (branchKeyId, version) =>
      audited('keystore.getBranchKeyVersion', { branchKeyId, branchKeyVersion: version }, async () => {
        if (typeof version !== 'string' || !isUuid(version)) throw invalidArg('A branch key version must be a lower-case UUID.');
        const { record, key } = await materials(branchKeyId, `${VERSION_PREFIX}${version}`);
        return { branchKeyId, branchKeyVersion: version, key, encryptionContext: record.custom };
      }),
    getBeaconKey: (branchKeyId) =>
      audited('keystore.getBeaconKey', { branchKeyId }, async () => {
        const { record, key } = await materials(branchKeyId, BEACON_TYPE);
        return { beaconKeyId: branchKeyId, key, encryptionContext: record.custom };
      }),
    listBranchKeys: () => listBranchKeys(ctx),
    async destroy(branchKeyId, confirmation) {
      if (typeof branchKeyId !== 'string' || branchKeyId.length === 0) throw invalidArg('A branch key id must be a non-empty string.');
      // Irreversible: the caller types the id twice, so a variable mix-up cannot shred a tenant.
      if (confirmation?.confirm !== branchKeyId) {
        throw new PhisealError('INVALID_ARGUMENT', 'destroy refuses without { confirm: <the same branch key id> }.', {
          details: { reason: 'confirmation' },
        });
      }
      const out = await audited('keystore.destroy', { branchKeyId }, async () => ({ deletedItems: await destroyBranchKey(ctx, branchKeyId) }), (r) => r);
      changed(branchKeyId);
      return out;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
