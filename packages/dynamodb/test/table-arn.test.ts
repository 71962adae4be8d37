// Issue #11, defect 1 (high): DynamoDB accepts a table's ARN wherever it accepts its name.
// Configured tables were matched by the exact TableName string, so a request naming the
// table by ARN went out in plaintext and reads by ARN came back unverified. Every case here
// runs through the real SDK clients against the emulator and reads what was stored with a
// plain client.
import {
  DeleteItemCommand,
  DescribeTableCommand,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand as LowScanCommand,
  type AttributeValue,
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
import { withEncryption, type TableConfig } from '@phiseal/dynamodb';
import { codeOf, docClient, kmsEnvelope, rawClient } from './helpers.js';

let table: string;
let arn: string;
let account: string;
let config: TableConfig;

const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'v1' } });
const patient = (pk: string) => ({ pk, sk: 'v1', name: 'Ada Lovelace', dob: '1815-12-10', clinic: 'north' });

/** What is really stored, read by name with a client that has no phiseal middleware. */
async function stored(pk: string): Promise<Record<string, AttributeValue> | undefined> {
  return (await rawClient().send(new GetItemCommand({ TableName: table, Key: key(pk) }))).Item;
}

function expectEncrypted(item: Record<string, AttributeValue> | undefined): void {
  expect(item?.['aws_dbe_head']?.B).toBeInstanceOf(Uint8Array);
  expect(item?.['name']?.B).toBeInstanceOf(Uint8Array);
  expect(JSON.stringify(item)).not.toContain('Lovelace');
}

beforeAll(async () => {
  table = await createTable({ partitionKey: 'pk', sortKey: 'sk' });
  arn = (await rawClient().send(new DescribeTableCommand({ TableName: table }))).Table!.TableArn!;
  account = arn.split(':')[4]!;
  config = { tableName: table, partitionKey: 'pk', sortKey: 'sk', actions: { clinic: 'sign' }, envelope: await kmsEnvelope() };
});

describe('withEncryption matches a configured table by ARN', () => {
  it('encrypts a low-level PutItem by ARN and verifies a GetItem by ARN (tables keyed by name, accountId given)', async () => {
    const low = withEncryption(rawClient(), { tables: { [table]: config }, accountId: account });
    await low.send(new PutItemCommand({ TableName: arn, Item: { ...key('l1'), name: { S: 'Ada Lovelace' }, clinic: { S: 'north' } } }));
    expectEncrypted(await stored('l1'));
    const got = await low.send(new GetItemCommand({ TableName: arn, Key: key('l1') }));
    expect(got.Item?.['name']).toEqual({ S: 'Ada Lovelace' });
    // A signed attribute changed in storage: the read by ARN is verified, so it fails.
    await rawClient().send(new PutItemCommand({ TableName: table, Item: { ...(await stored('l1'))!, clinic: { S: 'south' } } }));
    expect(await codeOf(low.send(new GetItemCommand({ TableName: arn, Key: key('l1') })))).toBe('DECRYPTION_FAILED');
    await rawClient().send(new DeleteItemCommand({ TableName: table, Key: key('l1') }));
  });

  it('covers every item command of the DocumentClient by ARN (tables keyed by ARN)', async () => {
    const doc = withEncryption(docClient(), { tables: { [arn]: config } });
    await doc.send(new PutCommand({ TableName: arn, Item: patient('d1') }));
    expectEncrypted(await stored('d1'));
    expect((await doc.send(new GetCommand({ TableName: arn, Key: { pk: 'd1', sk: 'v1' } }))).Item).toEqual(patient('d1'));
    // An update by ARN gets the same policy as by name: a signed attribute cannot be set in place.
    expect(
      await codeOf(
        doc.send(new UpdateCommand({ TableName: arn, Key: { pk: 'd1', sk: 'v1' }, UpdateExpression: 'SET #n = :n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': 'Eve' } })),
      ),
    ).toBe('UNSUPPORTED_OPERATION');
    expectEncrypted(await stored('d1'));
    const q = await doc.send(new QueryCommand({ TableName: arn, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'd1' } }));
    expect(q.Items).toEqual([patient('d1')]);
    const s = await doc.send(new ScanCommand({ TableName: arn }));
    expect(s.Items?.find((i) => i['pk'] === 'd1')).toEqual(patient('d1'));
    await doc.send(new BatchWriteCommand({ RequestItems: { [arn]: [{ PutRequest: { Item: patient('d2') } }, { PutRequest: { Item: patient('d3') } }] } }));
    expectEncrypted(await stored('d2'));
    const bg = await doc.send(new BatchGetCommand({ RequestItems: { [arn]: { Keys: [{ pk: 'd2', sk: 'v1' }, { pk: 'd3', sk: 'v1' }] } } }));
    const responses = Object.values(bg.Responses ?? {}).flat();
    expect(responses.map((i) => String(i['name']))).toEqual(['Ada Lovelace', 'Ada Lovelace']);
    await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: arn, Item: patient('d4') } }, { Delete: { TableName: arn, Key: { pk: 'd3', sk: 'v1' } } }] }));
    expectEncrypted(await stored('d4'));
    expect(await stored('d3')).toBeUndefined();
    const tg = await doc.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName: arn, Key: { pk: 'd4', sk: 'v1' } } }] }));
    expect(tg.Responses?.[0]?.Item).toEqual(patient('d4'));
    await doc.send(new DeleteCommand({ TableName: arn, Key: { pk: 'd4', sk: 'v1' } }));
    expect(await stored('d4')).toBeUndefined();
  });

  it('refuses PartiQL naming the table by ARN', async () => {
    const low = withEncryption(rawClient(), { tables: { [arn]: config } });
    const statement = `INSERT INTO "${arn}" VALUE {'pk': 'x', 'sk': 'v1', 'name': 'Ada Lovelace'}`;
    expect(await codeOf(low.send(new ExecuteStatementCommand({ Statement: statement })))).toBe('UNSUPPORTED_OPERATION');
    expect(await codeOf(low.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${table.toUpperCase()}"` })))).toBe('UNSUPPORTED_OPERATION');
  });
});

