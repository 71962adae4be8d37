import { PhisealError, secureClient, type Guard } from '@phiseal/core';
import { createGuard } from '@phiseal/guard';
import type { KeyStoreOptions } from '../key-store-types.js';
import type { StoreContext } from './store-context.js';

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const OFF: Guard = { mode: 'off', check: () => undefined, inspect: () => [] };

const invalidConfig = (why: string): PhisealError => new PhisealError('INVALID_CONFIGURATION', why);

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

/**
 * Checks the options and the names AWS stores in the clear (the table name; the logical name,
 * which goes into every KMS encryption context), starts verifying the clients' endpoints and
 * wires the audit sink: what every key-store operation needs.
 */
export function openStore(options: KeyStoreOptions): StoreContext {
  const { tableName, kmsKeyArn } = checkOptions(options);
  const guard = options.guard === false ? OFF : (options.guard ?? createGuard());
  guard.check(tableName, 'dynamodb.table');
  const logicalKeyStoreName = options.logicalKeyStoreName ?? tableName;
  guard.check(logicalKeyStoreName, 'encryptionContext');
  const ready = Promise.all([secureClient(options.ddbClient, 'dynamodb'), secureClient(options.kmsClient, 'kms')]).then(() => undefined);
  ready.catch(() => undefined);
  const sink = options.audit;
  return {
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
}
