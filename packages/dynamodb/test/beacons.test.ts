import { randomBytes } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createKmsKey, createTable, dynamoClient, kmsClient, uniqueName } from '@phiseal/test-support';
import { createKeyStore, HierarchicalKeyProvider } from '@phiseal/keystore';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeBeacon, decryptItem, encryptedTable, withEncryption, type BeaconKeyStore, type EncryptedTable, type TableConfig } from '@phiseal/dynamodb';
import { createEnvelope, type Envelope } from '@phiseal/core';
import { codeOf, docClient, kmsEnvelope, rawClient } from './helpers.js';

// DB-ESDK beacons against the emulator. The beacon keys come from a key store object with the
// @phiseal/keystore getBeaconKey shape (a real key store for the multi-tenant case); equality
// with the Java DB-ESDK's values is checked by test/java (the Java peer).

let table: string;
let envelope: Envelope;
const tenantKeys = new Map([
  ['tenant-a', randomBytes(32)],
  ['tenant-b', randomBytes(32)],
]);
const keyStore: BeaconKeyStore = {
  getBeaconKey: (id) => {
    const key = tenantKeys.get(id);
    return key ? Promise.resolve({ key }) : Promise.reject(new Error('no such branch key'));
  },
};

const people = [
  { pk: 'p1', email: 'ada@example.org', last: 'Lovelace', clinic: 'north' },
  { pk: 'p2', email: 'grace@example.org', last: 'Hopper', clinic: 'north' },
  { pk: 'p3', email: 'alan@example.org', last: 'Turing', clinic: 'south' },
  { pk: 'p4', email: 'edsger@example.org', last: 'Dijkstra', clinic: 'south' },
  { pk: 'p5', email: 'barbara@example.org', last: 'Liskov', clinic: 'east' },
  { pk: 'p6', email: 'ADA@example.org', last: 'Lovelace', clinic: 'east' },
];

function config(length: number, keySource: NonNullable<TableConfig['beacons']>['keySource'] = { single: { keyId: 'tenant-a' } }): TableConfig {
  return {
    tableName: table,
    partitionKey: 'pk',
    actions: { clinic: 'sign', tenant: 'sign' },
    envelope,
    beacons: {
      standard: [
        { name: 'email', length },
        { name: 'last', length },
      ],
      compound: [{ name: 'lastClinic', split: '.', encrypted: [{ name: 'last', prefix: 'L-' }], signed: [{ name: 'clinic', prefix: 'C-' }] }],
      keyStore,
      keySource,
    },
  };
}

beforeAll(async () => {
  table = await createTable({
    partitionKey: 'pk',
    indexes: [
      { name: 'by-email', partitionKey: 'aws_dbe_b_email' },
      { name: 'by-last-clinic', partitionKey: 'aws_dbe_b_lastClinic' },
    ],
  });
  envelope = await kmsEnvelope();
});

