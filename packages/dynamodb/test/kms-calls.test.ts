import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createEnvelope, KmsKeyProvider } from '@phiseal/core';
import { createKmsKey, createTable, kmsClient } from '@phiseal/test-support';
import { describe, expect, it } from 'vitest';
import { decryptItem, encryptItem, withEncryption, type TableConfig } from '@phiseal/dynamodb';
import { docClient } from './helpers.js';

// The DB-ESDK binds every item's key values into its data key's encryption context, and the
// KMS keyring passes that context to KMS: one GenerateDataKey per distinct item key, exactly as
// the Java DB-ESDK's KMS keyring does (its answer to volume is the hierarchical keyring). The
// envelope's cache still serves rewrites of the same item and repeated reads.
describe('KMS calls', () => {
  it('one GenerateDataKey per item key; rewrites and rereads of the same item hit the cache', async () => {
    const envelope = createEnvelope({ keys: new KmsKeyProvider({ keyId: await createKmsKey(), client: kmsClient() }) });
    const table = await createTable({ partitionKey: 'pk' });
    const config: TableConfig = { tableName: table, partitionKey: 'pk', envelope };
    const stored = [];
    for (let i = 0; i < 20; i++) stored.push(await encryptItem({ pk: { S: `k${i}` }, name: { S: 'Ada' } }, config));
    expect(envelope.stats().kmsGenerateDataKeyCalls).toBe(20);
    for (let i = 0; i < 20; i++) await encryptItem({ pk: { S: `k${i % 2}` }, name: { S: `version ${i}` } }, config);
    expect(envelope.stats().kmsGenerateDataKeyCalls).toBe(20);
    for (const item of stored) await decryptItem(item, config);
    for (const item of stored) await decryptItem(item, config);
    expect(envelope.stats().kmsDecryptCalls).toBeLessThanOrEqual(20);
    const doc = withEncryption(docClient(), { tables: { [table]: config } });
    const before = envelope.stats().kmsGenerateDataKeyCalls;
    for (let i = 0; i < 5; i++) await doc.send(new PutCommand({ TableName: table, Item: { pk: 'real', name: `Ada ${i}` } }));
    expect(envelope.stats().kmsGenerateDataKeyCalls - before).toBe(1);
  });
});
