// Re-keying DB-ESDK items from one tenant's branch key to another's (hierarchical keyring,
// @phiseal/keystore on the emulator: a key-store table and a KMS key), and why a branch key
// version cannot be a rewrap target.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { createEnvelope, PhisealError, type KeyProvider } from '@phiseal/core';
import { decryptItem, encryptItem, type TableConfig } from '@phiseal/dynamodb';
import { createKeyStore, HierarchicalKeyProvider } from '@phiseal/keystore';
import { rewrapTable } from '@phiseal/migrate';
import { awsClientConfig, createKmsKey, uniqueName } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';
import { freshTable, getItem, keyOf, plainItem, putItems, rawClient } from './helpers.js';

const client = rawClient();
const under = (table: TableConfig, keys: KeyProvider): TableConfig => ({ ...table, envelope: createEnvelope({ keys }) });
const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'accepted',
    (e: unknown) => (PhisealError.is(e) ? e.code : 'not-a-phiseal-error'),
  );

describe('rewrapTable with hierarchical (branch) keys', () => {
  it("moves a table from one tenant's branch key to another's; only the new branch key reads it; a branch key version is not a target", async () => {
    const keyStore = createKeyStore({
      tableName: uniqueName('ks'), ddbClient: new DynamoDBClient(awsClientConfig()), kmsClient: new KMSClient(awsClientConfig()), kmsKeyArn: await createKmsKey('rewrap hierarchy store'),
    });
    await keyStore.createKeyStoreTable();
    const [a, b] = [(await keyStore.createKey()).branchKeyId, (await keyStore.createKey()).branchKeyId];
    const from = new HierarchicalKeyProvider({ keyStore, branchKeyId: a });
    const to = new HierarchicalKeyProvider({ keyStore, branchKeyId: b });
    const table = under(await freshTable(), from);
    const items = Array.from({ length: 12 }, (_, i) => plainItem(i));
    await putItems(client, table.tableName, await Promise.all(items.map((item) => encryptItem(item, table))));
    const report = await rewrapTable({ client, table, from, to, segments: 2 });
    expect(report).toMatchObject({ migrated: 12, skipped: 0, failed: 0, complete: true });
    for (const [i, item] of items.entries()) {
      const stored = (await getItem(client, table.tableName, keyOf(i)))!;
      expect(await decryptItem(stored, under(table, new HierarchicalKeyProvider({ keyStore, branchKeyId: b })))).toEqual(item);
      expect(await codeOf(decryptItem(stored, under(table, new HierarchicalKeyProvider({ keyStore, branchKeyId: a }))))).toBe('KEY_NOT_ALLOWED');
    }
    // A new version of branch key b is b's provider again: the same provider on both sides is refused.
    await keyStore.versionKey(b);
    expect(await codeOf(rewrapTable({ client, table, from: to, to: new HierarchicalKeyProvider({ keyStore, branchKeyId: b }) }))).toBe('INVALID_ARGUMENT');
  });
});
