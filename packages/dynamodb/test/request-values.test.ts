// Issue #11, defects 2 and 7 on the request path of withEncryption, through the real
// low-level client against the emulator: a value with two members (the SDK would send one
// of them, perhaps not the one phiseal checked) and strings that are not well-formed
// Unicode are refused with INVALID_ARGUMENT before anything is sent.
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { createTable } from '@phiseal/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { withEncryption, type TableConfig } from '@phiseal/dynamodb';
import { codeOf, kmsEnvelope, rawClient } from './helpers.js';

let table: string;
let config: TableConfig;
const two = (a: object, b: object) => ({ ...a, ...b }) as AttributeValue;

beforeAll(async () => {
  table = await createTable({ partitionKey: 'pk', sortKey: 'sk' });
  config = { tableName: table, partitionKey: 'pk', sortKey: 'sk', actions: { clinic: 'sign', note: 'plain' }, allowedUnsignedAttributes: ['note'], envelope: await kmsEnvelope() };
});

describe('withEncryption request values', () => {
  it('refuses values with two members in items and keys', async () => {
    const low = withEncryption(rawClient(), { tables: { [table]: config } });
    const key = { pk: { S: 'p1' }, sk: { S: 'v1' } };
    const requests = [
      new PutItemCommand({ TableName: table, Item: { ...key, clinic: two({ BOOL: true }, { S: 'viewer' }) } }),
      new PutItemCommand({ TableName: table, Item: { ...key, note: two({ S: 'x' }, { N: '1' }) } }),
      new PutItemCommand({ TableName: table, Item: { pk: two({ S: 'p1' }, { N: '1' }), sk: { S: 'v1' } } }),
      new GetItemCommand({ TableName: table, Key: { pk: two({ S: 'p1' }, { N: '1' }), sk: { S: 'v1' } } }),
      new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'p1' }, sk: two({ S: 'v1' }, { BOOL: true }) } }),
      new ScanCommand({ TableName: table, ExclusiveStartKey: { pk: two({ S: 'p1' }, { NULL: true }), sk: { S: 'v1' } } }),
      // An update stores its expression values as they are (here into a plain attribute).
      new UpdateItemCommand({
        TableName: table,
        Key: key,
        UpdateExpression: 'SET note = :v',
        ExpressionAttributeValues: { ':v': two({ S: 'x' }, { BOOL: true }) },
      }),
      new UpdateItemCommand({ TableName: table, Key: key, AttributeUpdates: { note: { Action: 'PUT', Value: two({ S: 'x' }, { N: '2' }) } } }),
      new ScanCommand({ TableName: table, FilterExpression: 'note = :v', ExpressionAttributeValues: { ':v': { M: { a: two({ S: 'x' }, { N: '1' }) } } } }),
    ];
    for (const request of requests) expect(await codeOf(low.send(request as never))).toBe('INVALID_ARGUMENT');
    expect((await rawClient().send(new GetItemCommand({ TableName: table, Key: key }))).Item).toBeUndefined();
  });

  it('refuses attribute names and key values that are not well-formed Unicode', async () => {
    const low = withEncryption(rawClient(), { tables: { [table]: config } });
    const requests = [
      new PutItemCommand({ TableName: table, Item: { pk: { S: 'p2' }, sk: { S: 'v1' }, ['n\uD800']: { S: 'x' } } }),
      new GetItemCommand({ TableName: table, Key: { pk: { S: 'p\uDC00' }, sk: { S: 'v1' } } }),
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: '\uD83D' } } }),
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: 'p2' }, sk: { S: 'v1' } },
        UpdateExpression: 'SET #n = :v',
        ExpressionAttributeNames: { '#n': 'note\uDFFF' },
        ExpressionAttributeValues: { ':v': { S: 'x' } },
      }),
    ];
    for (const request of requests) expect(await codeOf(low.send(request as never))).toBe('INVALID_ARGUMENT');
  });
});
