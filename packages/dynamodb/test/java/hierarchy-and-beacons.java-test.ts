import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createEnvelope } from '@phiseal/core';
import { HierarchicalKeyProvider, type KeyStore } from '@phiseal/keystore';
import { createTable, dynamoClient } from '@phiseal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeBeacon, decryptItem, encryptedTable, encryptItem, withEncryption, type TableConfig } from '@phiseal/dynamodb';
import { itemFromJson, itemToJson, startJavaPeer, type JavaPeer } from '../support/java-peer.js';
import { canonical, configureJava, sharedKeyStore } from './support.js';

// The hierarchical keyring and searchable encryption across languages: one branch key store
// (created by @phiseal/keystore) read by both sides, items written by either side read by the
// other, and beacons equal so that a query written in either language finds the other's items.

let peer: JavaPeer;
let keyStore: KeyStore;
let branchKeyId: string;
let kmsKeyArn: string;
let storeTable: string;
let table: string;
const item = { pk: { S: 'h-1' }, sk: { S: 's' }, email: { S: 'ada@example.org' }, last: { S: 'Lovelace' }, clinic: { S: 'north' }, dob: { S: '1815-12-10' } };
const attributes = Object.keys(item);

beforeAll(async () => {
  peer = await startJavaPeer();
  ({ keyStore, branchKeyId, kmsKeyArn, storeTable } = await sharedKeyStore('dbesdk key store'));
  table = await createTable({
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      { name: 'by-email', partitionKey: 'aws_dbe_b_email' },
      { name: 'by-last-clinic', partitionKey: 'aws_dbe_b_lastClinic' },
    ],
  });
});

afterAll(async () => {
  await peer?.close();
});

function hierarchyConfig(): TableConfig {
  const envelope = createEnvelope({ keys: new HierarchicalKeyProvider({ keyStore, branchKeyId }), guard: false });
  return {
    tableName: table,
    partitionKey: 'pk',
    sortKey: 'sk',
    actions: { clinic: 'sign' },
    envelope,
    beacons: {
      standard: [
        { name: 'email', length: 16 },
        { name: 'last', length: 12 },
      ],
      compound: [{ name: 'lastClinic', split: '.', encrypted: [{ name: 'last', prefix: 'L-' }], signed: [{ name: 'clinic', prefix: 'C-' }] }],
      keyStore,
      keySource: { single: { keyId: branchKeyId } },
    },
  };
}

async function configureBoth(config: TableConfig): Promise<void> {
  await configureJava(
    peer,
    config,
    attributes,
    { type: 'hierarchy', branchKeyId },
    {
      keyStore: { tableName: storeTable, logicalName: storeTable, kmsKeyArn },
      beacons: {
        keyId: branchKeyId,
        standard: [
          { name: 'email', length: 16 },
          { name: 'last', length: 12 },
        ],
        compound: [{ name: 'lastClinic', split: '.', encrypted: [{ name: 'last', prefix: 'L-' }], signed: [{ name: 'clinic', prefix: 'C-' }] }],
      },
    },
  );
}

