import { randomBytes } from 'node:crypto';
import { BatchWriteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createEnvelope, LocalKeyProvider, type Envelope } from '@phiseal/core';
import type { TableConfig } from '@phiseal/dynamodb';
import { awsClientConfig, createTable } from '@phiseal/test-support';
import { keyOf } from './item-keys.js';

export { keyOf };

export type Item = Record<string, AttributeValue>;

/** A local-key envelope (no KMS round trips: these tests are about the migration, not KMS). */
export function localEnvelope(): Envelope {
  return createEnvelope({ keys: new LocalKeyProvider({ keyId: 'migrate-test', key: randomBytes(32) }) });
}

export function rawClient(): DynamoDBClient {
  return new DynamoDBClient(awsClientConfig());
}

/** A fresh table (`pk` string key) and its config: `note` signed, everything else encrypted. */
export async function freshTable(envelope: Envelope = localEnvelope()): Promise<TableConfig> {
  const tableName = await createTable({ partitionKey: 'pk' }, 'mig');
  return { tableName, partitionKey: 'pk', actions: { note: 'sign' }, envelope };
}


export function plainItem(i: number, extra: Item = {}): Item {
  return { pk: { S: keyOf(i) }, visit: { S: `visit ${i}` }, dose: { N: String(i % 97) }, note: { S: 'n' }, ...extra };
}

export async function putItems(client: DynamoDBClient, tableName: string, items: readonly Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests: Record<string, { PutRequest: { Item: Item } }[]> = { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
    while (Object.keys(requests).length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: requests }));
      requests = (out.UnprocessedItems ?? {}) as typeof requests;
    }
  }
}

export async function putItem(client: DynamoDBClient, tableName: string, item: Item): Promise<void> {
  await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
}

export async function getItem(client: DynamoDBClient, tableName: string, pk: string): Promise<Item | undefined> {
  return (await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item;
}
