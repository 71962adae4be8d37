import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { createKeyStore, type KeyStore } from '@phiseal/keystore';
import { awsClientConfig, createKmsKey, dynamoClient, kmsClient, uniqueName } from '@phiseal/test-support';
import type { AttributeAction, TableConfig } from '@phiseal/dynamodb';
import { serializeAttribute } from '../../src/internal/dbesdk/attribute-serialization.js';
import { JAVA_ACTION } from '../support/java-actions.js';
import type { JavaPeer } from '../support/java-peer.js';

// Shared by the Java interop tests: one configuration for both sides of a table.

/** Configures the Java peer for the same table as `config`, with `keyring`. */
export async function configureJava(
  peer: JavaPeer,
  config: TableConfig,
  attributes: readonly string[],
  keyring: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const actions: Record<string, string> = {};
  const configured = config.actions ?? {};
  const version2 = Object.values(configured).includes('sign-in-context');
  for (const name of attributes) {
    const unsigned = config.allowedUnsignedAttributes?.includes(name) || (config.allowedUnsignedAttributePrefix !== undefined && name.startsWith(config.allowedUnsignedAttributePrefix));
    let action: AttributeAction = configured[name] ?? (unsigned ? 'plain' : (config.defaultAction ?? 'encrypt'));
    if (name === config.partitionKey || name === config.sortKey) action = version2 ? 'sign-in-context' : 'sign';
    actions[name] = JAVA_ACTION[action];
  }
  await peer.ok({
    op: 'config',
    endpoint: awsClientConfig().endpoint,
    table: {
      tableName: config.tableName,
      logicalTableName: config.logicalTableName ?? config.tableName,
      partitionKey: config.partitionKey,
      sortKey: config.sortKey ?? null,
      actions,
      allowedUnsignedAttributes: config.allowedUnsignedAttributes ?? [],
      allowedUnsignedAttributePrefix: config.allowedUnsignedAttributePrefix ?? null,
      suite: config.algorithmSuite === 'committing-signed' ? 'signed' : 'committing',
    },
    keyring,
    ...extra,
  });
}

/** An item as comparable text: every attribute's DB-ESDK serialization (numbers normalized, sets sorted). */
export function canonical(item: Record<string, AttributeValue> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, v] of Object.entries(item ?? {})) {
    const t = serializeAttribute(v);
    out[n] = `${t.typeId}:${t.value.toString('hex')}`;
  }
  return out;
}

const MAX = '9.9999999999999999999999999999999999999E+125';
const MIN = '1E-130';

/** Every type, nested values, empty strings and sets where DynamoDB allows them, number edges. */
export function everyType(pk: string): Record<string, AttributeValue> {
  return {
    pk: { S: pk },
    sk: { S: 'visit-1' },
    name: { S: 'Ada Lovelace — ✓ 𝄞' },
    empty: { S: '' },
    age: { N: '36' },
    big: { N: MAX },
    small: { N: MIN },
    negative: { N: `-${MAX}` },
    precise: { N: '0.12345678901234567890123456789012345678' },
    zero: { N: '-0.000' },
    photo: { B: new Uint8Array([0, 255, 1, 254]) },
    emptyBinary: { B: new Uint8Array(0) },
    alive: { BOOL: true },
    nothing: { NULL: true },
    tags: { SS: ['β', 'a', 'Z', ''] },
    emptySet: { SS: [] },
    scores: { NS: ['10', '-1.5', '3E2', MIN] },
    blobs: { BS: [new Uint8Array([2]), new Uint8Array([1, 0]), new Uint8Array(0)] },
    vitals: { M: { bp: { L: [{ N: '120' }, { N: '80' }] }, ok: { BOOL: false }, note: { S: '' }, deep: { M: { a: { L: [{ M: { b: { NULL: true } } }] } } } } },
    visits: { L: [{ M: {} }, { L: [] }, { S: 'x' }, { BS: [new Uint8Array([9])] }] },
    clinic: { S: 'north' },
    region: { N: '7' },
    flag: { BOOL: false },
    note: { S: 'plain text' },
  };
}

/** A branch key store both sides read (created by @phiseal/keystore) and its first branch key. */
export type SharedKeyStore = { keyStore: KeyStore; branchKeyId: string; kmsKeyArn: string; storeTable: string };

/** Creates a KMS key (`description`), a branch key store table under it, and one branch key. */
export async function sharedKeyStore(description: string): Promise<SharedKeyStore> {
  const kmsKeyArn = await createKmsKey(description);
  const storeTable = uniqueName('branch-keys');
  const keyStore = createKeyStore({ tableName: storeTable, ddbClient: dynamoClient(), kmsClient: kmsClient(), kmsKeyArn, guard: false });
  await keyStore.createKeyStoreTable();
  const { branchKeyId } = await keyStore.createKey();
  return { keyStore, branchKeyId, kmsKeyArn, storeTable };
}
