import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createEnvelope, PhisealError } from '@phiseal/core';
import { createKeyStore, HierarchicalKeyProvider, type KeyStore } from '@phiseal/keystore';
import { createKmsKey, createTable, dynamoClient, kmsClient, uniqueName } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeBeacon, encryptedTable, withEncryption, type TableConfig } from '@phiseal/dynamodb';
import { codeOf, docClient } from './helpers.js';

// Multi-tenant beacons in queries (search-config.md "Get beacon key for query"): every query
// that compares a beacon names exactly one tenant as `<keyFieldName> = :tenant`, through
// queryByBeacon's keyId or in the middleware's own Query and Scan, and only that tenant's items
// come back. Java's side of the same rule: test/java/hierarchy-and-beacons.java-test.ts.

let table: string;
let store: KeyStore;
let a: string;
let b: string;

function tenantConfig(branchKeyId: string): TableConfig {
  return {
    tableName: table,
    partitionKey: 'pk',
    actions: { tenant: 'sign', clinic: 'sign' },
    envelope: createEnvelope({ keys: new HierarchicalKeyProvider({ keyStore: store, branchKeyId }), guard: false }),
    beacons: {
      standard: [{ name: 'email', length: 32 }],
      compound: [{ name: 'clinicEmail', split: '|', signed: [{ name: 'clinic', prefix: 'C-' }], encrypted: [{ name: 'email', prefix: 'E-' }] }],
      keyStore: store,
      keySource: { multi: { keyFieldName: 'tenant' } },
    },
  };
}

beforeAll(async () => {
  store = createKeyStore({ tableName: uniqueName('mt-store'), ddbClient: dynamoClient(), kmsClient: kmsClient(), kmsKeyArn: await createKmsKey(), guard: false });
  await store.createKeyStoreTable();
  [a, b] = [(await store.createKey()).branchKeyId, (await store.createKey()).branchKeyId];
  table = await createTable({ partitionKey: 'pk', indexes: [{ name: 'by-email', partitionKey: 'aws_dbe_b_email' }] });
  await encryptedTable({ ...tenantConfig(a), client: dynamoClient() }).put({ pk: 'a1', tenant: a, email: 'same@example.org', clinic: 'n' });
  await encryptedTable({ ...tenantConfig(a), client: dynamoClient() }).put({ pk: 'a2', tenant: a, email: 'other@example.org', clinic: 'n' });
  await encryptedTable({ ...tenantConfig(b), client: dynamoClient() }).put({ pk: 'b1', tenant: b, email: 'same@example.org', clinic: 'n' });
});

const reasonOf = async (p: Promise<unknown>): Promise<unknown> => {
  try {
    await p;
    return undefined;
  } catch (e) {
    return PhisealError.is(e) ? [e.code, e.details?.['reason']] : String(e);
  }
};