describe('Java DB-ESDK interop: hierarchical keyring and beacons', () => {
  it('items wrapped under one branch key are read by both sides', async () => {
    const config = hierarchyConfig();
    await configureBoth(config);
    const mine = await encryptItem(item, config);
    expect(Buffer.from(mine['aws_dbe_head']!.B!).includes(Buffer.from('aws-kms-hierarchy'))).toBe(true);
    expect(canonical(itemFromJson((await peer.ok({ op: 'decrypt', item: itemToJson(mine) }))['item'] as never))).toEqual(canonical(item));
    const theirs = itemFromJson((await peer.ok({ op: 'encrypt', item: itemToJson(item) }))['item'] as never);
    expect(canonical(await decryptItem(theirs, config))).toEqual(canonical(item));
  });

  it('beacon values equal the Java DB-ESDK values for the same branch key', async () => {
    const config = hierarchyConfig();
    await configureBoth(config);
    await peer.ok({ op: 'put', item: itemToJson(item) });
    const raw = (await dynamoClient().send(new GetItemCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }))).Item!;
    expect(raw['aws_dbe_b_email']?.S).toBe(await computeBeacon(config, 'email', 'ada@example.org'));
    expect(raw['aws_dbe_b_lastClinic']?.S).toBe(await computeBeacon(config, 'lastClinic', { last: 'Lovelace', clinic: 'north' }));
    // and what phiseal stores for the same item is what Java stored
    const mine = withEncryption(dynamoClient(), { tables: { [table]: config } });
    await mine.send(new PutItemCommand({ TableName: table, Item: { ...item, pk: { S: 'h-2' } } }));
    const ours = (await dynamoClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'h-2' }, sk: item.sk }, ConsistentRead: true }))).Item!;
    expect(ours['aws_dbe_b_email']).toEqual(raw['aws_dbe_b_email']);
    expect(ours['aws_dbe_b_lastClinic']).toEqual(raw['aws_dbe_b_lastClinic']);
  });

  it('a beacon query written in either language finds the items the other wrote', async () => {
    const config = hierarchyConfig();
    await configureBoth(config);
    const t = encryptedTable({ ...config, client: dynamoClient() });
    await t.put({ pk: 'q-phiseal', sk: 's', email: 'grace@example.org', last: 'Hopper', clinic: 'south' });
    await peer.ok({ op: 'put', item: itemToJson({ pk: { S: 'q-java' }, sk: { S: 's' }, email: { S: 'grace@example.org' }, last: { S: 'Hopper' }, clinic: { S: 'south' } }) });
    const found = await t.queryByBeacon('email', 'grace@example.org', { index: 'by-email' });
    expect(found.map((i) => String(i['pk'])).sort()).toEqual(['q-java', 'q-phiseal']);
    const javaFound = (await peer.ok({
      op: 'query',
      index: 'by-email',
      expr: '#e = :e',
      names: { '#e': 'email' },
      values: itemToJson({ ':e': { S: 'grace@example.org' } }),
    }))['items'] as Record<string, never>[];
    expect(javaFound.map((i) => itemFromJson(i)['pk']?.S).sort()).toEqual(['q-java', 'q-phiseal']);
    const compound = await t.queryByBeacon('lastClinic', { last: 'Hopper', clinic: 'south' }, { index: 'by-last-clinic' });
    expect(compound.map((i) => String(i['pk'])).sort()).toEqual(['q-java', 'q-phiseal']);
  });

  it('multi-tenant beacon keys: the branch key wrapping the item gives the same beacons on both sides', async () => {
    const tenantB = (await keyStore.createKey()).branchKeyId;
    const base = hierarchyConfig();
    const config: TableConfig = {
      ...base,
      actions: { clinic: 'sign', tenant: 'sign' },
      envelope: createEnvelope({ keys: new HierarchicalKeyProvider({ keyStore, branchKeyId: tenantB }), guard: false }),
      beacons: { ...base.beacons!, keySource: { multi: { keyFieldName: 'tenant' } } },
    };
    await configureJava(
      peer,
      config,
      [...attributes, 'tenant'],
      { type: 'hierarchy', branchKeyId: tenantB },
      {
        keyStore: { tableName: storeTable, logicalName: storeTable, kmsKeyArn },
        beacons: {
          keyFieldName: 'tenant',
          standard: [
            { name: 'email', length: 16 },
            { name: 'last', length: 12 },
          ],
          compound: [{ name: 'lastClinic', split: '.', encrypted: [{ name: 'last', prefix: 'L-' }], signed: [{ name: 'clinic', prefix: 'C-' }] }],
        },
      },
    );
    const tenantItem = { ...item, pk: { S: 'mt-java' }, tenant: { S: tenantB } };
    await peer.ok({ op: 'put', item: itemToJson(tenantItem) });
    const raw = (await dynamoClient().send(new GetItemCommand({ TableName: table, Key: { pk: tenantItem.pk, sk: item.sk }, ConsistentRead: true }))).Item!;
    expect(raw['aws_dbe_b_email']?.S).toBe(await computeBeacon(config, 'email', 'ada@example.org', { keyId: tenantB }));
    expect(raw['aws_dbe_b_email']?.S).not.toBe(await computeBeacon(config, 'email', 'ada@example.org', { keyId: branchKeyId }));
    const client = withEncryption(dynamoClient(), { tables: { [table]: config } });
    const read = await client.send(new GetItemCommand({ TableName: table, Key: { pk: tenantItem.pk, sk: item.sk }, ConsistentRead: true }));
    expect(canonical(read.Item)).toEqual(canonical(tenantItem));
    await client.send(new PutItemCommand({ TableName: table, Item: { ...tenantItem, pk: { S: 'mt-phiseal' } } }));
    const ours = (await dynamoClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'mt-phiseal' }, sk: item.sk }, ConsistentRead: true }))).Item!;
    expect(ours['aws_dbe_b_email']).toEqual(raw['aws_dbe_b_email']);
    const javaRead = (await peer.ok({ op: 'get', key: itemToJson({ pk: { S: 'mt-phiseal' }, sk: item.sk }) }))['item'];
    expect(canonical(itemFromJson(javaRead as never))).toEqual(canonical({ ...tenantItem, pk: { S: 'mt-phiseal' } }));
    // Queries name the tenant on both sides (search-config.md "Get beacon key for query"): Java
    // takes the beacon key id from `tenant = :t`, phiseal requires the same comparison.
    const javaQuery = (filter: string | null): Promise<Record<string, unknown>> =>
      peer.request({
        op: 'query',
        index: 'by-email',
        expr: '#e = :e',
        filter,
        names: filter ? { '#e': 'email', '#t': 'tenant' } : { '#e': 'email' },
        values: itemToJson(filter ? { ':e': { S: 'ada@example.org' }, ':t': { S: tenantB } } : { ':e': { S: 'ada@example.org' } }),
      });
    const withTenant = await javaQuery('#t = :t');
    expect((withTenant['items'] as Record<string, never>[]).map((i) => itemFromJson(i)['pk']?.S).sort()).toEqual(['mt-java', 'mt-phiseal']);
    const noTenant = await javaQuery(null);
    expect(noTenant['ok']).toBe(false);
    expect(String(noTenant['error'])).toMatch(/KeyId/);
    const doc = withEncryption(DynamoDBDocumentClient.from(dynamoClient()), { tables: { [table]: config } });
    const beacon = await computeBeacon(config, 'email', 'ada@example.org', { keyId: tenantB });
    const ours2 = await doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'by-email',
        KeyConditionExpression: 'aws_dbe_b_email = :b',
        FilterExpression: 'tenant = :t',
        ExpressionAttributeValues: { ':b': beacon, ':t': tenantB },
      }),
    );
    expect(ours2.Items?.map((i) => String(i['pk'])).sort()).toEqual(['mt-java', 'mt-phiseal']);
    const refused = doc.send(new QueryCommand({ TableName: table, IndexName: 'by-email', KeyConditionExpression: 'aws_dbe_b_email = :b', ExpressionAttributeValues: { ':b': beacon } }));
    await expect(refused).rejects.toMatchObject({ code: 'UNSUPPORTED_OPERATION', details: { reason: 'beacon-key-field-missing' } });
  });
});
