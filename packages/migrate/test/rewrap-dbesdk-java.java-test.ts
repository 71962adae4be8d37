// Key rotation of DB-ESDK items is interoperable: items written by phiseal and by the Java
// DB-ESDK 3.9.0 (test/java-peer) under one KMS key are re-keyed by rewrapTable to another KMS key
// (only the header and footer change); then the Java DB-ESDK reads every one of them with the
// new key, and none with the old one.
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createEnvelope, KmsKeyProvider } from '@phiseal/core';
import { encryptItem, type TableConfig } from '@phiseal/dynamodb';
import { createKmsKey, kmsClient } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemFromJson, itemToJson, startJavaPeer, type JavaPeer } from '../../dynamodb/test/support/java-peer.js';
import { canonical, configureJava } from '../../dynamodb/test/java/support.js';
import { rewrapTable } from '../src/rewrap-table.js';
import { freshTable, plainItem, putItems, rawClient } from './helpers.js';

const ATTRIBUTES = ['pk', 'visit', 'dose', 'note'];
let peer: JavaPeer;
beforeAll(async () => {
  peer = await startJavaPeer();
});
afterAll(async () => {
  await peer?.close();
});

describe.each(['committing', 'committing-signed'] as const)('items re-keyed by rewrapTable (%s)', (suite) => {
  it('are read by the Java DB-ESDK with the new KMS key and not with the old one', async () => {
    const [oldArn, newArn] = await Promise.all([createKmsKey('rewrap java old'), createKmsKey('rewrap java new')]);
    const from = new KmsKeyProvider({ keyId: oldArn, client: kmsClient() });
    const to = new KmsKeyProvider({ keyId: newArn, client: kmsClient() });
    const table: TableConfig = { ...(await freshTable(createEnvelope({ keys: from }))), algorithmSuite: suite };
    const client = rawClient();
    const originals = Array.from({ length: 16 }, (_, i) => plainItem(i));
    // Half written by phiseal, half by the Java DB-ESDK, all under the old key.
    await configureJava(peer, table, ATTRIBUTES, { type: 'kms', keyArn: oldArn });
    const byJava = await Promise.all(
      originals.slice(8).map(async (item) => itemFromJson((await peer.ok({ op: 'encrypt', item: itemToJson(item) }))['item'] as never)),
    );
    await putItems(client, table.tableName, [...(await Promise.all(originals.slice(0, 8).map((item) => encryptItem(item, table)))), ...byJava]);

    const report = await rewrapTable({ client, table, from, to, segments: 2 });
    expect(report).toMatchObject({ migrated: 16, skipped: 0, failed: 0, complete: true });

    const stored = (await client.send(new ScanCommand({ TableName: table.tableName, ConsistentRead: true }))).Items ?? [];
    expect(stored).toHaveLength(16);
    await configureJava(peer, table, ATTRIBUTES, { type: 'kms', keyArn: newArn });
    for (const item of stored) {
      const plain = itemFromJson((await peer.ok({ op: 'decrypt', item: itemToJson(item) }))['item'] as never) as Record<string, AttributeValue>;
      const original = originals.find((o) => o['pk']!.S === plain['pk']!.S)!;
      expect(canonical(plain)).toEqual(canonical(original));
    }
    await configureJava(peer, table, ATTRIBUTES, { type: 'kms', keyArn: oldArn });
    for (const item of stored) expect((await peer.request({ op: 'decrypt', item: itemToJson(item) }))['ok']).toBe(false);
  });
});