describe('an ARN of a configured table that is not this client', () => {
  const other = (part: 'partition' | 'region' | 'account') => {
    const parts = arn.split(':');
    if (part === 'partition') parts[1] = 'aws-cn';
    if (part === 'region') parts[3] = 'eu-west-3';
    if (part === 'account') parts[4] = account === '111122223333' ? '444455556666' : '111122223333';
    return parts.join(':');
  };

  it('is refused with UNSUPPORTED_OPERATION before anything is sent, for writes and reads', async () => {
    const byName = withEncryption(docClient(), { tables: { [table]: config }, accountId: account });
    const byArn = withEncryption(docClient(), { tables: { [arn]: config } });
    const noAccount = withEncryption(docClient(), { tables: { [table]: config } });
    const refused = [
      [byName, other('region')],
      [byName, other('account')],
      [byName, other('partition')],
      [byArn, other('account')],
      [byArn, `${arn}/index/byClinic`],
      [byArn, `${arn}/stream/2026-01-01T00:00:00.000`],
      [byArn, arn.replace(/^arn:/, 'ARN:')],
      [byArn, ` ${arn}`],
      [noAccount, arn],
    ] as const;
    for (const [client, name] of refused) {
      expect(await codeOf(client.send(new PutCommand({ TableName: name, Item: patient('r1') })))).toBe('UNSUPPORTED_OPERATION');
      expect(await codeOf(client.send(new GetCommand({ TableName: name, Key: { pk: 'r1', sk: 'v1' } })))).toBe('UNSUPPORTED_OPERATION');
      expect(
        await codeOf(client.send(new BatchWriteCommand({ RequestItems: { [name]: [{ PutRequest: { Item: patient('r1') } }] } }))),
      ).toBe('UNSUPPORTED_OPERATION');
      expect(await codeOf(client.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: name, Item: patient('r1') } }] })))).toBe(
        'UNSUPPORTED_OPERATION',
      );
    }
    expect(await stored('r1')).toBeUndefined();
    const all = await rawClient().send(new LowScanCommand({ TableName: table }));
    expect(JSON.stringify(all.Items)).not.toContain('Lovelace');
  });

  it('is refused in the configuration: a key that is not the table or its ARN, a tableName that is an ARN', () => {
    expect(() => withEncryption(docClient(), { tables: { [arn.replace(table, `${table}x`)]: config } })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIGURATION' }),
    );
    expect(() => withEncryption(docClient(), { tables: { [arn]: { ...config, tableName: arn } } })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIGURATION' }),
    );
    expect(() => withEncryption(docClient(), { tables: { [table]: config, [arn]: config } })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIGURATION' }),
    );
    expect(() => withEncryption(docClient(), { tables: { [table]: config }, accountId: '12' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIGURATION' }),
    );
  });
});
