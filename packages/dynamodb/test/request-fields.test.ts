// The request-field review of #16 for DynamoDB: every field of the item commands either
// reaches DynamoDB as the caller wrote it (and its answer comes back decrypted) or is refused
// before sending, against the emulator through the real DocumentClient.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createTable } from '@phiseal/test-support';
import { withEncryption, type TableConfig } from '@phiseal/dynamodb';
import { beforeAll, expect, it } from 'vitest';
import { codeOf, docClient, kmsEnvelope } from './helpers.js';

let table: string;
let config: TableConfig;
beforeAll(async () => {
  table = await createTable({ partitionKey: 'pk' });
  config = { tableName: table, partitionKey: 'pk', actions: { clinic: 'sign', note: 'plain' }, allowedUnsignedAttributes: ['note'], envelope: await kmsEnvelope() };
});

const client = () => withEncryption(docClient(), { tables: { [table]: config } });

it('ReturnConsumedCapacity and ReturnItemCollectionMetrics pass through; ReturnValues comes back decrypted', async () => {
  const doc = client();
  const put = await doc.send(new PutCommand({ TableName: table, Item: { pk: 'f1', name: 'Ada', clinic: 'north' }, ReturnConsumedCapacity: 'TOTAL', ReturnItemCollectionMetrics: 'SIZE' }));
  expect(put.ConsumedCapacity?.TableName).toBe(table);
  const again = await doc.send(new PutCommand({ TableName: table, Item: { pk: 'f1', name: 'Grace', clinic: 'north' }, ReturnValues: 'ALL_OLD' }));
  expect(again.Attributes).toMatchObject({ pk: 'f1', name: 'Ada', clinic: 'north' });
  const updated = await doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'f1' }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': 'called' }, ReturnValues: 'UPDATED_NEW' }));
  expect(updated.Attributes).toEqual({ note: 'called' });
  const all = await doc.send(new UpdateCommand({ TableName: table, Key: { pk: 'f1' }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': 'again' }, ReturnValues: 'ALL_NEW' }));
  expect(all.Attributes).toMatchObject({ pk: 'f1', name: 'Grace', note: 'again' });
});

it('ConditionExpression on sign and plain attributes is enforced by DynamoDB; on an encrypted one it is refused before sending', async () => {
  const doc = client();
  await doc.send(new PutCommand({ TableName: table, Item: { pk: 'f2', name: 'Ada', clinic: 'north', note: 'n' } }));
  await doc.send(new PutCommand({ TableName: table, Item: { pk: 'f2', name: 'Ada L', clinic: 'north' }, ConditionExpression: 'clinic = :c AND note = :n', ExpressionAttributeValues: { ':c': 'north', ':n': 'n' } }));
  await expect(
    doc.send(new PutCommand({ TableName: table, Item: { pk: 'f2', name: 'x', clinic: 'south' }, ConditionExpression: 'clinic = :c', ExpressionAttributeValues: { ':c': 'south' } })),
  ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  expect(await codeOf(doc.send(new PutCommand({ TableName: table, Item: { pk: 'f2', name: 'x' }, ConditionExpression: '#n = :v', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':v': 'Ada L' } })))).toBe('UNSUPPORTED_OPERATION');
  expect((await doc.send(new GetCommand({ TableName: table, Key: { pk: 'f2' } }))).Item).toMatchObject({ name: 'Ada L' });
});

it('ReturnValuesOnConditionCheckFailure: the failed condition reports the stored item decrypted, never its ciphertext', async () => {
  const doc = client();
  await doc.send(new PutCommand({ TableName: table, Item: { pk: 'f3', name: 'Ada', clinic: 'north' } }));
  const error = await doc
    .send(new PutCommand({ TableName: table, Item: { pk: 'f3', name: 'x', clinic: 'south' }, ConditionExpression: 'clinic = :c', ExpressionAttributeValues: { ':c': 'south' }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }))
    .then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConditionalCheckFailedException);
  const item = (error as { Item?: Record<string, unknown> }).Item;
  expect(item?.['aws_dbe_head']).toBeUndefined();
  expect(item?.['name']).toEqual({ S: 'Ada' });
});
