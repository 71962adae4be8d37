import {
  BatchExecuteStatementCommand,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { createTable } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { encryptedTable, withEncryption, type EncryptedTable, type TableConfig } from '@phiseal/dynamodb';
import { codeOf, docClient, kmsEnvelope, rawClient } from './helpers.js';

let table: string;
let config: TableConfig;
let doc: ReturnType<typeof docClient>;
let tableApi: EncryptedTable;
const key = { pk: 'p', sk: 's' };

beforeAll(async () => {
  table = await createTable({ partitionKey: 'pk', sortKey: 'sk' });
  config = { tableName: table, partitionKey: 'pk', sortKey: 'sk', actions: { clinic: 'sign', note: 'plain' }, allowedUnsignedAttributes: ['note'], envelope: await kmsEnvelope() };
  doc = withEncryption(docClient(), { tables: { [table]: config } });
  tableApi = encryptedTable({ ...config, client: rawClient() });
  await doc.send(new PutCommand({ TableName: table, Item: { ...key, name: 'Ada', clinic: 'north', note: 'n' } }));
});

describe('refused operations (UNSUPPORTED_OPERATION, before any request)', () => {
  it('UpdateItem touching signed or encrypted attributes; plain attributes may be updated', async () => {
    const set = (expr: string, names?: Record<string, string>) =>
      doc.send(new UpdateCommand({ TableName: table, Key: key, UpdateExpression: expr, ExpressionAttributeValues: { ':v': 'x' }, ...(names ? { ExpressionAttributeNames: names } : {}) }));
    expect(await codeOf(set('SET #n = :v', { '#n': 'name' }))).toBe('UNSUPPORTED_OPERATION');
    expect(await codeOf(set('SET clinic = :v'))).toBe('UNSUPPORTED_OPERATION');
    expect(await codeOf(set('SET unlisted = :v'))).toBe('UNSUPPORTED_OPERATION');
    expect(await codeOf(set('REMOVE aws_dbe_head'))).toBe('UNSUPPORTED_OPERATION');
    expect(await codeOf(rawClient().send(new UpdateItemCommand({ TableName: table, Key: { pk: { S: 'p' }, sk: { S: 's' } }, AttributeUpdates: { name: { Value: { S: 'x' } } } })))).toBeUndefined(); // not wrapped: sanity of the raw path
    const wrappedLow = withEncryption(rawClient(), { tables: { [table]: config } });
    expect(
      await codeOf(wrappedLow.send(new UpdateItemCommand({ TableName: table, Key: { pk: { S: 'p' }, sk: { S: 's' } }, AttributeUpdates: { name: { Value: { S: 'x' } } } }))),
    ).toBe('UNSUPPORTED_OPERATION');
    expect(await codeOf(set('SET note = :v'))).toBeUndefined();
    expect(
      await codeOf(
        doc.send(
          new TransactWriteCommand({ TransactItems: [{ Update: { TableName: table, Key: key, UpdateExpression: 'SET #n = :v', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':v': 'x' } } }] }),
        ),
      ),
    ).toBe('UNSUPPORTED_OPERATION');
  });

  it('PartiQL on configured tables, through every PartiQL command', async () => {
    expect(await codeOf(doc.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${table}"` })))).toBe('UNSUPPORTED_OPERATION');
    expect(await codeOf(doc.send(new BatchExecuteStatementCommand({ Statements: [{ Statement: `SELECT * FROM "${table}"` }] })))).toBe('UNSUPPORTED_OPERATION');
    expect(await codeOf(doc.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `DELETE FROM "${table}" WHERE pk='p'` }] })))).toBe(
      'UNSUPPORTED_OPERATION',
    );
  });

  it('conditions, filters and key conditions naming encrypted attributes; existence tests are allowed', async () => {
    const values = { ':v': 'Ada' };
    expect(await codeOf(doc.send(new PutCommand({ TableName: table, Item: { ...key, name: 'A' }, ConditionExpression: '#n = :v', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: values })))).toBe('UNSUPPORTED_OPERATION');
    expect(await codeOf(doc.send(new DeleteCommand({ TableName: table, Key: key, ConditionExpression: 'begins_with(dob, :v)', ExpressionAttributeValues: values })))).toBe('UNSUPPORTED_OPERATION');
    expect(await codeOf(doc.send(new ScanCommand({ TableName: table, FilterExpression: 'contains(name, :v)', ExpressionAttributeValues: values })))).toBe('UNSUPPORTED_OPERATION');
    expect(
      await codeOf(doc.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', FilterExpression: 'dob = :v', ExpressionAttributeValues: { ...values, ':p': 'p' } }))),
    ).toBe('UNSUPPORTED_OPERATION');
    expect(
      await codeOf(doc.send(new TransactWriteCommand({ TransactItems: [{ ConditionCheck: { TableName: table, Key: key, ConditionExpression: 'dob = :v', ExpressionAttributeValues: values } }] }))),
    ).toBe('UNSUPPORTED_OPERATION');
    expect(await codeOf(tableApi.scan({ filter: { expression: 'dob = :v', values } }))).toBe('UNSUPPORTED_OPERATION');
    expect(await codeOf(tableApi.put({ ...key, name: 'A' }, { condition: { expression: 'name = :v', values } }))).toBe('UNSUPPORTED_OPERATION');
    expect(await codeOf(doc.send(new PutCommand({ TableName: table, Item: { ...key, name: 'A' }, ConditionExpression: 'attribute_exists(dob)' })))).toMatch(/ConditionalCheckFailed/);
  });

  it('projections that name encrypted attributes or drop signed ones', async () => {
    expect(await codeOf(doc.send(new GetCommand({ TableName: table, Key: key, ProjectionExpression: 'pk, sk, clinic' })))).toBe('UNSUPPORTED_OPERATION');
    expect(await codeOf(doc.send(new GetCommand({ TableName: table, Key: key, ProjectionExpression: 'pk, sk, clinic, #n', ExpressionAttributeNames: { '#n': 'name' } })))).toBe(
      'UNSUPPORTED_OPERATION',
    );
    expect(await codeOf(doc.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p' }, ProjectionExpression: 'sk' })))).toBe(
      'UNSUPPORTED_OPERATION',
    );
    expect(await codeOf(doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: [key], ProjectionExpression: 'pk' } } })))).toBe('UNSUPPORTED_OPERATION');
    expect(await codeOf(doc.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName: table, Key: key, ProjectionExpression: 'pk' } }] })))).toBe('UNSUPPORTED_OPERATION');
  });

  it('batches and transactions over the DynamoDB limits (LIMIT_EXCEEDED)', async () => {
    const puts = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: `l${i}`, sk: 's' } } }));
    expect(await codeOf(doc.send(new BatchWriteCommand({ RequestItems: { [table]: puts } })))).toBe('LIMIT_EXCEEDED');
    const keys = Array.from({ length: 101 }, (_, i) => ({ pk: `l${i}`, sk: 's' }));
    expect(await codeOf(doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys } } })))).toBe('LIMIT_EXCEEDED');
    expect(await codeOf(doc.send(new TransactWriteCommand({ TransactItems: keys.map((k) => ({ Delete: { TableName: table, Key: k } })) })))).toBe('LIMIT_EXCEEDED');
    expect(await codeOf(tableApi.transactWrite(keys.map((k) => ({ delete: k }))))).toBe('LIMIT_EXCEEDED');
  });
});

