// Re-keying DB-ESDK items from one tenant's branch key to another's (hierarchical keyring,
// @phiseal/keystore on the emulator: a key-store table and a KMS key), and from older versions
// of one branch key to its active version.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { createEnvelope, PhisealError, type KeyProvider } from '@phiseal/core';
import { decryptItem, encryptItem, type TableConfig } from '@phiseal/dynamodb';
import { createKeyStore, HierarchicalKeyProvider, type KeyStoreAuditEvent } from '@phiseal/keystore';
import { rewrap, rewrapTable } from '@phiseal/migrate';
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
  it("moves a table from one tenant's branch key to another's; only the new branch key reads it", async () => {
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
  });

  it('moves items under older versions of a branch key to its active version (from and to one provider); a second run skips all', async () => {
    const events: KeyStoreAuditEvent[] = [];
    const keyStore = createKeyStore({
      tableName: uniqueName('ks'), ddbClient: new DynamoDBClient(awsClientConfig()), kmsClient: new KMSClient(awsClientConfig()), kmsKeyArn: await createKmsKey('rewrap version store'),
      audit: (event) => events.push(event),
    });
    await keyStore.createKeyStoreTable();
    const { branchKeyId } = await keyStore.createKey();
    const keys = new HierarchicalKeyProvider({ keyStore, branchKeyId });
    const table = under(await freshTable(), keys);
    // The version each item's data key is wrapped under, as a fresh provider's unwrap reports it in its audit event.
    const versionsOf = async (n: number): Promise<string[]> => {
      const versions: string[] = [];
      for (let i = 0; i < n; i++) {
        events.length = 0;
        const reader = new HierarchicalKeyProvider({ keyStore, branchKeyId });
        expect(await decryptItem((await getItem(client, table.tableName, keyOf(i)))!, under(table, reader))).toEqual(plainItem(i));
        versions.push(...events.filter((e) => e.operation === 'hierarchy.unwrap').map((e) => e.branchKeyVersion ?? 'none'));
        reader.destroy();
      }
      return versions;
    };
    const v1 = (await keyStore.getActiveBranchKey(branchKeyId)).branchKeyVersion;
    const items = Array.from({ length: 10 }, (_, i) => plainItem(i));
    await putItems(client, table.tableName, await Promise.all(items.slice(0, 7).map((item) => encryptItem(item, table))));
    await keyStore.versionKey(branchKeyId);
    const v2 = (await keyStore.getActiveBranchKey(branchKeyId)).branchKeyVersion;
    expect(v2).not.toBe(v1);
    // Written after the new version: already where the rotation moves the others.
    await putItems(client, table.tableName, await Promise.all(items.slice(7).map((item) => encryptItem(item, table))));
    expect(await versionsOf(10)).toEqual([...Array<string>(7).fill(v1), ...Array<string>(3).fill(v2)]);

    const dry = await rewrapTable({ client, table, from: keys, to: keys, dryRun: true });
    expect(dry).toMatchObject({ migrated: 7, skipped: 3, failed: 0, complete: true, dryRun: true });
    expect(await versionsOf(7)).toEqual(Array<string>(7).fill(v1));

    const report = await rewrapTable({ client, table, from: keys, to: keys, segments: 2 });
    expect(report).toMatchObject({ migrated: 7, skipped: 3, failed: 0, refused: 0, complete: true, errors: [] });
    expect(await versionsOf(10)).toEqual(Array<string>(10).fill(v2));
    const again = await rewrap({ client, target: { table }, from: keys, to: keys });
    expect(again).toMatchObject({ migrated: 0, skipped: 10, failed: 0, complete: true });

    // Items of another branch key are under neither: failed, untouched.
    const other = new HierarchicalKeyProvider({ keyStore, branchKeyId: (await keyStore.createKey()).branchKeyId });
    const foreign = await encryptItem(plainItem(10), under(table, other));
    await putItems(client, table.tableName, [foreign]);
    const mixed = await rewrapTable({ client, table, from: keys, to: keys });
    expect(mixed).toMatchObject({ migrated: 0, skipped: 10, failed: 1, errors: [{ code: 'KEY_NOT_ALLOWED' }] });
    expect(await getItem(client, table.tableName, keyOf(10))).toEqual(foreign);
    for (const p of [keys, other]) p.destroy();
  });
});
