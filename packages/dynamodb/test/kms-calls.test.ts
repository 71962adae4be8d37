import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createEnvelope, DataKeyCache, KmsKeyProvider } from '@phiseal/core';
import { createKmsKey, createTable, kmsClient } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';
import { decryptItem, encryptItem, withEncryption, type TableConfig } from '@phiseal/dynamodb';
import { docClient } from './helpers.js';

describe('KMS calls', () => {
  it('10,000 items use at most ceil(10,000 / maxMessagesPerKey) GenerateDataKey calls', async () => {
    const maxMessagesPerKey = 3000;
    const envelope = createEnvelope({
      keys: new KmsKeyProvider({ keyId: await createKmsKey(), client: kmsClient() }),
      cache: new DataKeyCache({ maxMessagesPerKey }),
    });
    const table = await createTable({ partitionKey: 'pk' });
    const config: TableConfig = { tableName: table, partitionKey: 'pk', envelope };
    const stored = [];
    for (let i = 0; i < 10_000; i++) stored.push(await encryptItem({ pk: { S: `k${i}` }, name: { S: 'Ada' } }, config));
    expect(envelope.stats().kmsGenerateDataKeyCalls).toBeLessThanOrEqual(Math.ceil(10_000 / maxMessagesPerKey));
    // reading them back unwraps each distinct data key once
    for (const item of stored.slice(0, 200)) await decryptItem(item, config);
    expect(envelope.stats().kmsDecryptCalls).toBeLessThanOrEqual(1);
    // and real puts go through the same cache
    const doc = withEncryption(docClient(), { tables: { [table]: config } });
    const before = envelope.stats().kmsGenerateDataKeyCalls;
    for (let i = 0; i < 50; i++) await doc.send(new PutCommand({ TableName: table, Item: { pk: `real${i}`, name: 'Ada' } }));
    expect(envelope.stats().kmsGenerateDataKeyCalls - before).toBeLessThanOrEqual(1);
  });
});
