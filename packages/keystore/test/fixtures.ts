import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { awsClientConfig, createKmsKey, uniqueName } from '@phiseal/test-support';
import { createKeyStore, type KeyStore, type KeyStoreAuditEvent, type KeyStoreOptions } from '@phiseal/keystore';

// Real clients against the emulator, with a counting middleware: it sees every command the
// SDK sends (after retries are decided), so the counts are the requests the service got.

/** Requests sent per command name (GetItem, Decrypt, ...). */
export type Counts = Record<string, number>;

type Next = (args: unknown) => Promise<unknown>;
type Stack = { add(middleware: (next: Next, context: { commandName?: string }) => Next, options: { step: 'initialize'; name: string }): void };

function counted<C extends DynamoDBClient | KMSClient>(client: C, counts: Counts): C {
  (client.middlewareStack as unknown as Stack).add(
    (next, context) => (args) => {
      const name = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      counts[name] = (counts[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'phisealTestCounter' },
  );
  return client;
}

/** A DynamoDB and a KMS client that count their requests into `counts`. */
export function countingClients(counts: Counts = {}): { ddb: DynamoDBClient; kms: KMSClient; counts: Counts } {
  return {
    ddb: counted(new DynamoDBClient(awsClientConfig()), counts),
    kms: counted(new KMSClient(awsClientConfig()), counts),
    counts,
  };
}

const created: string[] = [];
let kmsKeyArn: Promise<string> | undefined;

/** One KMS key per test file (moto keys cannot be deleted, only scheduled). */
export const storeKmsKey = (): Promise<string> => (kmsKeyArn ??= createKmsKey('phiseal key store test'));

/** A new key-store table (created through the store) and its store; the table is deleted by {@link dropTables}. */
export async function newStore(
  overrides: Partial<KeyStoreOptions> = {},
): Promise<{ keyStore: KeyStore; counts: Counts; events: KeyStoreAuditEvent[]; options: KeyStoreOptions }> {
  const { ddb, kms, counts } = countingClients();
  const events: KeyStoreAuditEvent[] = [];
  const tableName = overrides.tableName ?? uniqueName('ks');
  const options: KeyStoreOptions = {
    tableName,
    ddbClient: ddb,
    kmsClient: kms,
    kmsKeyArn: await storeKmsKey(),
    audit: (e) => events.push(e),
    ...overrides,
  };
  const keyStore = createKeyStore(options);
  if (!overrides.tableName) {
    await keyStore.createKeyStoreTable();
    created.push(tableName);
  }
  return { keyStore, counts, events, options };
}

/** A second, independent store on the same table: another process, as far as caches go. */
export function sameStoreElsewhere(options: KeyStoreOptions): { keyStore: KeyStore; counts: Counts } {
  const { ddb, kms, counts } = countingClients();
  return { keyStore: createKeyStore({ ...options, ddbClient: ddb, kmsClient: kms, audit: () => undefined }), counts };
}

/** Deletes `tableName` with the others in {@link dropTables}. */
export function trackTable(tableName: string): void {
  created.push(tableName);
}

/** Deletes every table {@link newStore} created (afterAll). */
export async function dropTables(): Promise<void> {
  const ddb = new DynamoDBClient(awsClientConfig());
  await Promise.all(created.splice(0).map((TableName) => ddb.send(new DeleteTableCommand({ TableName }))));
}

/** Zeroes the counters. */
export function reset(counts: Counts): void {
  for (const key of Object.keys(counts)) delete counts[key];
}