describe('beacons', () => {
  it('stores truncated beacon attributes and finds items through the index', async () => {
    const t: EncryptedTable = encryptedTable({ ...config(16), client: rawClient() });
    for (const p of people) await t.put(p);
    const raw = await rawClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'p1' } } }));
    expect(raw.Item?.['aws_dbe_b_email']?.S).toMatch(/^[0-9a-f]{4}$/);
    expect(raw.Item?.['aws_dbe_b_lastClinic']?.S).toMatch(/^C-north\.L-[0-9a-f]{4}$/);
    expect(raw.Item?.['email']?.B).toBeInstanceOf(Uint8Array);
    // The DB-ESDK hashes the exact value: no case folding.
    expect((await t.queryByBeacon('email', 'ada@example.org', { index: 'by-email' })).map((i) => String(i['pk']))).toEqual(['p1']);
    const compound = await t.queryByBeacon('lastClinic', { last: 'Lovelace', clinic: 'east' }, { index: 'by-last-clinic' });
    expect(compound.map((i) => String(i['pk']))).toEqual(['p6']);
    expect(await t.queryByBeacon('email', 'nobody@example.org', { index: 'by-email' })).toEqual([]);
  });

  it('drops false positives when a tiny length forces collisions', async () => {
    const t = encryptedTable({ ...config(1), client: rawClient() });
    for (const p of people) await t.put(p);
    // 40 more items make "no collision at all" a 2^-45 event, whatever the beacon key
    await t.batchWrite({ put: Array.from({ length: 40 }, (_, i) => ({ pk: `f${i}`, email: `filler${i}@example.org`, last: `L${i}`, clinic: 'west' })) });
    const b = await computeBeacon(config(1), 'email', 'grace@example.org');
    expect(b).toMatch(/^[01]$/);
    const doc = withEncryption(docClient(), { tables: { [table]: config(1) } });
    const candidates = await doc.send(
      new QueryCommand({ TableName: table, IndexName: 'by-email', KeyConditionExpression: 'aws_dbe_b_email = :b', ExpressionAttributeValues: { ':b': b } }),
    );
    expect(candidates.Items!.length).toBeGreaterThan(1);
    const found = await t.queryByBeacon('email', 'grace@example.org', { index: 'by-email' });
    expect(found.map((i) => String(i['pk']))).toEqual(['p2']);
  });

  it('refuses on read a beacon that does not match the decrypted value (copied from another item)', async () => {
    const t = encryptedTable({ ...config(16), client: rawClient() });
    await t.put(people[0]!);
    await t.put(people[1]!);
    const a = (await rawClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'p1' } } }))).Item!;
    const b = (await rawClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'p2' } } }))).Item!;
    expect(await codeOf(decryptItem({ ...a, aws_dbe_b_email: b['aws_dbe_b_email']! }, config(16)))).toBe('DECRYPTION_FAILED');
    expect(await codeOf(decryptItem({ ...a, aws_dbe_b_lastClinic: b['aws_dbe_b_lastClinic']! }, config(16)))).toBe('DECRYPTION_FAILED');
    expect((await decryptItem(a, config(16)))['email']).toEqual({ S: 'ada@example.org' });
  });

  it('uses the branch key that wraps each item as its beacon key with a multi-tenant key source', async () => {
    // As the DB-ESDK: the beacon key id comes from the item's one aws-kms-hierarchy data key.
    const store = createKeyStore({ tableName: uniqueName('beacon-store'), ddbClient: dynamoClient(), kmsClient: kmsClient(), kmsKeyArn: await createKmsKey(), guard: false });
    await store.createKeyStoreTable();
    const [a, b] = [(await store.createKey()).branchKeyId, (await store.createKey()).branchKeyId];
    const tenantConfig = (branchKeyId: string): TableConfig => {
      const base = config(32, { multi: { keyFieldName: 'tenant' } });
      return {
        ...base,
        envelope: createEnvelope({ keys: new HierarchicalKeyProvider({ keyStore: store, branchKeyId }), guard: false }),
        beacons: { ...base.beacons!, keyStore: store },
      };
    };
    await encryptedTable({ ...tenantConfig(a), client: rawClient() }).put({ pk: 'ta', tenant: a, email: 'same@example.org', last: 'X', clinic: 'c' });
    const tb = encryptedTable({ ...tenantConfig(b), client: rawClient() });
    await tb.put({ pk: 'tb', tenant: b, email: 'same@example.org', last: 'X', clinic: 'c' });
    const ra = (await rawClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'ta' } } }))).Item!;
    const rb = (await rawClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'tb' } } }))).Item!;
    expect(ra['aws_dbe_b_email']?.S).not.toBe(rb['aws_dbe_b_email']?.S);
    expect(await computeBeacon(tenantConfig(b), 'email', 'same@example.org', { keyId: b })).toBe(rb['aws_dbe_b_email']?.S);
    const found = await tb.queryByBeacon('email', 'same@example.org', { index: 'by-email', keyId: b });
    expect(found.map((i) => String(i['pk']))).toEqual(['tb']);
    expect(await codeOf(tb.queryByBeacon('email', 'same@example.org', { index: 'by-email' }))).toBe('INVALID_ARGUMENT');
    // A multi-tenant table whose items are not wrapped by one branch key cannot know their beacon key.
    const kmsBacked = encryptedTable({ ...config(32, { multi: { keyFieldName: 'tenant' } }), client: rawClient() });
    expect(await codeOf(kmsBacked.put({ pk: 'tc', email: 'x@example.org' }))).toBe('INVALID_CONFIGURATION');
  });

  it('refuses a single beacon key id from an unset environment variable when the table is created, not at the first put', async () => {
    const keyId = process.env['PHISEAL_TEST_UNSET_BRANCH_KEY_ID'];
    expect(keyId).toBeUndefined();
    const create = () => encryptedTable({ ...config(16, { single: { keyId } }), client: rawClient() });
    expect(await codeOf(create)).toBe('INVALID_CONFIGURATION');
    expect(await codeOf(() => withEncryption(docClient(), { tables: { [table]: config(16, { single: { keyId: '' } }) } }))).toBe('INVALID_CONFIGURATION');
  });

  it('validates beacon queries and names', async () => {
    const again = await computeBeacon(config(16), 'email', 'ada@example.org');
    expect(await computeBeacon({ ...config(16) }, 'email', 'ada@example.org')).toBe(again);
    expect(await codeOf(computeBeacon(config(16), 'missing', 'x'))).toBe('INVALID_ARGUMENT');
    // A beacon's name becomes a clear-text attribute name (and index key) on every item.
    const named: TableConfig = { ...config(16), beacons: { ...config(16).beacons!, compound: [], standard: [{ name: 'ssn-123-45-6789', length: 16, loc: 'email' }] } };
    expect(await codeOf(computeBeacon(named, 'ssn-123-45-6789', 'x'))).toBe('PHI_DETECTED');
    expect(await codeOf(computeBeacon(config(16), 'lastClinic', { last: 'x' }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(computeBeacon(config(16), 'lastClinic', null as never))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(computeBeacon(config(16), 'email', true as never))).toBe('INVALID_ARGUMENT');
    const t = encryptedTable({ ...config(16), client: rawClient() });
    expect(await codeOf(t.queryByBeacon('email', null as never, { index: 'by-email' }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(t.queryByBeacon('lastClinic', { last: 'x', clinic: {} as never }, { index: 'by-last-clinic' }))).toBe('INVALID_ARGUMENT');
  });
});
