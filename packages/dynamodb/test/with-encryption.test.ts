import { GetItemCommand, PutItemCommand, ScanCommand as LowScanCommand } from '@aws-sdk/client-dynamodb';
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
import { withEncryption, type TableConfig } from '@phiseal/dynamodb';
import { codeOf, docClient, kmsEnvelope, rawClient } from './helpers.js';

let table: string;
let other: string;
let config: TableConfig;

const patient = (id: string, visit = 'v1') => ({
  pk: id,
  sk: visit,
  clinic: 'north',
  note: 'plain note',
  name: 'Ada Lovelace',
  dob: '1815-12-10',
  weight: 54.5,
  allergies: new Set(['penicillin']),
  history: { visits: [1, 2, 3], flags: { diabetic: false } },
  photo: new Uint8Array([1, 2, 3]),
  nothing: null,
});

beforeAll(async () => {
  table = await createTable({ partitionKey: 'pk', sortKey: 'sk' });
  other = await createTable({ partitionKey: 'pk', sortKey: 'sk' });
  config = { tableName: table, partitionKey: 'pk', sortKey: 'sk', actions: { clinic: 'sign', note: 'plain' }, allowedUnsignedAttributes: ['note'], envelope: await kmsEnvelope() };
});

describe('withEncryption on a DynamoDBDocumentClient', () => {
  it('puts encrypted items and gets them back decrypted', async () => {
    const doc = withEncryption(docClient(), { tables: { [table]: config } });
    await doc.send(new PutCommand({ TableName: table, Item: patient('p1') }));
    const raw = await rawClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'p1' }, sk: { S: 'v1' } } }));
    expect(raw.Item?.['name']?.B).toBeInstanceOf(Uint8Array);
    expect(raw.Item?.['clinic']).toEqual({ S: 'north' });
    expect(raw.Item?.['aws_dbe_head']?.B).toBeInstanceOf(Uint8Array);
    const got = await doc.send(new GetCommand({ TableName: table, Key: { pk: 'p1', sk: 'v1' } }));
    expect(got.Item).toEqual(patient('p1'));
  });

  it('decrypts returned Attributes, queries, scans and deletes', async () => {
    const doc = withEncryption(docClient(), { tables: { [table]: config } });
    await doc.send(new PutCommand({ TableName: table, Item: patient('p2', 'v1') }));
    const replaced = await doc.send(
      new PutCommand({ TableName: table, Item: { ...patient('p2', 'v1'), name: 'Grace' }, ReturnValues: 'ALL_OLD' }),
    );
    expect(replaced.Attributes?.['name']).toBe('Ada Lovelace');
    await doc.send(new PutCommand({ TableName: table, Item: patient('p2', 'v2') }));
    const q = await doc.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p2' } }),
    );
    expect(q.Items?.map((i) => String(i['name'])).sort()).toEqual(['Ada Lovelace', 'Grace']);
    const s = await doc.send(new ScanCommand({ TableName: table, FilterExpression: 'clinic = :c', ExpressionAttributeValues: { ':c': 'north' } }));
    expect(s.Items?.length).toBeGreaterThanOrEqual(3);
    const deleted = await doc.send(new DeleteCommand({ TableName: table, Key: { pk: 'p2', sk: 'v2' }, ReturnValues: 'ALL_OLD' }));
    expect(deleted.Attributes?.['dob']).toBe('1815-12-10');
    const updated = await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: 'p2', sk: 'v1' },
        UpdateExpression: 'SET note = :n',
        ExpressionAttributeValues: { ':n': 'changed' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(updated.Attributes?.['name']).toBe('Grace');
    expect(updated.Attributes?.['note']).toBe('changed');
  });

  it('handles batches and transactions', async () => {
    const doc = withEncryption(docClient(), { tables: { [table]: config } });
    await doc.send(
      new BatchWriteCommand({
        RequestItems: { [table]: [1, 2, 3].map((i) => ({ PutRequest: { Item: patient(`b${i}`) } })), [other]: [{ PutRequest: { Item: { pk: 'o', sk: 's', v: 'clear' } } }] },
      }),
    );
    const got = await doc.send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: [1, 2, 3].map((i) => ({ pk: `b${i}`, sk: 'v1' })) }, [other]: { Keys: [{ pk: 'o', sk: 's' }] } } }),
    );
    expect(got.Responses?.[table]?.map((i) => String(i['pk'])).sort()).toEqual(['b1', 'b2', 'b3']);
    expect(got.Responses?.[table]?.[0]?.['name']).toBe('Ada Lovelace');
    expect(got.Responses?.[other]).toEqual([{ pk: 'o', sk: 's', v: 'clear' }]);
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: patient('t1'), ConditionExpression: 'attribute_not_exists(pk)' } },
          { Delete: { TableName: table, Key: { pk: 'b3', sk: 'v1' } } },
          { ConditionCheck: { TableName: table, Key: { pk: 'b1', sk: 'v1' }, ConditionExpression: 'clinic = :c', ExpressionAttributeValues: { ':c': 'north' } } },
        ],
      }),
    );
    const tg = await doc.send(
      new TransactGetCommand({ TransactItems: [{ Get: { TableName: table, Key: { pk: 't1', sk: 'v1' } } }, { Get: { TableName: other, Key: { pk: 'o', sk: 's' } } }] }),
    );
    expect(tg.Responses?.[0]?.Item).toEqual(patient('t1'));
    expect(tg.Responses?.[1]?.Item).toEqual({ pk: 'o', sk: 's', v: 'clear' });
  });

  it('leaves other tables untouched', async () => {
    const doc = withEncryption(docClient(), { tables: { [table]: config } });
    await doc.send(new PutCommand({ TableName: other, Item: { pk: 'x', sk: 'y', name: 'clear' } }));
    const raw = await rawClient().send(new GetItemCommand({ TableName: other, Key: { pk: { S: 'x' }, sk: { S: 'y' } } }));
    expect(raw.Item).toEqual({ pk: { S: 'x' }, sk: { S: 'y' }, name: { S: 'clear' } });
  });
});

