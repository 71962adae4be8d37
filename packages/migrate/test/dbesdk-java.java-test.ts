// What the Distributed Map handler writes when it migrates a table is the final Database
// Encryption SDK format: the Java DB-ESDK 3.9.0 (test/java-peer) decrypts every migrated item
// to the item that was there before.
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createEnvelope, KmsKeyProvider } from '@phiseal/core';
import type { TableConfig } from '@phiseal/dynamodb';
import { createKmsKey, kmsClient } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemFromJson, itemToJson, startJavaPeer, type JavaPeer } from '../../dynamodb/test/support/java-peer.js';
import { canonical, configureJava } from '../../dynamodb/test/java/support.js';
import { createDistributedMapHandler } from '../src/distributed-map/create-distributed-map-handler.js';
import { freshTable, plainItem, putItems, rawClient } from './helpers.js';

let peer: JavaPeer;
beforeAll(async () => {
  peer = await startJavaPeer();
});
afterAll(async () => {
  await peer?.close();
});

describe('items migrated by the Distributed Map handler', () => {
  it('are read by the Java DB-ESDK as the items they were', async () => {
    const keyArn = await createKmsKey('migrate dbesdk interop');
    const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: keyArn, client: kmsClient() }) });
    const table: TableConfig = await freshTable(envelope);
    const client = rawClient();
    const originals = Array.from({ length: 20 }, (_, i) => plainItem(i));
    await putItems(client, table.tableName, originals);
    const handler = createDistributedMapHandler({ dynamodb: { client, tables: { [table.tableName]: table } } });
    const out = await handler({ Items: [{ segment: 0, totalSegments: 1 }], BatchInput: { table: table.tableName } });
    expect(out.results[0]).toMatchObject({ status: 'succeeded', counts: { migrated: 20 } });
    await configureJava(peer, table, ['pk', 'visit', 'dose', 'note'], { type: 'kms', keyArn });
    const stored = (await client.send(new ScanCommand({ TableName: table.tableName, ConsistentRead: true }))).Items ?? [];
    expect(stored).toHaveLength(20);
    for (const item of stored) {
      const plain = itemFromJson((await peer.ok({ op: 'decrypt', item: itemToJson(item) }))['item'] as never) as Record<string, AttributeValue>;
      const original = originals.find((o) => o['pk']!.S === plain['pk']!.S)!;
      expect(canonical(plain)).toEqual(canonical(original));
    }
  });
});