describe('guard on clear-text surfaces (PHI_DETECTED, before any request)', () => {
  it('refuses PHI in key values, attribute names and index names', async () => {
    const ssn = '123-45-6789';
    expect(await codeOf(doc.send(new PutCommand({ TableName: table, Item: { pk: `patient-${ssn}`, sk: 's' } })))).toBe('PHI_DETECTED');
    expect(await codeOf(doc.send(new GetCommand({ TableName: table, Key: { pk: 'x', sk: `jane.doe@example.com` } })))).toBe('PHI_DETECTED');
    expect(await codeOf(tableApi.put({ pk: 'x', sk: 's', [`note_${ssn}`]: 'v' }))).toBe('PHI_DETECTED');
    expect(await codeOf(doc.send(new QueryCommand({ TableName: table, IndexName: `by-${ssn}`, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p' } })))).toBe(
      'PHI_DETECTED',
    );
    expect(await codeOf(doc.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': ssn } })))).toBe('PHI_DETECTED');
    expect(await codeOf(tableApi.batchWrite({ delete: [{ pk: ssn, sk: 's' }] }))).toBe('PHI_DETECTED');
  });

  it('refuses PHI in attribute names an update adds as plain attributes', async () => {
    const plainTable = await createTable({ partitionKey: 'pk', sortKey: 'sk' });
    const plainConfig: TableConfig = { tableName: plainTable, partitionKey: 'pk', sortKey: 'sk', allowedUnsignedAttributePrefix: 'u_', envelope: config.envelope };
    const low = withEncryption(rawClient(), { tables: { [plainTable]: plainConfig } });
    const lowKey = { pk: { S: 'p' }, sk: { S: 's' } };
    const email = 'u_jane.doe@example.com';
    expect(await codeOf(low.send(new UpdateItemCommand({ TableName: plainTable, Key: lowKey, AttributeUpdates: { [email]: { Value: { S: 'x' } } } })))).toBe(
      'PHI_DETECTED',
    );
    expect(
      await codeOf(low.send(new UpdateItemCommand({ TableName: plainTable, Key: lowKey, UpdateExpression: 'SET u_mrn_00448812 = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }))),
    ).toBe('PHI_DETECTED');
    expect(await codeOf(low.send(new UpdateItemCommand({ TableName: plainTable, Key: lowKey, UpdateExpression: 'SET u_note = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })))).toBeUndefined();
  });
});

describe('bad arguments (INVALID_ARGUMENT, not a raw TypeError)', () => {
  it('encryptedTable methods and the request path check their argument shapes', async () => {
    const bad = null as never;
    for (const call of [
      () => tableApi.put(bad),
      () => tableApi.get(bad),
      () => tableApi.delete(bad),
      () => tableApi.update(bad, { note: 'x' }),
      () => tableApi.update(key, bad),
      () => tableApi.update({ pk: 'absent', sk: 's' }, (() => null) as never),
      () => tableApi.query(undefined as never),
      () => tableApi.scan(bad),
      () => tableApi.batchGet(bad),
      () => tableApi.batchWrite(bad),
      () => tableApi.transactGet(bad),
      () => tableApi.transactWrite(bad),
      () => tableApi.transactWrite([bad]),
      () => doc.send(new UpdateCommand({ TableName: table, Key: key, UpdateExpression: 5 as never })),
      () => doc.send(new PutCommand({ TableName: table, Item: key, ConditionExpression: 5 as never })),
      () => doc.send(new BatchWriteCommand({ RequestItems: { [table]: 5 as never } })),
    ]) {
      expect(await codeOf(call)).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('configuration errors (INVALID_CONFIGURATION)', () => {
  it('rejects key attributes that are not sign, reserved names, bad beacons and mismatched table keys', async () => {
    const envelope = config.envelope;
    const base = { tableName: 'cfg-table', partitionKey: 'pk', sortKey: 'sk', envelope };
    const keyStore = { getBeaconKey: () => Promise.resolve({ key: new Uint8Array(32) }) };
    const bad: TableConfig[] = [
      { ...base, actions: { pk: 'encrypt' } },
      { ...base, actions: { sk: 'plain' } },
      { ...base, actions: { aws_dbe_x: 'sign' } },
      { ...base, defaultAction: 'hide' as never },
      { ...base, defaultAction: 'plain' },
      { ...base, actions: { note: 'plain' } }, // plain without allowedUnsignedAttributes (DB-ESDK rule)
      { ...base, actions: { note: 'sign' }, allowedUnsignedAttributes: ['note'] },
      { ...base, allowedUnsignedAttributePrefix: 'p' }, // would make the partition key unsigned
      { ...base, actions: { ctx: 'sign-in-context', pk: 'sign' } }, // keys must be sign-in-context then
      { ...base, algorithmSuite: 'fast' as never },
      { ...base, beacons: { standard: [{ name: 'b', length: 16 }] } as never },
      { ...base, beacons: { standard: [{ name: 'email', length: 0 }], keyStore, keySource: { single: { keyId: 'k' } } } },
      { ...base, beacons: { standard: [{ name: 'note', length: 8 }], keyStore, keySource: { single: { keyId: 'k' } } }, actions: { note: 'plain' }, allowedUnsignedAttributes: ['note'] },
      { ...base, beacons: { standard: [{ name: 'email', length: 8 }], keyStore, keySource: {} as never } },
      { ...base, versionAttribute: 'v', actions: { v: 'encrypt' } },
      { ...base, partitionKey: '' },
    ];
    for (const c of bad) expect(await codeOf(() => withEncryption(docClient(), { tables: { [c.tableName]: c } }))).toBe('INVALID_CONFIGURATION');
    expect(await codeOf(() => withEncryption(docClient(), { tables: { other: { ...base } } }))).toBe('INVALID_CONFIGURATION');
    expect(await codeOf(() => encryptedTable({ ...base, actions: { pk: 'plain' }, client: rawClient() }))).toBe('INVALID_CONFIGURATION');
  });
});