describe('multi-tenant beacon queries', () => {
  it('queryByBeacon needs the tenant and returns only that tenant\u2019s items', async () => {
    const t = encryptedTable({ ...tenantConfig(a), client: dynamoClient() });
    expect((await t.queryByBeacon('email', 'same@example.org', { index: 'by-email', keyId: a })).map((i) => String(i['pk']))).toEqual(['a1']);
    expect(await codeOf(t.queryByBeacon('email', 'same@example.org', { index: 'by-email' }))).toBe('INVALID_ARGUMENT');
    // Tenant b's beacon for the same value is another string: a's key finds nothing of b's.
    expect(await computeBeacon(tenantConfig(a), 'email', 'same@example.org', { keyId: a })).not.toBe(await computeBeacon(tenantConfig(a), 'email', 'same@example.org', { keyId: b }));
  });

  it('a middleware Query or Scan comparing a beacon carries the key field, and gets that tenant\u2019s items', async () => {
    const doc = withEncryption(docClient(), { tables: { [table]: tenantConfig(a) } });
    const beacon = await computeBeacon(tenantConfig(a), 'email', 'same@example.org', { keyId: a });
    const query = await doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'by-email',
        KeyConditionExpression: '#b = :b',
        FilterExpression: '#t = :t',
        ExpressionAttributeNames: { '#b': 'aws_dbe_b_email', '#t': 'tenant' },
        ExpressionAttributeValues: { ':b': beacon, ':t': a },
      }),
    );
    expect(query.Items?.map((i) => [String(i['pk']), String(i['email'])])).toEqual([['a1', 'same@example.org']]);
    const scan = await doc.send(new ScanCommand({ TableName: table, FilterExpression: 'aws_dbe_b_email = :b AND :t = tenant', ExpressionAttributeValues: { ':b': beacon, ':t': a } }));
    expect(scan.Items?.map((i) => String(i['pk']))).toEqual(['a1']);
    const legacy = await doc.send(new ScanCommand({ TableName: table, ScanFilter: { aws_dbe_b_email: { ComparisonOperator: 'EQ', AttributeValueList: [beacon] }, tenant: { ComparisonOperator: 'EQ', AttributeValueList: [a] } } }));
    expect(legacy.Items?.map((i) => String(i['pk']))).toEqual(['a1']);
    // Not comparing a beacon: no tenant needed.
    expect((await doc.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'a2' } }))).Items?.map((i) => String(i['email']))).toEqual(['other@example.org']);
  });

  it('refuses a beacon comparison without the key field, with two tenants, or with a non-string tenant', async () => {
    const doc = withEncryption(docClient(), { tables: { [table]: tenantConfig(a) } });
    const beacon = await computeBeacon(tenantConfig(a), 'email', 'same@example.org', { keyId: a });
    const names = { '#b': 'aws_dbe_b_email' };
    expect(await reasonOf(doc.send(new QueryCommand({ TableName: table, IndexName: 'by-email', KeyConditionExpression: '#b = :b', ExpressionAttributeNames: names, ExpressionAttributeValues: { ':b': beacon } })))).toEqual([
      'UNSUPPORTED_OPERATION',
      'beacon-key-field-missing',
    ]);
    expect(await reasonOf(doc.send(new ScanCommand({ TableName: table, FilterExpression: 'contains(aws_dbe_b_clinicEmail, :b)', ExpressionAttributeValues: { ':b': 'C-n' } })))).toEqual([
      'UNSUPPORTED_OPERATION',
      'beacon-key-field-missing',
    ]);
    expect(await reasonOf(doc.send(new ScanCommand({ TableName: table, FilterExpression: 'aws_dbe_b_email = :b AND tenant <> :t', ExpressionAttributeValues: { ':b': beacon, ':t': a } })))).toEqual([
      'UNSUPPORTED_OPERATION',
      'beacon-key-field-missing',
    ]);
    expect(
      await reasonOf(doc.send(new ScanCommand({ TableName: table, FilterExpression: 'aws_dbe_b_email = :b AND (tenant = :t OR tenant = :u)', ExpressionAttributeValues: { ':b': beacon, ':t': a, ':u': b } }))),
    ).toEqual(['UNSUPPORTED_OPERATION', 'beacon-key-field-ambiguous']);
    expect(await reasonOf(doc.send(new ScanCommand({ TableName: table, FilterExpression: 'aws_dbe_b_email = :b AND tenant = :t', ExpressionAttributeValues: { ':b': beacon, ':t': 7 } })))).toEqual([
      'UNSUPPORTED_OPERATION',
      'beacon-key-field-value',
    ]);
    expect(await reasonOf(doc.send(new ScanCommand({ TableName: table, ScanFilter: { aws_dbe_b_email: { ComparisonOperator: 'EQ', AttributeValueList: [beacon] } } })))).toEqual([
      'UNSUPPORTED_OPERATION',
      'beacon-key-field-missing',
    ]);
  });
});