describe('transport', () => {
  it('refuses a plain-http endpoint that is not loopback (INSECURE_ENDPOINT)', async () => {
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const insecure = new DynamoDBClient({ endpoint: 'http://dynamodb.example.com', region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    // Refused at the latest before the request leaves (SDK 3.1164 resolves the endpoint lazily).
    const wrapped = withEncryption(insecure, { tables: { [table]: config } });
    expect(await codeOf(wrapped.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'x' }, sk: { S: 'y' } } })))).toBe('INSECURE_ENDPOINT');
    const { encryptedTable } = await import('@phiseal/dynamodb');
    const other = new DynamoDBClient({ endpoint: 'http://dynamodb.example.com', region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    expect(await codeOf(encryptedTable({ ...config, client: other }).get({ pk: 'x', sk: 'y' }))).toBe('INSECURE_ENDPOINT');
  });
});

describe('withEncryption on a low-level DynamoDBClient', () => {
  it('encrypts PutItem and decrypts GetItem and Scan in wire form', async () => {
    const low = withEncryption(rawClient(), { tables: { [table]: config } });
    const item = { pk: { S: 'l1' }, sk: { S: 'v1' }, name: { S: 'Ada' }, n: { N: '1.50' }, clinic: { S: 'east' } };
    await low.send(new PutItemCommand({ TableName: table, Item: item }));
    const raw = await rawClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'l1' }, sk: { S: 'v1' } } }));
    expect(raw.Item?.['name']?.B).toBeInstanceOf(Uint8Array);
    // An encrypted number comes back as DynamoDB would store it in the clear: normalized (DB-ESDK serialization).
    const expected = { ...item, n: { N: '1.5' } };
    expect((await low.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'l1' }, sk: { S: 'v1' } } }))).Item).toEqual(expected);
    const scanned = await low.send(new LowScanCommand({ TableName: table }));
    expect(scanned.Items?.find((i) => i['pk']?.S === 'l1')).toEqual(expected);
  });

  it('a DocumentClient over a wrapped low-level client is wrapped too', async () => {
    const low = withEncryption(rawClient(), { tables: { [table]: config } });
    const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
    const doc = DynamoDBDocumentClient.from(low);
    await doc.send(new PutCommand({ TableName: table, Item: { pk: 'l2', sk: 'v1', name: 'Ada' } }));
    const raw = await rawClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'l2' }, sk: { S: 'v1' } } }));
    expect(raw.Item?.['name']?.B).toBeInstanceOf(Uint8Array);
    expect((await doc.send(new GetCommand({ TableName: table, Key: { pk: 'l2', sk: 'v1' } }))).Item).toEqual({ pk: 'l2', sk: 'v1', name: 'Ada' });
  });

  it('the aggregated DynamoDBDocument class and paginators go through the same middleware', async () => {
    const { DynamoDBDocument, paginateQuery } = await import('@aws-sdk/lib-dynamodb');
    const low = withEncryption(rawClient(), { tables: { [table]: config } });
    const document = DynamoDBDocument.from(low);
    await document.put({ TableName: table, Item: { pk: 'agg', sk: 'v1', name: 'Ada' } });
    await document.put({ TableName: table, Item: { pk: 'agg', sk: 'v2', name: 'Grace' } });
    expect((await document.get({ TableName: table, Key: { pk: 'agg', sk: 'v1' } })).Item).toEqual({ pk: 'agg', sk: 'v1', name: 'Ada' });
    const names: string[] = [];
    for await (const page of paginateQuery({ client: document, pageSize: 1 }, { TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'agg' } })) {
      for (const i of page.Items ?? []) names.push(String(i['name']));
    }
    expect(names.sort()).toEqual(['Ada', 'Grace']);
  });

  it('fails a tampered stored item with DECRYPTION_FAILED', async () => {
    const doc = withEncryption(docClient(), { tables: { [table]: config } });
    await doc.send(new PutCommand({ TableName: table, Item: patient('tamper') }));
    await rawClient().send(
      new PutItemCommand({
        TableName: table,
        Item: {
          ...(await rawClient().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'tamper' }, sk: { S: 'v1' } } }))).Item!,
          clinic: { S: 'south' },
        },
      }),
    );
    expect(await codeOf(doc.send(new GetCommand({ TableName: table, Key: { pk: 'tamper', sk: 'v1' } })))).toBe('DECRYPTION_FAILED');
  });
});
